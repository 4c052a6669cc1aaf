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

/** HTML that draws `fig` with plotly.js once it is loaded (loading it once per page), over a PNG fallback. */
export function interactiveHtml(fig: Figure, pngBase64?: string): string {
  const id = `mj-${randomBytes(6).toString("hex")}`;
  const img = pngBase64 ? `<img class="mj-static" alt="chart" src="data:image/png;base64,${pngBase64}">` : "";
  const spec = JSON.stringify({ data: fig.data, layout: fig.layout }).replace(/</g, "\\u003c");
  return `<div id="${id}" class="mj-figure">${img}</div>
<script>(function(){
var el=document.getElementById("${id}"); if(!el) return; var fig=${spec};
function draw(){ window.Plotly.newPlot(el, fig.data, fig.layout, {responsive:false}).then(function(){
  var s=el.querySelector(".mj-static"); if(s) s.remove(); el.setAttribute("data-drawn","1"); }); }
if (window.Plotly) return draw();
var q=(window.__mjPlotlyQueue=window.__mjPlotlyQueue||[]); q.push(draw); if (q.length>1) return;
var base="/"; try { var c=document.getElementById("jupyter-config-data");
  base = c ? JSON.parse(c.textContent).baseUrl : (document.body.getAttribute("data-base-url")||"/"); } catch(e) {}
var s=document.createElement("script"); s.src=base.replace(/\\/?$/,"/")+"${plotlyServedPath}";
s.onload=function(){ (window.__mjPlotlyQueue||[]).splice(0).forEach(function(f){f();}); };
s.onerror=function(){ window.__mjPlotlyQueue=[]; };
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
