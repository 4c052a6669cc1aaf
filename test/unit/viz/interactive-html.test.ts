// interactiveHtml in a real browser, the way the three Jupyter front ends run it: Notebook 6 (script
// re-run from document.head), JupyterLab 4 / Notebook 7 (script re-created in place, in an output
// that is attached to the page later), and an untrusted notebook (no script at all).
import { test, after, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import { chromiumArgs, findChromium, interactiveHtml, lineChart, plotlyBundlePath } from "../../../lib/viz";

type Page = {
  route: (url: string, fn: (r: { fulfill: (o: object) => Promise<void> }) => Promise<void>) => Promise<void>;
  setContent: (html: string) => Promise<void>;
  evaluate: <T>(fn: string | ((arg: string) => T | Promise<T>), arg?: string) => Promise<T>;
  waitForFunction: (fn: () => boolean, arg?: unknown, o?: object) => Promise<unknown>;
  close: () => Promise<void>;
};
type Browser = { newPage: () => Promise<Page>; close: () => Promise<void> };

const exe = findChromium();
let browser: Browser | null = null;
const skip = !exe && "no Chromium here";

before(async () => {
  if (!exe) return;
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { chromium } = require("playwright-core");
  browser = await chromium.launch({ executablePath: exe, headless: true, args: chromiumArgs });
});
after(async () => {
  if (browser) await browser.close();
});

/** A page that looks like a Jupyter page at base URL /base/, serving plotly.js (or a 404). */
async function jupyterPage(servePlotly: boolean): Promise<Page> {
  const page = await browser!.newPage();
  // Playwright tries the last registered route first: the plotly route goes last.
  await page.route("http://jupyter.test/**", async (r) =>
    r.fulfill({ status: 200, contentType: "text/html", body: '<html><head><script id="jupyter-config-data" type="application/json">{"baseUrl": "/base/"}</script></head><body></body></html>' }));
  await page.route("**/base/files/node_modules/plotly.js-dist/plotly.js", async (r) =>
    r.fulfill(servePlotly ? { status: 200, contentType: "text/javascript", body: fs.readFileSync(plotlyBundlePath()) } : { status: 404, body: "" }));
  await (page as unknown as { goto: (u: string) => Promise<void> }).goto("http://jupyter.test/notebooks/x.ipynb");
  return page;
}

// Page-side code, kept as source text (the test runner's transpiler may add helpers a page lacks).
/** Inserts output HTML the way JupyterLab does: innerHTML on a detached node, scripts re-created, then attached. */
const insertLikeLab = `(html) => {
  const host = document.createElement("div");
  host.innerHTML = html;
  for (const old of Array.from(host.getElementsByTagName("script"))) {
    const s = document.createElement("script");
    s.textContent = old.textContent;
    old.parentNode.replaceChild(s, old);
  }
  document.body.appendChild(host);
}`;

/** Inserts output HTML the way Notebook 6 (jQuery) does: markup attached, scripts evaluated from document.head. */
const insertLikeNotebook6 = `(html) => {
  const host = document.createElement("div");
  host.innerHTML = html; // scripts set through innerHTML do not run
  document.body.appendChild(host);
  for (const old of Array.from(host.getElementsByTagName("script"))) {
    const s = document.createElement("script");
    s.text = old.textContent;
    document.head.appendChild(s).parentNode.removeChild(s);
  }
}`;

/** Runs one of the inserters above on `html` in the page. */
async function insert(page: Page, how: string, html: string): Promise<void> {
  await page.evaluate(`(${how})(${JSON.stringify(html)})`);
}

const fig = lineChart([{ name: "up", y: [0, 1, 4, 9] }], { width: 300, height: 200 });

for (const [name, how] of [["JupyterLab / Notebook 7", insertLikeLab], ["Notebook 6", insertLikeNotebook6]] as const) {
  test(`interactiveHtml draws with plotly and drops the PNG (${name})`, { skip }, async () => {
    const page = await jupyterPage(true);
    await insert(page, how, interactiveHtml(fig, "AAAA"));
    await page.waitForFunction(() => !!document.querySelector(".mj-figure[data-drawn='1']"), undefined, { timeout: 60000 });
    const state = await page.evaluate(() => ({
      svg: !!document.querySelector(".mj-figure svg.main-svg"),
      png: !!document.querySelector(".mj-figure img.mj-static"),
      error: document.querySelector(".mj-figure")!.getAttribute("data-draw-error"),
    }), "");
    assert.deepEqual(state, { svg: true, png: false, error: null });
    await page.close();
  });
}

test("interactiveHtml keeps the PNG and says why when plotly.js cannot load", { skip }, async () => {
  const page = await jupyterPage(false);
  await insert(page, insertLikeLab, interactiveHtml(fig, "AAAA"));
  await page.waitForFunction(() => !!document.querySelector(".mj-figure[data-draw-error]"), undefined, { timeout: 30000 });
  const state = await page.evaluate(() => {
    const el = document.querySelector(".mj-figure")!;
    return { drawn: el.getAttribute("data-drawn"), png: !!el.querySelector("img.mj-static"), error: el.getAttribute("data-draw-error") };
  }, "");
  assert.equal(state.drawn, null);
  assert.equal(state.png, true);
  assert.match(state.error ?? "", /plotly\.js did not load from http:\/\/jupyter\.test\/base\/files\/node_modules\/plotly\.js-dist\/plotly\.js/);
  await page.close();
});

test("interactiveHtml: two views of one output (same id) each draw", { skip }, async () => {
  const page = await jupyterPage(true);
  const html = interactiveHtml(fig, "AAAA");
  await insert(page, insertLikeLab, html);
  await insert(page, insertLikeLab, html);
  await page.waitForFunction(() => document.querySelectorAll(".mj-figure[data-drawn='1']").length === 2, undefined, { timeout: 60000 });
  await page.close();
});
