/**
 * Static chart images: one headless Chromium per process draws figures with plotly.js and returns PNG
 * bytes. A PNG survives saving, nbconvert HTML export and GitHub, where an interactive chart is blank.
 * Used by `show` (first in notebooks/00-setup.ipynb).
 */
import * as fs from "fs";
import * as path from "path";
import type { Figure } from "./figure";

type Page = { evaluate: (fn: unknown, arg?: unknown) => Promise<unknown>; addScriptTag: (o: { path: string }) => Promise<unknown> };
type Browser = { newPage: () => Promise<Page>; close: () => Promise<void> };

let pagePromise: Promise<Page> | null = null;
let browser: Browser | null = null;
let idleTimer: NodeJS.Timeout | null = null;

/** Where Chromium is (env CHROMIUM_PATH, else the usual Debian/Ubuntu paths), or null. */
export function findChromium(): string | null {
  const candidates = [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser",
    "/usr/bin/google-chrome", "/snap/bin/chromium"];
  return candidates.find((p) => !!p && fs.existsSync(p)) ?? null;
}

/** The plotly.js bundle shipped by the `plotly.js-dist` package. */
export function plotlyBundlePath(): string {
  return require.resolve("plotly.js-dist/plotly.js");
}

/** Flags for headless Chromium on a closed network, as root, without a GPU. */
export const chromiumArgs = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"];

async function page(): Promise<Page> {
  if (!pagePromise) {
    pagePromise = (async () => {
      const exe = findChromium();
      if (!exe) throw new Error("no Chromium found (set CHROMIUM_PATH or install chromium)");
      // eslint-disable-next-line @typescript-eslint/no-var-requires
      const { chromium } = require("playwright-core");
      // handleSIGINT off: playwright's own SIGINT handler would close this browser and exit the
      // process, so Kernel → Interrupt (which `train` answers by stopping) would kill the kernel
      browser = (await chromium.launch({ executablePath: exe, headless: true, args: chromiumArgs, handleSIGINT: false })) as Browser;
      const p = await browser.newPage();
      await p.addScriptTag({ path: plotlyBundlePath() });
      return p;
    })();
    pagePromise.catch(() => (pagePromise = null));
  }
  return pagePromise;
}

/** Closes the headless browser (it also closes itself after a minute without work). */
export async function closeChromium(): Promise<void> {
  const b = browser;
  browser = null;
  pagePromise = null;
  if (b) await b.close().catch(() => undefined);
}

/** Renders a figure to PNG bytes at the figure's size (scale 1). Throws when no Chromium is available. */
export async function figureToPng(fig: Figure): Promise<Buffer> {
  if (idleTimer) clearTimeout(idleTimer);
  const p = await page();
  const layout = fig.layout as { width?: number; height?: number };
  const url = (await p.evaluate(
    ([data, lay, w, h]: [unknown, unknown, number, number]) =>
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      (globalThis as any).Plotly.toImage({ data, layout: lay }, { format: "png", width: w, height: h }),
    [fig.data, fig.layout, layout.width ?? 640, layout.height ?? 400],
  )) as string;
  idleTimer = setTimeout(() => void closeChromium(), 60_000);
  idleTimer.unref();
  return Buffer.from(url.split(",")[1], "base64");
}

/** Writes a standalone HTML page for a figure (plotly.js inlined: the file works offline anywhere). */
export function figureToHtml(fig: Figure, title = "mini-jepa figure"): string {
  const bundle = fs.readFileSync(plotlyBundlePath(), "utf8");
  return `<!doctype html><html><head><meta charset="utf-8"><title>${title}</title>` +
    `<script>${bundle}</script></head><body><div id="fig"></div>` +
    `<script>Plotly.newPlot("fig", ${JSON.stringify(fig.data)}, ${JSON.stringify(fig.layout)});</script></body></html>`;
}

/** Saves `<base>.html` and, where Chromium exists, `<base>.png`. Returns the paths written. */
export async function saveFigure(fig: Figure, base: string): Promise<string[]> {
  fs.mkdirSync(path.dirname(path.resolve(base)), { recursive: true });
  const written = [`${base}.html`];
  fs.writeFileSync(`${base}.html`, figureToHtml(fig, path.basename(base)));
  if (findChromium()) {
    fs.writeFileSync(`${base}.png`, await figureToPng(fig));
    written.push(`${base}.png`);
  }
  return written;
}
