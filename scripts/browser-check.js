#!/usr/bin/env node
// Opens executed notebooks in a real Jupyter server (127.0.0.1 only) with headless Chromium
// (Debian's chromium driven by playwright-core; no browser download) and checks, per notebook and per
// Jupyter front end the found Python has (JupyterLab, Notebook 7, or the classic Notebook 6):
//   - every chart the executed .ipynb holds drew interactively (plotly loaded from the server's
//     /files/ path and set data-drawn='1'; the PNG fallback alone does not pass) and has ink;
//   - every static picture has ink;
//   - every picture a markdown cell links by a relative path (the model diagrams, `![…](figures/x.svg)`)
//     loaded (an <img> with naturalWidth > 0) and has ink. Executed copies live under test-output/, so
//     the linked files are first copied next to them from the source notebook's folder;
//   - no error output in the notebook, no visible stderr mentioning an error, no error dialog.
// Full-page screenshots go to test-output/screenshots/<notebook>.<front end>.png.
//   node scripts/browser-check.js [test-output/notebooks/x.ipynb ...]   (default: all executed notebooks)
//   BROWSER_UI=lab|notebook|lab,notebook|all   front ends checked with every notebook (default: all notebooks in the
//   first front end installed, the first notebook with charts in the others)
//   VERBOSE=1                              prints the server log and page errors on failure
// Jupyter state (trust database, settings, workspaces, runtime files) lives under test-output/:
// nothing is read from or written to the user's home.
const { spawn, spawnSync } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const net = require("net");
const path = require("path");
const j = require("./jupyter.js");

const execDir = path.join(j.root, "test-output", "notebooks");
const shotDir = path.join(j.root, "test-output", "screenshots");
const dataDir = path.join(j.root, "test-output", "jupyter-data"); // trust database, runtime files
const configDir = path.join(j.root, "test-output", "jupyter-config"); // settings, workspaces
const untrustedDir = path.join(j.root, "test-output", "browser-untrusted"); // copies the PNG fallback is checked on

/** Time limits, in milliseconds. */
const limits = { server: 90000, firstCell: 120000, cells: 60000, charts: 120000, figure: 20000 };
/** A chart or picture needs at least this fraction of pixels away from its background colour. */
const minInk = 0.005;
/** Tallest full-page screenshot, in CSS pixels (longer notebooks are cut there, and the log says so). */
const maxShotHeight = 16000;

/**
 * The page structure of each front end. Classic = Notebook 6 (jQuery); jp = JupyterLab 4 and
 * Notebook 7 (the same Lumino notebook widget).
 */
const flavours = {
  classic: {
    cell: "#notebook-container .cell",
    figure: "#notebook-container .mj-figure",
    stderr: "#notebook-container .output_stderr, #notebook-container .output_error",
    image: "#notebook-container .output_png img",
    markdownImage: "#notebook-container .text_cell_render img",
    dialog: ".modal.in .modal-body",
  },
  jp: {
    // JupyterLab may hold several documents: look only at the visible notebook.
    cell: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell",
    figure: ".jp-NotebookPanel:not(.lm-mod-hidden) .mj-figure",
    stderr: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
    image: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-RenderedImage img",
    markdownImage: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownOutput img",
    dialog: ".jp-Dialog-content",
  },
};

/**
 * The front ends a Python can serve, in the order `npm start` prefers them.
 * @returns {{ name: string, label: string, flavour: string, module: string, url: (rel: string) => string }[]}
 */
function frontEnds(python) {
  const code = "import json,importlib.util as u\nv=None\ntry:\n import notebook; v=notebook.__version__\n" +
    "except Exception: pass\nprint(json.dumps({'notebook': v, 'jupyterlab': u.find_spec('jupyterlab') is not None}))";
  const r = spawnSync(python, ["-c", code], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`cannot ask ${python} for its Jupyter front ends: ${r.stderr.trim().split("\n").pop()}`);
  const has = JSON.parse(r.stdout.trim().split("\n").pop());
  return frontEndsFrom(has);
}

/** The front ends for what a Python has: `{ notebook: "7.2.1" | null, jupyterlab: boolean }`. */
function frontEndsFrom(has) {
  const list = [];
  if (has.jupyterlab) list.push({ name: "lab", label: "JupyterLab", flavour: "jp", module: "jupyterlab", url: (rel) => `/lab/tree/${rel}?reset` });
  if (has.notebook) {
    const major = Number(String(has.notebook).split(".")[0]);
    if (major >= 7) list.push({ name: "notebook", label: `Notebook ${has.notebook}`, flavour: "jp", module: "notebook", url: (rel) => `/notebooks/${rel}` });
    else list.push({ name: "notebook", label: `Notebook ${has.notebook}`, flavour: "classic", module: "notebook", url: (rel) => `/notebooks/${rel}` });
  }
  return list;
}

/** Which front ends to check: BROWSER_UI (comma list of lab, notebook) or all. */
function pickFrontEnds(all, wanted) {
  if (!wanted || wanted === "all") return all;
  const names = wanted.split(",").map((s) => s.trim()).filter(Boolean);
  const unknown = names.filter((n) => !["lab", "notebook"].includes(n));
  if (unknown.length) throw new Error(`BROWSER_UI: unknown front end ${unknown.join(", ")} (expected lab, notebook)`);
  return all.filter((f) => names.includes(f.name));
}

/** Command-line arguments of the Jupyter server for a front end (the token comes through JUPYTER_TOKEN). */
function serverArgs(fe, port, rootDir, asRoot) {
  const common = ["-m", fe.module, "--no-browser"];
  const root = asRoot ? ["--allow-root"] : [];
  if (fe.flavour === "classic") {
    return [...common, "--ip=127.0.0.1", `--port=${port}`, "--port-retries=0", `--notebook-dir=${rootDir}`, ...root];
  }
  return [...common, "--ServerApp.ip=127.0.0.1", `--ServerApp.port=${port}`, "--ServerApp.port_retries=0",
    `--ServerApp.root_dir=${rootDir}`, "--ServerApp.open_browser=False", ...root];
}

/**
 * Settings for JupyterLab / Notebook 7, written to the project-local settings directory:
 * every cell attached to the page (no windowing), no news or update checks, no autosave (the check
 * must not rewrite the executed notebooks).
 */
const labSettings = {
  "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": { windowingMode: "none", scrollPastEnd: false },
  "@jupyterlab/apputils-extension/notification.jupyterlab-settings": { fetchNews: "false", checkForUpdates: false },
  "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": { autosave: false },
};

/** Fresh project-local Jupyter config: settings as above, an empty workspace. Returns the env additions. */
function prepareConfig() {
  const settingsDir = path.join(configDir, "lab", "user-settings");
  const workspacesDir = path.join(configDir, "lab", "workspaces");
  fs.rmSync(workspacesDir, { recursive: true, force: true });
  fs.mkdirSync(workspacesDir, { recursive: true });
  for (const [file, value] of Object.entries(labSettings)) {
    const p = path.join(settingsDir, file);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, JSON.stringify(value, null, 2) + "\n");
  }
  return {
    JUPYTER_CONFIG_DIR: configDir,
    JUPYTER_DATA_DIR: dataDir,
    JUPYTER_RUNTIME_DIR: path.join(dataDir, "runtime"),
    JUPYTERLAB_SETTINGS_DIR: settingsDir,
    JUPYTERLAB_WORKSPACES_DIR: workspacesDir,
  };
}

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
  if (args.length) {
    const files = args.map((a) => path.resolve(a));
    const outside = files.filter((f) => path.relative(j.root, f).startsWith(".."));
    if (outside.length) throw new Error(`${outside.join(", ")}: outside the package root, which is all the Jupyter server serves`);
    return files;
  }
  return ["", "solutions"].flatMap((sub) => {
    const src = path.join(j.root, "notebooks", sub);
    if (!fs.existsSync(src)) return [];
    return fs.readdirSync(src).filter((f) => f.endsWith(".ipynb")).sort()
      .map((f) => path.join(execDir, sub, f)).filter((f) => fs.existsSync(f));
  });
}

const joined = (v) => (Array.isArray(v) ? v.join("") : String(v ?? ""));

/**
 * What the executed notebook says the page must show: charts (outputs whose HTML holds an
 * `mj-figure` div), static pictures (PNG outputs without HTML), and the error outputs it holds.
 * @returns {{ cells: number, charts: number, images: number, errors: string[] }}
 */
function expectations(nb) {
  let charts = 0;
  let images = 0;
  const errors = [];
  nb.cells.forEach((cell, i) => {
    for (const out of cell.outputs || []) {
      if (out.output_type === "error") errors.push(`cell ${i + 1}: ${out.ename}: ${String(out.evalue).split("\n")[0]}`);
      const data = out.data || {};
      const html = joined(data["text/html"]);
      charts += (html.match(/class="mj-figure"/g) || []).length;
      if (data["image/png"] && !data["text/html"]) images++;
    }
  });
  return { cells: nb.cells.length, charts, images, errors };
}

/**
 * Pictures the notebook's markdown cells link by a relative path (`![alt](figures/x.svg)` or
 * `<img src="figures/x.svg">`), in order, without repeats. Absolute URLs, data: and attachment: links
 * are not files next to the notebook and are left out.
 */
function figureRefs(nb) {
  const refs = [];
  for (const cell of nb.cells || []) {
    if (cell.cell_type !== "markdown") continue;
    const src = joined(cell.source);
    const found = [...src.matchAll(/!\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+["'][^"']*["'])?\s*\)/g), ...src.matchAll(/<img\b[^>]*\bsrc\s*=\s*["']([^"']+)["']/gi)];
    for (const m of found) {
      const ref = m[1];
      if (/^[a-z][a-z0-9+.-]*:/i.test(ref) || ref.startsWith("/") || ref.startsWith("#")) continue;
      if (!refs.includes(ref)) refs.push(ref);
    }
  }
  return refs;
}

/**
 * The folder a notebook's relative links are written against: its own for a notebook under
 * notebooks/; for an executed copy test-output/<run>/<sub>/x.ipynb, notebooks/<sub>.
 */
function sourceDirOf(nbPath) {
  const underOutput = path.relative(path.join(j.root, "test-output"), nbPath);
  if (underOutput.startsWith("..") || path.isAbsolute(underOutput)) return path.dirname(nbPath);
  const rest = underOutput.split(path.sep).slice(1); // drop the run's folder
  return path.join(j.root, "notebooks", ...rest.slice(0, -1));
}

/**
 * Copies every linked picture from the source folder next to an executed copy under test-output/
 * (never writes elsewhere). Returns problems: pictures missing at the source.
 */
function stageFigures(nbPath, refs) {
  const problems = [];
  const src = sourceDirOf(nbPath);
  const dest = path.dirname(nbPath);
  const output = path.join(j.root, "test-output");
  for (const ref of refs) {
    const from = path.resolve(src, decodeURI(ref));
    const to = path.resolve(dest, decodeURI(ref));
    if (!fs.existsSync(from)) {
      problems.push(`markdown links ${ref}, which is not at ${path.relative(j.root, from)}`);
      continue;
    }
    if (from !== to && !path.relative(output, to).startsWith("..")) {
      fs.mkdirSync(path.dirname(to), { recursive: true });
      fs.copyFileSync(from, to);
    }
  }
  return problems;
}

/**
 * Checks that each linked picture was drawn on the page: an <img> in a rendered markdown cell whose
 * URL path ends with the picture's path (relative to the package root), loaded (naturalWidth > 0)
 * and with ink. Returns problems.
 */
async function checkFigures(page, fl, nbPath, refs) {
  const problems = [];
  // Page-side: the markdown <img> whose URL path ends with the picture's path, or null. JupyterLab
  // first inserts the relative src and then swaps in the server's /files/ URL, so wait for a load.
  const find = ([sel, suffix]) => [...document.querySelectorAll(sel)].find((el) => {
    try {
      return decodeURIComponent(new URL(el.src, location.href).pathname).endsWith(`/${suffix}`);
    } catch {
      return false;
    }
  }) || null;
  for (const ref of refs) {
    const rel = path.relative(j.root, path.resolve(path.dirname(nbPath), decodeURI(ref))).split(path.sep).join("/");
    const loaded = await page.waitForFunction(([script, sel, suffix]) => {
      const img = eval(script)([sel, suffix]); // eslint-disable-line no-eval
      if (img) img.scrollIntoView({ block: "center" });
      return img && img.complete && img.naturalWidth > 0 ? img : false;
    }, [String(find), fl.markdownImage, rel], { timeout: limits.figure, polling: 250 }).catch(() => null);
    const img = loaded && loaded.asElement();
    if (!img) {
      const seen = await page.evaluate(([script, sel, suffix]) => !!eval(script)([sel, suffix]), [String(find), fl.markdownImage, rel]); // eslint-disable-line no-eval
      problems.push(seen ? `figure ${ref} did not load (naturalWidth 0: ${rel} missing or not an image)`
        : `figure ${ref} is not on the page (no <img> for ${rel} in a rendered markdown cell)`);
      continue;
    }
    problems.push(...inkProblem(`figure ${ref}`, await inkOf(page, img)));
  }
  return problems;
}

async function waitForServer(url, headers, ms, server) {
  const t0 = Date.now();
  while (Date.now() - t0 < ms) {
    if (server.exitCode !== null) throw new Error(`Jupyter server exited with code ${server.exitCode}`);
    try {
      const r = await fetch(url, { headers });
      if (r.ok) return;
    } catch { /* not up yet */ }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Jupyter server did not answer at ${url} within ${ms} ms`);
}

/** Shuts down every kernel the page started (opening a notebook starts one). */
async function shutdownKernels(base, headers) {
  try {
    const r = await fetch(`${base}/api/kernels`, { headers });
    if (!r.ok) return;
    for (const k of await r.json()) await fetch(`${base}/api/kernels/${k.id}`, { method: "DELETE", headers });
  } catch { /* the server is going away anyway */ }
}

/** Stops the server and waits for it (SIGKILL after 10 s). */
async function stopServer(server) {
  if (server.exitCode !== null || server.signalCode !== null) return;
  const gone = new Promise((resolve) => server.once("exit", resolve));
  server.kill("SIGTERM");
  const timer = setTimeout(() => server.kill("SIGKILL"), 10000);
  await gone;
  clearTimeout(timer);
}

/** Fraction of pixels in a PNG that differ from its most common colour, measured by the browser itself. */
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
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const key = (d[i] << 16) | (d[i + 1] << 8) | d[i + 2];
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    let bg = 0;
    let best = -1;
    for (const [k, n] of counts) if (n > best) [bg, best] = [k, n];
    const [r, g, b] = [bg >> 16, (bg >> 8) & 255, bg & 255];
    let ink = 0;
    for (let i = 0; i < d.length; i += 4) {
      if (Math.max(Math.abs(d[i] - r), Math.abs(d[i + 1] - g), Math.abs(d[i + 2] - b)) > 24) ink++;
    }
    return ink / (d.length / 4);
  }, png.toString("base64"));
}

/**
 * Page-side source of a function that finds the element scrolling the notebook, walking up from its
 * first cell (Notebook 6: #site; Lab/Notebook 7: the windowed panel's outer box).
 */
function scrollerScript(cellSel) {
  return `(() => {
    let el = document.querySelector(${JSON.stringify(cellSel)});
    while (el && el !== document.body) {
      const s = getComputedStyle(el);
      if (/(auto|scroll)/.test(s.overflowY) && el.scrollHeight > el.clientHeight + 1) return el;
      el = el.parentElement;
    }
    return document.scrollingElement;
  })()`;
}

/**
 * Waits for every cell of the notebook to be attached to the page. If the front end windows its
 * cells anyway (a setting we could not override), scrolls through the notebook and counts the
 * distinct cells seen. Returns the number of cells seen.
 */
async function waitForCells(page, fl, expected, ms) {
  const count = () => page.$$eval(fl.cell, (els) => els.length);
  await page.waitForFunction(([sel, n]) => document.querySelectorAll(sel).length >= n, [fl.cell, expected], { timeout: ms })
    .catch(() => {});
  const now = await count();
  if (now >= expected) return now;
  return page.evaluate(async ([script, sel]) => {
    const el = eval(script); // eslint-disable-line no-eval
    const seen = new Set();
    const note = () => document.querySelectorAll(sel).forEach((c, i) => seen.add(c.getAttribute("data-windowed-list-index") ?? i));
    const pause = () => new Promise((r) => setTimeout(r, 150));
    for (let y = 0; el && y <= el.scrollHeight; y += Math.max(200, el.clientHeight * 0.8)) {
      el.scrollTop = y;
      await pause();
      note();
    }
    if (el) el.scrollTop = 0;
    return seen.size;
  }, [scrollerScript(fl.cell), fl.cell]);
}

/** Waits until `expected` charts drew, scrolling undrawn ones into view; returns how many drew. */
async function waitForCharts(page, fl, expected, ms) {
  const t0 = Date.now();
  for (;;) {
    const drawn = await page.$$eval(`${fl.figure}[data-drawn='1']`, (els) => els.length);
    if (drawn >= expected || Date.now() - t0 > ms) return drawn;
    const failed = await page.$$eval(`${fl.figure}[data-draw-error]`, (els) => els.length);
    if (failed && drawn + failed >= expected) return drawn;
    await page.evaluate((sel) => {
      const next = document.querySelector(`${sel}:not([data-drawn])`);
      if (next) next.scrollIntoView({ block: "center" });
    }, fl.figure);
    await page.waitForTimeout(500);
  }
}

/**
 * Ink of one element (scrolled into view first), or null when it left the page before it could be
 * measured (a front end that windows its cells detaches what scrolled away).
 */
async function inkOf(page, handle) {
  try {
    await handle.scrollIntoViewIfNeeded({ timeout: 10000 });
    return await inkFraction(page, await handle.screenshot({ timeout: 30000 }));
  } catch (err) {
    if (await handle.evaluate((el) => el.isConnected).catch(() => false)) throw err;
    return null;
  }
}

/** A problem line for a measured ink fraction (none when there is enough ink). */
function inkProblem(what, ink) {
  if (ink === null) return [`${what} left the page before it could be measured (windowed rendering?)`];
  return ink < minInk ? [`${what} is blank (${(ink * 100).toFixed(2)}% ink)`] : [];
}

/** Checks one chart element: drew interactively, holds plotly's SVG, has ink. Returns problems. */
async function checkChart(page, fig, i) {
  const state = await fig.evaluate((el) => ({
    drawn: el.getAttribute("data-drawn") === "1",
    error: el.getAttribute("data-draw-error"),
    svg: !!el.querySelector("svg.main-svg"),
    fallback: !!el.querySelector("img.mj-static"),
  }));
  if (!state.drawn) {
    const why = state.error ? `: ${state.error}` : state.fallback ? " (only the PNG fallback shows)" : "";
    return [`chart ${i} did not draw interactively${why}`];
  }
  if (!state.svg) return [`chart ${i} says it drew but holds no plotly SVG`];
  return inkProblem(`chart ${i}`, await inkOf(page, fig));
}

/** Screenshot file name of a notebook: its path under test-output/notebooks (else the package root), flattened. */
function shotName(nbPath) {
  let rel = path.relative(execDir, nbPath);
  if (rel.startsWith("..")) rel = path.relative(j.root, nbPath);
  return rel.replace(/[\\/]/g, "__").replace(/\.ipynb$/, "");
}

/** Takes a screenshot of the whole notebook: grows the viewport to the notebook's full height. */
async function fullScreenshot(page, fl, file) {
  const vp = page.viewportSize();
  const extra = await page.evaluate((script) => {
    const el = eval(script); // eslint-disable-line no-eval
    return el && el !== document.scrollingElement ? el.scrollHeight - el.clientHeight : 0;
  }, scrollerScript(fl.cell));
  const height = Math.min(maxShotHeight, vp.height + Math.max(0, extra));
  if (height > vp.height) {
    await page.setViewportSize({ width: vp.width, height });
    await page.waitForTimeout(800); // Lumino and Notebook 6 re-lay out on resize
  }
  await page.screenshot({ path: file, fullPage: true });
  if (height > vp.height) await page.setViewportSize(vp);
  return vp.height + extra > maxShotHeight;
}

/** Opens a notebook (a path under the package root) in a front end; returns how many of its cells appeared. */
async function openNotebook(page, base, token, fe, nbPath, cells) {
  const rel = path.relative(j.root, nbPath).split(path.sep).map(encodeURIComponent).join("/");
  const url = fe.url(rel);
  await page.goto(`${base}${url}${url.includes("?") ? "&" : "?"}token=${token}`, { waitUntil: "domcontentloaded", timeout: limits.firstCell });
  await page.waitForSelector(flavours[fe.flavour].cell, { timeout: limits.firstCell });
  return waitForCells(page, flavours[fe.flavour], cells, limits.cells);
}

/**
 * Checks one executed notebook in a front end: cells, charts drawn with ink, pictures with ink, no
 * errors; takes its full-page screenshot. Returns counts and problems (none = pass).
 */
async function checkNotebook(page, base, token, fe, nbPath) {
  const fl = flavours[fe.flavour];
  const nb = JSON.parse(fs.readFileSync(nbPath, "utf8"));
  const want = expectations(nb);
  const refs = figureRefs(nb);
  const t0 = Date.now();
  const lap = (what) => process.env.VERBOSE && console.log(`     ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  const problems = want.errors.map((e) => `error output in ${e}`);
  problems.push(...stageFigures(nbPath, refs));
  const cells = await openNotebook(page, base, token, fe, nbPath, want.cells);
  if (cells < want.cells) problems.push(`${cells} of ${want.cells} cells appeared on the page`);
  lap(`${cells} cells`);

  const drawn = await waitForCharts(page, fl, want.charts, limits.charts);
  lap(`${drawn} charts drawn`);
  const figs = await page.$$(fl.figure);
  if (figs.length !== want.charts) problems.push(`${figs.length} chart(s) on the page, the notebook holds ${want.charts}`);
  if (drawn < want.charts) problems.push(`only ${drawn} of ${want.charts} chart(s) drew interactively`);
  for (const [i, fig] of figs.entries()) problems.push(...(await checkChart(page, fig, i + 1)));

  const imgs = await page.$$(fl.image);
  if (imgs.length < want.images) problems.push(`${imgs.length} picture(s) on the page, the notebook holds ${want.images}`);
  for (const [i, img] of imgs.entries()) problems.push(...inkProblem(`picture ${i + 1}`, await inkOf(page, img)));
  const figureProblems = await checkFigures(page, fl, nbPath, refs);
  problems.push(...figureProblems);
  lap(`${refs.length} figure(s)`);

  const stderr = await page.$$eval(fl.stderr, (els) =>
    els.map((e) => e.textContent || "").filter((t) => /Error|Exception|Traceback/.test(t)));
  for (const t of stderr) problems.push(`a cell shows an error: ${t.replace(/\s+/g, " ").trim().slice(0, 200)}`);
  const dialogs = await page.$$eval(fl.dialog, (els) => els.map((e) => (e.textContent || "").replace(/\s+/g, " ").trim()));
  for (const t of dialogs) problems.push(`a dialog is open: ${t.slice(0, 200)}`);

  lap("checked");
  const cut = await fullScreenshot(page, fl, path.join(shotDir, `${shotName(nbPath)}.${fe.name}.png`));
  lap("screenshot");
  return { charts: figs.length, drawn, images: imgs.length, figures: refs.length, figuresDrawn: refs.length - figureProblems.length, cut, problems };
}

/**
 * An untrusted copy of a notebook (its metadata changed, so the trust database does not know it), to
 * check that charts fall back to their PNG where scripts may not run.
 */
function untrustedCopy(nbPath) {
  const nb = JSON.parse(fs.readFileSync(nbPath, "utf8"));
  nb.metadata.mini_jepa_check = "untrusted copy made by scripts/browser-check.js: charts must show their PNG";
  const dest = path.join(untrustedDir, path.basename(nbPath));
  fs.mkdirSync(untrustedDir, { recursive: true });
  fs.writeFileSync(dest, JSON.stringify(nb, null, 1) + "\n");
  return dest;
}

/** Opens an untrusted notebook: every chart must show its PNG fallback (with ink), none may draw. */
async function checkFallback(page, base, token, fe, nbPath) {
  const fl = flavours[fe.flavour];
  const want = expectations(JSON.parse(fs.readFileSync(nbPath, "utf8")));
  const problems = [];
  const cells = await openNotebook(page, base, token, fe, nbPath, want.cells);
  if (cells < want.cells) problems.push(`${cells} of ${want.cells} cells appeared on the page`);
  const figs = await page.$$(fl.figure);
  if (figs.length !== want.charts) problems.push(`${figs.length} chart(s) on the page, the notebook holds ${want.charts}`);
  for (const [i, fig] of figs.entries()) {
    const img = await fig.$("img.mj-static");
    const drawn = await fig.getAttribute("data-drawn");
    if (drawn) problems.push(`chart ${i + 1} drew although the notebook is not trusted`);
    if (!img) {
      problems.push(`chart ${i + 1} shows no PNG fallback`);
      continue;
    }
    await img.evaluate((el) => el.decode().catch(() => {}));
    problems.push(...inkProblem(`the PNG fallback of chart ${i + 1}`, await inkOf(page, img)));
  }
  await fullScreenshot(page, fl, path.join(shotDir, `untrusted__${path.basename(nbPath, ".ipynb")}.${fe.name}.png`));
  return { charts: figs.length, problems };
}

/** Runs one check and prints its line; returns true when it passed. */
async function report(label, run, pageErrors) {
  pageErrors.length = 0;
  const t0 = Date.now();
  try {
    const r = await run();
    const secs = ((Date.now() - t0) / 1000).toFixed(1);
    const what = `${r.summary} (${secs} s)`;
    if (!r.problems.length) {
      console.log(`ok   ${label}: ${what}`);
      return true;
    }
    console.log(`FAIL ${label}: ${what}`);
    r.problems.forEach((p) => console.log(`     ${p}`));
  } catch (err) {
    console.log(`FAIL ${label}: ${String(err.message || err).split("\n")[0]}`);
  }
  if (process.env.VERBOSE) pageErrors.forEach((e) => console.log(`     page error: ${e}`));
  return false;
}

/**
 * Starts a server for one front end, checks every notebook in it (and the PNG fallback on the
 * untrusted copy, if any), stops it. Returns { passed, failed }.
 */
async function checkFrontEnd(fe, found, nbs, untrusted, browser, env) {
  const port = await freePort();
  const token = crypto.randomBytes(12).toString("hex");
  const asRoot = !!(process.getuid && process.getuid() === 0);
  const server = spawn(found.python, serverArgs(fe, port, j.root, asRoot),
    { cwd: j.root, env: { ...env, JUPYTER_TOKEN: token }, stdio: ["ignore", "ignore", "pipe"] });
  let serverLog = "";
  server.stderr.on("data", (d) => (serverLog += d));
  const base = `http://127.0.0.1:${port}`;
  const headers = { Authorization: `token ${token}` };
  console.log(`-- ${fe.label} (${found.python} -m ${fe.module}), ${base}${fe.url("<notebook>")}`);
  const count = { passed: 0, failed: 0 };
  const context = await browser.newContext({ viewport: { width: 1200, height: 900 } });
  const pageErrors = [];
  try {
    await waitForServer(`${base}/api/status`, headers, limits.server, server);
    const page = await context.newPage();
    page.setDefaultTimeout(limits.firstCell); // a busy machine makes every step slow
    page.on("pageerror", (e) => pageErrors.push(e.message));
    for (const nb of nbs) {
      const ok = await report(`${path.relative(j.root, nb)} [${fe.name}]`, async () => {
        const r = await checkNotebook(page, base, token, fe, nb);
        const figs = r.figures ? `, ${r.figuresDrawn}/${r.figures} figure(s) drawn` : "";
        return { ...r, summary: `${r.drawn}/${r.charts} chart(s) drawn, ${r.images} picture(s)${figs}${r.cut ? ", screenshot cut" : ""}` };
      }, pageErrors);
      count[ok ? "passed" : "failed"]++;
      await shutdownKernels(base, headers);
    }
    if (untrusted) {
      const ok = await report(`${path.relative(j.root, untrusted)} [${fe.name}, untrusted]`, async () => {
        const r = await checkFallback(page, base, token, fe, untrusted);
        return { ...r, summary: `${r.charts} chart(s) show their PNG fallback` };
      }, pageErrors);
      count[ok ? "passed" : "failed"]++;
      await shutdownKernels(base, headers);
    }
  } catch (err) {
    count.failed++;
    console.log(`FAIL ${fe.label}: ${err.message}`);
  } finally {
    await context.close();
    await stopServer(server);
  }
  if (count.failed && process.env.VERBOSE) console.log(serverLog);
  return count;
}

async function main() {
  const nbs = listExecuted(process.argv.slice(2));
  const exe = findChromium();
  const found = j.findJupyterPython();
  if (!nbs.length) throw new Error("no executed notebooks under test-output/notebooks: run the notebooks first");
  if (!exe) throw new Error("no Chromium found: install chromium (npm run setup does it as root on Debian)");
  if (!found) throw new Error("no Jupyter found: run npm run setup");
  const fes = pickFrontEnds(frontEnds(found.python), process.env.BROWSER_UI);
  if (!fes.length) throw new Error(`${found.python} serves no Jupyter front end${process.env.BROWSER_UI ? ` named ${process.env.BROWSER_UI}` : ""}`);
  fs.mkdirSync(shotDir, { recursive: true });
  fs.mkdirSync(dataDir, { recursive: true });
  const env = j.jupyterEnv(prepareConfig());
  // Trust the executed notebooks (their own outputs): the trust database is the project-local one.
  for (const nb of nbs) spawnSync(found.python, ["-m", "nbformat.sign", nb], { env, stdio: "ignore" });
  const withChart = nbs.find((nb) => expectations(JSON.parse(fs.readFileSync(nb, "utf8"))).charts > 0);
  const untrusted = withChart ? untrustedCopy(withChart) : null;
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: exe, headless: true,
    args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
      "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage"] });
  const total = { passed: 0, failed: 0 };
  try {
    // Every notebook in the first front end; in the others (BROWSER_UI=all: every notebook there too)
    // the first notebook with charts, which proves the chart path works there, in a fraction of the time.
    for (const [i, fe] of fes.entries()) {
      const all = i === 0 || process.env.BROWSER_UI;
      const c = await checkFrontEnd(fe, found, all ? nbs : [withChart || nbs[0]], untrusted, browser, env);
      total.passed += c.passed;
      total.failed += c.failed;
    }
  } finally {
    await browser.close();
  }
  console.log(`browser: ${total.passed} passed, ${total.failed} failed (${fes.map((f) => f.label).join(", ")})`);
  process.exit(total.failed ? 1 : 0);
}

module.exports = { expectations, figureRefs, sourceDirOf, shotName, frontEnds, frontEndsFrom, pickFrontEnds, serverArgs, labSettings, waitForServer, stopServer, freePort, findChromium };

if (require.main === module) {
  main().catch((err) => {
    console.error(`browser check: ${err.message}`);
    process.exit(1);
  });
}
