/**
 * `show(fig)`: a chart in the notebook that is interactive where it can be and a picture everywhere
 * else. Introduced in notebooks/00-setup.ipynb.
 *
 * One display carries three forms: text/html (a div that loads plotly.js from the Jupyter server that
 * `npm start` opens in the package root, with the PNG inside as a fallback until it draws), image/png
 * (what untrusted notebooks, GitHub and plain viewers show), and text/plain. The 5 MB plotly bundle is
 * never inlined into a notebook.
 */
import { randomBytes } from "crypto";
import { Figure } from "./figure";
import { figureToPng, findChromium } from "./chromium";
import { inNotebook, NotebookDisplay } from "./notebook";

/** Options of `show`. */
export interface ShowOptions {
  /** Add the static PNG (default: true when Chromium is available). */
  static?: boolean;
  /** Add the interactive chart (default true). */
  interactive?: boolean;
}

/** Where plotly.js is served from, relative to the Jupyter server's base URL. */
export const plotlyServedPath = "files/node_modules/plotly.js-dist/plotly.js";

/**
 * HTML that draws `fig` with plotly.js once it is loaded (loading it once per page), over a PNG fallback.
 *
 * Works the same in Notebook 6 (jQuery runs the script from document.head), JupyterLab 4 and
 * Notebook 7 (the script runs where it sits, once the output is attached to the page). The chart's
 * div is found next to the running script first, so two views of one output each draw. On success the
 * div gets `data-drawn="1"` and loses its PNG; if plotly.js cannot load or draw, the PNG stays and the
 * div gets `data-draw-error` saying why. Untrusted notebooks run no script: the PNG is what shows.
 */
export function interactiveHtml(fig: Figure, pngBase64?: string): string {
  const id = `mj-${randomBytes(6).toString("hex")}`;
  const img = pngBase64 ? `<img class="mj-static" alt="chart" src="data:image/png;base64,${pngBase64}">` : "";
  const spec = JSON.stringify({ data: fig.data, layout: fig.layout }).replace(/</g, "\\u003c");
  return `<div id="${id}" class="mj-figure">${img}</div>
<script>(function(){
var me=document.currentScript, near=me&&me.parentNode&&me.parentNode.querySelector&&me.parentNode.querySelector("#${id}");
var el=near||document.getElementById("${id}"); if(!el) return; var fig=${spec};
function fail(why){ el.setAttribute("data-draw-error", String(why).slice(0,300)); }
function draw(){ try { window.Plotly.newPlot(el, fig.data, fig.layout, {responsive:false}).then(function(){
  var s=el.querySelector(".mj-static"); if(s) s.remove(); el.removeAttribute("data-draw-error"); el.setAttribute("data-drawn","1"); },
  function(e){ fail("plotly could not draw: "+(e&&e.message||e)); }); } catch(e) { fail("plotly could not draw: "+(e&&e.message||e)); } }
if (window.Plotly) return draw();
var q=(window.__mjPlotlyWaiting=window.__mjPlotlyWaiting||[]); q.push({draw:draw,fail:fail}); if (q.length>1) return;
var base="/"; try { var c=document.getElementById("jupyter-config-data");
  base = c ? JSON.parse(c.textContent).baseUrl : (document.body.getAttribute("data-base-url")||"/"); } catch(e) {}
var s=document.createElement("script"); s.src=base.replace(/\\/?$/,"/")+"${plotlyServedPath}";
function flush(ok){ (window.__mjPlotlyWaiting||[]).splice(0).forEach(function(f){ ok&&window.Plotly ? f.draw() : f.fail("plotly.js did not load from "+s.src); }); }
s.onload=function(){ flush(true); }; s.onerror=function(){ flush(false); };
document.head.appendChild(s);
})();</script>`;
}

/** A one-line text description of a figure, for terminals and text-only viewers. */
export function describeFigure(fig: Figure): string {
  const title = (fig.layout.title as { text?: string } | undefined)?.text ?? "chart";
  const traces = fig.data.map((d) => String(d.name ?? d.type)).join(", ");
  return `[${title}: ${fig.data.length} trace(s)${traces ? `: ${traces}` : ""}]`;
}

/** Shows a figure in the notebook (interactive + static PNG); outside a notebook prints a summary. */
export async function show(fig: Figure, opts: ShowOptions = {}): Promise<void> {
  const display = new NotebookDisplay();
  await showIn(display, fig, opts);
}

/** Like `show`, into an existing display (used by live charts for their final picture). */
export async function showIn(display: NotebookDisplay, fig: Figure, opts: ShowOptions = {}): Promise<void> {
  if (!inNotebook()) {
    console.log(describeFigure(fig));
    return;
  }
  const wantStatic = opts.static ?? !!findChromium();
  let png: string | undefined;
  if (wantStatic) {
    try {
      png = (await figureToPng(fig)).toString("base64");
    } catch (err) {
      console.warn(`show: no static image (${(err as Error).message.split("\n")[0]})`);
    }
  }
  const bundle: Record<string, string> = { "text/plain": describeFigure(fig) };
  if (opts.interactive ?? true) bundle["text/html"] = interactiveHtml(fig, png);
  if (png) bundle["image/png"] = png;
  display.send(bundle);
}
