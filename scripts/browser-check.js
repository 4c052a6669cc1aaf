#!/usr/bin/env node
// Opens executed notebooks in a real Jupyter server (127.0.0.1 only) with headless Chromium
// (Debian's chromium driven by playwright-core; no browser download) and checks, per notebook:
// every chart drew (interactive plotly canvas/SVG with non-white pixels), every static picture has
// pixels, and no cell shows an error. Screenshots go to test-output/screenshots/.
//   node scripts/browser-check.js [test-output/notebooks/x.ipynb ...]   (default: all executed notebooks)
const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const net = require("net");
const path = require("path");
const j = require("./jupyter.js");

const execDir = path.join(j.root, "test-output", "notebooks");
const shotDir = path.join(j.root, "test-output", "screenshots");
const dataDir = path.join(j.root, "test-output", "jupyter-data"); // trust database: not the user's home

function findChromium() {
  return [process.env.CHROMIUM_PATH, "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"]
    .find((p) => p && fs.existsSync(p));
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The executed copies of the project's notebooks (notebooks/ and notebooks/solutions/). */
function listExecuted(args) {
  if (args.length) return args.map((a) => path.resolve(a));
  return ["", "solutions"].flatMap((sub) => {
    const src = path.join(j.root, "notebooks", sub);
    if (!fs.existsSync(src)) return [];
    return fs.readdirSync(src).filter((f) => f.endsWith(".ipynb")).sort()
      .map((f) => path.join(execDir, sub, f)).filter((f) => fs.existsSync(f));
  });
}

async function waitForServer(url, ms) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    try {
      const r = await fetch(url);
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Jupyter server did not answer at ${url} within ${ms} ms`);
}

/** Fraction of non-white pixels in a PNG, measured by the browser itself. */
async function inkFraction(page, png) {
  return page.evaluate(async (b64) => {
    const img = new Image();
    img.src = "data:image/png;base64," + b64;
    await img.decode();
    const c = document.createElement("canvas");
    c.width = img.width;
    c.height = img.height;
    const ctx = c.getContext("2d");
    ctx.drawImage(img, 0, 0);
    const d = ctx.getImageData(0, 0, c.width, c.height).data;
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) if (d[i] < 235 || d[i + 1] < 235 || d[i + 2] < 235) ink++;
    return ink / (d.length / 4);
  }, png.toString("base64"));
}

async function checkNotebook(page, base, token, nb) {
  const rel = path.relative(j.root, nb).split(path.sep).map(encodeURIComponent).join("/");
  const problems = [];
  await page.goto(`${base}/notebooks/${rel}?token=${token}`, { waitUntil: "load" });
  await page.waitForSelector("#notebook-container .cell", { timeout: 30000 });
  const expected = JSON.parse(fs.readFileSync(nb, "utf8")).cells
    .flatMap((c) => c.outputs || []).filter((o) => o.data && o.data["text/html"] && String([].concat(o.data["text/html"]).join("")).includes("mj-figure")).length;
  // Wait for every chart to draw (plotly is loaded from the server's /files/ path).
  await page.waitForFunction((n) => document.querySelectorAll(".mj-figure[data-drawn='1']").length >= n, expected, { timeout: 60000 })
    .catch(async () => {
      const drawn = await page.$$eval(".mj-figure[data-drawn='1']", (els) => els.length);
      problems.push(`only ${drawn} of ${expected} charts drew interactively`);
    });
  const figs = await page.$$(".mj-figure");
  if (figs.length < expected) problems.push(`${figs.length} chart containers on the page, expected ${expected}`);
  let i = 0;
  for (const fig of figs) {
    i++;
    await fig.scrollIntoViewIfNeeded();
    const png = await fig.screenshot();
    const ink = await inkFraction(page, png);
    if (ink < 0.005) problems.push(`chart ${i} is blank (${(ink * 100).toFixed(2)}% ink)`);
  }
  const errors = await page.$$eval(".output_error, .output_stderr", (els) =>
    els.map((e) => e.textContent || "").filter((t) => /Error|Exception|Traceback/.test(t)).map((t) => t.slice(0, 200)));
  for (const e of errors) problems.push(`cell shows an error: ${e.replace(/\s+/g, " ")}`);
  const name = path.relative(execDir, nb).replace(/[\\/]/g, "__").replace(/\.ipynb$/, "");
  await page.screenshot({ path: path.join(shotDir, `${name}.png`), fullPage: true });
  return { charts: figs.length, problems };
}

async function main() {
  const nbs = listExecuted(process.argv.slice(2));
  const exe = findChromium();
  const found = j.findJupyterPython();
  if (!nbs.length) throw new Error("no executed notebooks under test-output/notebooks: run the notebooks first");
  if (!exe) throw new Error("no Chromium found: install chromium (npm run setup does it as root on Debian)");
  if (!found) throw new Error("no Jupyter found: run npm run setup");
  fs.mkdirSync(shotDir, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const env = j.jupyterEnv({ JUPYTER_DATA_DIR: dataDir, JUPYTER_RUNTIME_DIR: path.join(dataDir, "runtime") });
  for (const nb of nbs) spawnSync(found.python, ["-m", "nbformat.sign", nb], { env, stdio: "ignore" });
  const port = await freePort();
  const token = crypto.randomBytes(12).toString("hex");
  const server = spawn(found.python, ["-m", "notebook", "--no-browser", "--ip=127.0.0.1", `--port=${port}`,
    `--NotebookApp.token=${token}`, `--notebook-dir=${j.root}`, "--NotebookApp.open_browser=False",
    ...(process.getuid && process.getuid() === 0 ? ["--allow-root"] : [])],
  { env, stdio: ["ignore", "ignore", "pipe"] });
  let serverLog = "";
  server.stderr.on("data", (d) => (serverLog += d));
  const base = `http://127.0.0.1:${port}`;
  const { chromium } = require("playwright-core");
  let browser;
  let failed = 0;
  try {
    await waitForServer(`${base}/api?token=${token}`, 30000);
    browser = await chromium.launch({ executablePath: exe, headless: true,
      args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] });
    const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
    for (const nb of nbs) {
      const name = path.relative(j.root, nb);
      try {
        const r = await checkNotebook(page, base, token, nb);
        if (r.problems.length) {
          failed++;
          console.log(`FAIL ${name}: ${r.charts} chart(s)`);
          r.problems.forEach((p) => console.log(`     ${p}`));
        } else console.log(`ok   ${name}: ${r.charts} chart(s) drawn, no errors`);
      } catch (err) {
        failed++;
        console.log(`FAIL ${name}: ${String(err.message || err).split("\n")[0]}`);
      }
    }
  } finally {
    if (browser) await browser.close();
    server.kill("SIGTERM");
  }
  if (failed && process.env.VERBOSE) console.log(serverLog);
  console.log(`browser: ${nbs.length - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
}

main().catch((err) => {
  console.error(`browser check: ${err.message}`);
  process.exit(1);
});
