#!/usr/bin/env node
// `npm run test:workshop`: a workshop day, lived in JupyterLab in headless Chromium against one Jupyter
// server (127.0.0.1) and one browser page, as a person would:
//   - open every lesson in order (notebooks/NN-*.ipynb: the first from its URL, the others by
//     double-clicking them in the file browser, each in its own tab), wait until the notebook's kernel
//     is connected and idle, Run → Run All Cells, wait; every code cell ran, every chart drew, no cell
//     shows an error, the kernel did not die; then File → Close and Shut Down Notebook;
//   - in the training notebook (below), press Kernel → Interrupt Kernel while a training runs: the loop
//     must say it stopped ("[train] interrupted (SIGINT) at step N", N short of the run's steps), its
//     cell must end without an error, and the cells after it run on the interrupted model;
//   - Kernel → Restart Kernel and Run All Cells, twice, on that notebook: peak memory must not grow;
//   - keep the first two notebooks' kernels alive at once (the first notebook's tab stays open while
//     the second runs, and its kernel is still alive, same process, after it).
// Records the wall time of each notebook and the peak memory (VmHWM) of its kernel process; fails on a
// dead kernel, an error output, a cell that did not run, an undrawn chart, or memory that grows across
// restarts. The notebooks run from copies in test-output/soak/ (autosave is off too): notebooks/ is
// never written. Screenshots: test-output/soak/screenshots/. Results: test-output/soak/results.json.
// Environment: SOAK_QUICK=0 for a full-mode day (default QUICK=1 with MINI_JEPA_SKIP_TRAINING=1, the
// workshop's short path); SOAK_INTERRUPT=NN-x.ipynb to choose the training notebook; SOAK_ONLY=regex
// to run only some notebooks; SOAK_NOTEBOOKS=dir to take the lessons from another folder inside the
// package (the self-test's crafted notebooks); SOAK_OUT=dir instead of test-output/soak;
// SOAK_CHART_TIMEOUT=s to wait for charts (default 120); VERBOSE=1 for the server log on failure.
const { spawn } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");
const bc = require("./browser-check.js");

const root = j.root;
const work = path.resolve(root, process.env.SOAK_OUT || path.join("test-output", "soak"));
/** Limits, in ms. */
const limits = {
  open: 180000, // a notebook's tab, cells and connected idle kernel
  started: 90000, // Run All: the first cell queued or running
  notebook: Number(process.env.SOAK_NOTEBOOK_TIMEOUT || 1800) * 1000,
  stalled: 30000, // nothing running, nothing queued, cells left unrun: Run All has stopped
  charts: Number(process.env.SOAK_CHART_TIMEOUT || 120) * 1000, // every chart drawn (or failed to)
};
/** Peak memory of the second Restart & Run All may exceed the first by this much before it counts as growth. */
const growth = { ratio: 1.15, mb: 64 };
/** Interrupt a training only while it is short of this fraction of its steps (the signal must land inside the loop). */
const interruptBefore = 0.6;

/** The folder the lessons come from: notebooks/, or SOAK_NOTEBOOKS. */
function lessonDir() {
  return process.env.SOAK_NOTEBOOKS ? path.resolve(root, process.env.SOAK_NOTEBOOKS) : path.join(root, "notebooks");
}

/** The lessons, in order: NN-*.ipynb (SOAK_ONLY filters them). */
function lessons(dir = lessonDir(), only = process.env.SOAK_ONLY) {
  const re = only ? new RegExp(only) : null;
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f) && (!re || re.test(f))).sort();
}

/** The code cells' sources of a notebook file. */
function codeCells(file) {
  const nb = JSON.parse(fs.readFileSync(file, "utf8"));
  return nb.cells.filter((c) => c.cell_type === "code").map((c) => [].concat(c.source).join(""));
}

/**
 * The notebook whose training gets interrupted: SOAK_INTERRUPT, else the first lesson with a code cell
 * calling train( that does not load a shipped run (`pretrained`), so it really trains in workshop mode.
 */
function interruptTarget(names, dir = lessonDir(), chosen = process.env.SOAK_INTERRUPT) {
  if (chosen) return path.basename(chosen);
  return names.find((n) => {
    const code = codeCells(path.join(dir, n));
    return code.some((s) => /\btrain\(/.test(s)) && !code.some((s) => /pretrained/.test(s));
  });
}

/** Kernel process memory, from /proc: the process whose command line names the kernel's connection file. */
function kernelPid(kernelId) {
  for (const pid of fs.readdirSync("/proc").filter((p) => /^\d+$/.test(p))) {
    try {
      if (fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(`kernel-${kernelId}.json`)) return Number(pid);
    } catch { /* gone */ }
  }
  return null;
}
function memMb(pid) {
  try {
    const s = fs.readFileSync(`/proc/${pid}/status`, "utf8");
    const kb = (k) => Number((new RegExp(`${k}:\\s+(\\d+)`).exec(s) || [])[1] || 0);
    return { rss: kb("VmRSS") / 1024, hwm: kb("VmHWM") / 1024 };
  } catch {
    return null;
  }
}

/**
 * Watches every kernel of the server once a second: its processes (a restart, asked for or after a
 * crash, starts a new one under the same kernel id), each process's peak memory, and whether it died.
 */
function kernelWatch(base, headers) {
  const seen = new Map(); // id -> { pids: [], peak: { pid: MB }, dead, state, gone }
  const tick = async () => {
    let list = [];
    try {
      list = await (await fetch(`${base}/api/kernels`, { headers })).json();
    } catch { return; }
    if (!Array.isArray(list)) return; // the server is busy or going away: next tick
    for (const s of seen.values()) s.gone = true;
    for (const k of list) {
      const s = seen.get(k.id) || { pids: [], peak: {}, dead: false };
      s.gone = false;
      let pid = s.pids[s.pids.length - 1];
      let m = pid && memMb(pid);
      if (!m) {
        const now = kernelPid(k.id);
        if (now && now !== pid) {
          s.pids.push(now);
          pid = now;
          m = memMb(now);
        }
      }
      if (m) s.peak[pid] = Math.max(s.peak[pid] || 0, m.hwm, m.rss);
      if (k.execution_state === "dead") s.dead = true;
      s.state = k.execution_state;
      seen.set(k.id, s);
    }
  };
  const timer = setInterval(() => tick().catch(() => {}), 1000);
  /** The kernel's current process and its peak memory so far. */
  const current = (id) => {
    const s = seen.get(id) || { pids: [], peak: {} };
    const pid = s.pids[s.pids.length - 1] || null;
    return { pid, peakMb: pid ? s.peak[pid] || 0 : 0, processes: s.pids.length, dead: !!s.dead, gone: !!s.gone };
  };
  return { seen, tick, current, stop: () => clearInterval(timer) };
}

/** JupyterLab 4's selectors; the notebook ones look only at the visible notebook. */
const visible = ".jp-NotebookPanel:not(.lm-mod-hidden)";
const sel = {
  panel: visible,
  codeCell: `${visible} .jp-CodeCell`,
  codePrompt: `${visible} .jp-CodeCell .jp-InputArea-prompt`,
  figure: `${visible} .mj-figure`,
  stderr: `${visible} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']`,
  error: `${visible} .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']`,
  progress: `${visible} .mj-progress progress`,
  // the notebook toolbar's kernel name ("No Kernel" until a session has one) and its status text
  kernelName: `${visible} [data-jp-item-name='kernelName'] jp-button`,
  kernelStatus: `${visible} [data-jp-item-name='executionProgress']`,
  statusBar: "#jp-main-statusbar .jp-StatusBar-Item",
  currentTab: "#jp-main-dock-panel .lm-TabBar-tab.lm-mod-current .lm-TabBar-tabLabel",
  tab: (name) => `#jp-main-dock-panel .lm-TabBar-tab .lm-TabBar-tabLabel:text-is("${name}")`,
  fileItem: (name) => `.jp-DirListing-item[data-file-type="notebook"] >> text="${name}"`,
  dialog: ".jp-Dialog",
  dialogContent: ".jp-Dialog-content",
};

/**
 * What the page says about the visible notebook's kernel. JupyterLab 4.6 shows "Kernel status: Idle"
 * in the notebook toolbar before any kernel is attached (the status bar then says "No Kernel |
 * Initializing"), and Run All pressed then runs nothing: it clears every cell and returns. So ready
 * means: the toolbar names a kernel, and both the toolbar and the status bar say it is idle.
 */
async function kernelShown(page) {
  return page.evaluate((s) => {
    const name = document.querySelector(s.kernelName);
    const status = document.querySelector(s.kernelStatus);
    const bar = [...document.querySelectorAll(s.statusBar)].map((e) => e.textContent.trim()).find((t) => / \| \w+$/.test(t)) || "";
    const tab = document.querySelector(s.currentTab);
    return {
      name: name ? name.getAttribute("aria-label") || name.textContent.trim() : "",
      status: status ? status.textContent.replace(/\s+/g, " ").trim() : "",
      bar,
      tab: tab ? tab.textContent.trim() : "",
    };
  }, { kernelName: sel.kernelName, kernelStatus: sel.kernelStatus, statusBar: sel.statusBar, currentTab: sel.currentTab });
}
const kernelReady = (k) => !!k.name && k.name !== "No Kernel" && /Idle/.test(k.status) && k.bar === `${k.name} | Idle`;

/** Waits until `name` is the current tab, shows all its code cells and its kernel is connected and idle (twice in a row). */
async function waitReady(page, name, cells, ms = limits.open) {
  const t0 = Date.now();
  let k = null;
  let n = 0;
  let stable = 0;
  while (Date.now() - t0 < ms) {
    k = await kernelShown(page);
    n = (await page.$$(sel.codePrompt)).length;
    if (k.tab === name && n === cells && kernelReady(k)) {
      if (++stable >= 2) return (Date.now() - t0) / 1000;
    } else stable = 0;
    await page.waitForTimeout(500);
  }
  throw new Error(`${name} was not ready within ${ms / 1000} s: current tab "${k && k.tab}", ${n}/${cells} code cells shown, ` +
    `kernel "${k && k.name}", toolbar "${k && k.status}", status bar "${k && k.bar}"`);
}

/** Clicks a top menu, then one of its items (as a person does). */
async function menu(page, top, item) {
  await page.click(`.lm-MenuBar-itemLabel:text-is("${top}")`);
  await page.click(`.lm-Menu-itemLabel:text-is("${item}")`);
}

/** Brings a notebook's tab to the front (menus act on the current notebook) and checks it is in front. */
async function activate(page, name) {
  await page.click(sel.tab(name));
  for (let t = 0; t < 20; t++) {
    if ((await kernelShown(page)).tab === name) return;
    await page.waitForTimeout(250);
  }
  throw new Error(`clicked the tab of ${name}, but "${(await kernelShown(page)).tab}" is in front`);
}

/** The code cells' prompts of the visible notebook: "[ ]:", "[*]:" or "[12]:". */
const prompts = (page) => page.$$eval(sel.codePrompt, (els) => els.map((e) => e.textContent.trim()));
const ran = (p) => /\[\d+\]/.test(p);

/**
 * Run → Run All Cells on the notebook in front, and make sure it really started: a prompt queued
 * ("[*]") or numbered. If not (it ran on no kernel), say so with a screenshot, wait for the kernel
 * again and press it again.
 */
async function runAll(page, name, cells, shot) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await activate(page, name);
    await menu(page, "Run", "Run All Cells");
    const t0 = Date.now();
    while (Date.now() - t0 < limits.started) {
      if ((await prompts(page)).some((p) => p.includes("*") || ran(p))) return attempt;
      await page.waitForTimeout(300);
    }
    const k = await kernelShown(page);
    await shot(`run-all-not-started-${attempt}`);
    console.log(`     Run → Run All Cells started no cell (attempt ${attempt}; tab "${k.tab}", kernel "${k.name}", status bar "${k.bar}")`);
    await waitReady(page, name, cells);
  }
  throw new Error("Run → Run All Cells did not start any cell");
}

/** Clicks the dialog's button with this label, else its accept button; returns the dialog's text, or null if none came. */
async function answerDialog(page, labels, ms = 10000) {
  const dialog = await page.waitForSelector(sel.dialog, { timeout: ms }).catch(() => null);
  if (!dialog) return null;
  const text = (await dialog.textContent()).replace(/\s+/g, " ").trim();
  for (const l of labels) {
    const b = await dialog.$(`button:has-text("${l}")`);
    if (b) {
      await b.click();
      return text;
    }
  }
  await (await dialog.$(".jp-mod-accept")).click();
  return text;
}

/**
 * Waits until Run All is over: nothing queued or running, and every code cell ran, or it stopped
 * (an error output, a dialog, the kernel dead, or cells left unrun with nothing running for a while).
 */
async function waitRunAll(page, ms, { onTick, dead } = {}) {
  const t0 = Date.now();
  let stable = 0;
  let idleSince = null;
  while (Date.now() - t0 < ms) {
    const p = await prompts(page);
    const busy = p.some((x) => x.includes("*"));
    const done = p.length && p.every(ran);
    if (onTick && busy) await onTick();
    const stopped = (await page.$$(sel.error)).length || (await page.$$(sel.dialog)).length || (dead && dead());
    if (!busy) idleSince = idleSince || Date.now();
    else idleSince = null;
    const stalled = idleSince && Date.now() - idleSince > limits.stalled;
    if (!busy && (done || stopped || stalled)) {
      if (++stable >= 2) return { prompts: p, secs: (Date.now() - t0) / 1000 };
    } else stable = 0;
    await page.waitForTimeout(500);
  }
  throw new Error(`Run All did not finish within ${ms / 1000} s`);
}

/** What the visible notebook shows after a run: cells run, charts drawn, errors, open dialogs. */
async function inspect(page) {
  await page.waitForFunction((s) => [...document.querySelectorAll(s)].every((el) => el.dataset.drawn || el.dataset.drawError),
    sel.figure, { timeout: limits.charts }).catch(() => {});
  const figs = await page.$$eval(sel.figure, (els) => els.map((el) => ({ drawn: el.dataset.drawn === "1", error: el.dataset.drawError || null })));
  const errors = await page.$$eval(sel.error, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim().slice(0, 200)));
  const stderr = await page.$$eval(sel.stderr, (els) => els.map((e) => e.textContent || "").filter((t) => /Error|Exception|Traceback/.test(t))
    .map((t) => t.replace(/\s+/g, " ").trim().slice(0, 200)));
  const dialogs = await page.$$eval(sel.dialogContent, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim().slice(0, 200)));
  const p = await prompts(page);
  const cells = await page.$$eval(sel.codeCell, (els) => els.map((e) => e.textContent || ""));
  return { charts: figs.length, drawn: figs.filter((f) => f.drawn).length, figErrors: figs.filter((f) => f.error).map((f) => f.error),
    errors, stderr, dialogs, cells: p.length, unrun: p.filter((x) => !ran(x)).length, cellText: cells };
}

/**
 * The interrupted training, read from its cell: the loop's message, the step it stopped at and the
 * steps it was asked for, no error in that cell, and every later cell run.
 */
async function interruptReport(page, cellIndex, r) {
  const info = await page.$$eval(sel.codeCell, (els, i) => {
    const cell = els[i];
    if (!cell) return null;
    const bar = cell.querySelector(".mj-progress progress");
    return {
      text: cell.textContent || "",
      max: bar ? Number(bar.max) : null,
      error: !!cell.querySelector(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']"),
      stderr: [...cell.querySelectorAll(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")].map((e) => e.textContent).join(" "),
    };
  }, cellIndex);
  const problems = [];
  const m = info && /\[train\] interrupted \(SIGINT\) at step (\d+)/.exec(info.text);
  if (!info) problems.push(`the interrupted cell (code cell ${cellIndex + 1}) is gone`);
  else if (!m) problems.push(`Kernel → Interrupt during training (code cell ${cellIndex + 1}): the loop did not say it stopped ([train] interrupted (SIGINT) at step N)`);
  else if (info.max && Number(m[1]) >= info.max) problems.push(`the training ran to its end (${m[1]} of ${info.max} steps): the interrupt came too late`);
  if (info && (info.error || /Interrupted|Error/.test(info.stderr))) {
    problems.push(`the interrupted training's cell ended with an error: ${(info.stderr || "error output").replace(/\s+/g, " ").trim().slice(0, 200)}`);
  }
  const later = r.promptsAfter.slice(cellIndex + 1);
  if (!later.every(ran)) problems.push(`${later.filter((p) => !ran(p)).length} of ${later.length} cell(s) after the interrupted training did not run`);
  return { step: m ? Number(m[1]) : null, steps: info ? info.max : null, cell: cellIndex + 1, problems };
}

async function main() {
  const found = j.findJupyterPython();
  if (!found) throw new Error("no Jupyter found: npm run setup");
  const lab = bc.frontEnds(found.python).find((f) => f.name === "lab");
  if (!lab) throw new Error(`${found.python} has no JupyterLab: the soak drives JupyterLab (npm run setup makes a .venv with it; MINI_JEPA_PYTHON picks a Python)`);
  const exe = bc.findChromium();
  if (!exe) throw new Error("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
  const srcDir = lessonDir();
  if (path.relative(root, srcDir).startsWith("..")) throw new Error(`SOAK_NOTEBOOKS=${srcDir} is outside the package (the kernel runs in the package root)`);
  if (path.relative(root, work).startsWith("..")) throw new Error(`SOAK_OUT=${work} is outside the package (the server serves the package root)`);
  const names = lessons(srcDir);
  if (!names.length) throw new Error(`no NN-*.ipynb in ${srcDir}`);
  const target = interruptTarget(names, srcDir);
  const quick = process.env.SOAK_QUICK !== "0";

  // copies of the notebooks (and their figures) to run: the originals are never written
  fs.rmSync(work, { recursive: true, force: true });
  const nbDir = path.join(work, "notebooks");
  fs.mkdirSync(nbDir, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(srcDir, n), path.join(nbDir, n));
  if (fs.existsSync(path.join(srcDir, "figures"))) fs.cpSync(path.join(srcDir, "figures"), path.join(nbDir, "figures"), { recursive: true });
  const shots = path.join(work, "screenshots");
  fs.mkdirSync(shots, { recursive: true });

  // one server for the whole day, project-local config (autosave off, no windowing)
  const configDir = path.join(work, "jupyter-config");
  const dataDir = path.join(work, "jupyter-data");
  const settingsDir = path.join(configDir, "lab", "user-settings");
  for (const [file, value] of Object.entries(bc.labSettings)) {
    fs.mkdirSync(path.dirname(path.join(settingsDir, file)), { recursive: true });
    fs.writeFileSync(path.join(settingsDir, file), JSON.stringify(value));
  }
  const env = j.jupyterEnv({
    JUPYTER_CONFIG_DIR: configDir, JUPYTER_DATA_DIR: dataDir, JUPYTER_RUNTIME_DIR: path.join(dataDir, "runtime"),
    JUPYTERLAB_SETTINGS_DIR: settingsDir, JUPYTERLAB_WORKSPACES_DIR: path.join(configDir, "lab", "workspaces"),
    QUICK: quick ? "1" : "0", ...(quick ? { MINI_JEPA_SKIP_TRAINING: "1" } : {}),
  });
  const port = await bc.freePort();
  const token = crypto.randomBytes(12).toString("hex");
  const asRoot = !!(process.getuid && process.getuid() === 0);
  const server = spawn(found.python, bc.serverArgs(lab, port, root, asRoot), { cwd: root, env: { ...env, JUPYTER_TOKEN: token }, stdio: ["ignore", "ignore", "pipe"] });
  let serverLog = "";
  server.stderr.on("data", (d) => (serverLog += d));
  process.on("exit", () => server.exitCode === null && server.kill("SIGKILL")); // never leave a server behind
  const base = `http://127.0.0.1:${port}`;
  const headers = { Authorization: `token ${token}` };
  const api = async (p, opts = {}) => (await fetch(`${base}${p}`, { headers, ...opts })).json().catch(() => null);
  const t0 = Date.now();
  const results = [];
  const problems = [];
  let interrupt = null;
  let restarts = null;
  console.log(`workshop soak: ${names.length} notebook(s) in JupyterLab (${found.python}), ${quick ? "QUICK=1 + workshop mode (MINI_JEPA_SKIP_TRAINING=1)" : "full mode"}; interrupt in ${target || "(none)"}`);
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"] });
  const watch = kernelWatch(base, headers);
  let page = null;
  try {
    await bc.waitForServer(`${base}/api/status`, headers, 90000, server);
    page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(limits.open);
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    const shotOf = (n) => (what) => page.screenshot({ path: path.join(shots, `${n.replace(/\.ipynb$/, "")}${what ? `.${what}` : ""}.png`) }).catch(() => {});
    const relOf = (n) => path.relative(root, path.join(nbDir, n)).split(path.sep).join("/");

    /** The kernel id of a notebook's session (waits for the session to appear). */
    const sessionKernel = async (n) => {
      for (let t = 0; t < 60; t++) {
        const sessions = await api("/api/sessions");
        const s = Array.isArray(sessions) && sessions.find((x) => x.path === relOf(n) || (x.notebook && x.notebook.path === relOf(n)));
        if (s && s.kernel) return s.kernel.id;
        await page.waitForTimeout(1000);
      }
      throw new Error(`no kernel session for ${relOf(n)}`);
    };

    /** Opens a lesson as a person does (the first from its URL, the others from the file browser) and waits until its kernel is idle. */
    const open = async (n, first) => {
      if (first) {
        await page.goto(`${base}/lab/tree/${relOf(n).split("/").map(encodeURIComponent).join("/")}?reset&token=${token}`, { waitUntil: "domcontentloaded", timeout: limits.open });
      } else {
        await page.dblclick(sel.fileItem(n));
      }
      const secs = await waitReady(page, n, codeCells(path.join(nbDir, n)).length);
      return { kernelId: await sessionKernel(n), secs };
    };

    /** File → Close and Shut Down Notebook… on a lesson's tab; checks its kernel is gone. */
    const close = async (n, kernelId) => {
      // a dialog left open (e.g. "the kernel appears to have died") blocks the page: dismiss it first
      for (let d = 0; d < 3 && (await answerDialog(page, ["Ok", "OK", "Dismiss"], 500)); d++);
      await activate(page, n);
      await menu(page, "File", "Close and Shut Down Notebook…");
      for (let d = 0; d < 3 && (await answerDialog(page, ["Shut Down", "Discard", "Don't Save"], 5000)); d++);
      for (let t = 0; t < 60; t++) {
        const list = await api("/api/kernels");
        if (Array.isArray(list) && !list.some((k) => k.id === kernelId)) return;
        await page.waitForTimeout(500);
      }
      problems.push(`${n}: File → Close and Shut Down Notebook left its kernel running`);
      console.log(`FAIL ${n}: File → Close and Shut Down Notebook left its kernel running`);
    };

    /** Reports one run; `processes` = how many kernel processes there were when it started (more = it died and restarted). */
    const check = async (label, r, kernelId, processes, extra = []) => {
      await watch.tick();
      const k = watch.current(kernelId);
      const p = [...extra];
      if (k.dead) p.push("the kernel died");
      else if (k.processes > processes) p.push("the kernel died and was restarted during the run");
      if (r.unrun) p.push(`${r.unrun} of ${r.cells} code cell(s) did not run`);
      if (r.drawn < r.charts) p.push(`${r.charts - r.drawn} of ${r.charts} chart(s) did not draw${r.figErrors.length ? `: ${r.figErrors[0]}` : ""}`);
      r.errors.forEach((e) => p.push(`error output: ${e}`));
      r.stderr.forEach((e) => p.push(`a cell shows an error: ${e}`));
      r.dialogs.forEach((d) => p.push(`a dialog is open: ${d}`));
      console.log(`${p.length ? "FAIL" : "ok  "} ${label}: ${r.secs.toFixed(0)} s, ${r.cells - r.unrun}/${r.cells} cells, ${r.drawn}/${r.charts} chart(s), kernel peak ${Math.round(k.peakMb)} MB`);
      p.forEach((x) => console.log(`     ${x}`));
      problems.push(...p.map((x) => `${label}: ${x}`));
      results.push({ label, secs: Math.round(r.secs), cells: r.cells, unrun: r.unrun, charts: r.charts, drawn: r.drawn, peakMb: Math.round(k.peakMb), ok: !p.length });
      return k;
    };

    let keptAlive = null; // the first notebook, its tab open and its kernel alive while the second runs
    for (const [i, n] of names.entries()) {
      const shot = shotOf(n);
      const cells = codeCells(path.join(nbDir, n)).length;
      const opened = await open(n, i === 0);
      const { kernelId } = opened;
      await watch.tick();
      const before = watch.current(kernelId).processes;
      const interruptHere = n === target;
      let pressed = null; // the code cell whose training was running when Kernel → Interrupt was pressed
      const tOpen = Date.now();
      await runAll(page, n, cells, shot);
      const run = await waitRunAll(page, limits.notebook, {
        dead: () => watch.current(kernelId).dead,
        onTick: interruptHere ? async () => {
          if (pressed !== null) return;
          const at = await page.$$eval(sel.codeCell, (els, f) => els.findIndex((c) => [...c.querySelectorAll(".mj-progress progress")]
            .some((p) => Number(p.value) > 0 && Number(p.value) < f * Number(p.max))), interruptBefore);
          if (at >= 0) {
            await menu(page, "Kernel", "Interrupt Kernel");
            pressed = at;
            console.log(`     Kernel → Interrupt Kernel pressed during the training in code cell ${at + 1}`);
          }
        } : null,
      });
      const r = { ...(await inspect(page)), secs: (Date.now() - tOpen) / 1000, promptsAfter: run.prompts };
      await shot();
      const extra = [];
      if (interruptHere) {
        if (pressed === null) extra.push("no training was seen running to interrupt");
        else {
          interrupt = await interruptReport(page, pressed, r);
          extra.push(...interrupt.problems);
          if (!interrupt.problems.length) console.log(`     interrupted: the loop stopped at step ${interrupt.step} of ${interrupt.steps}; its cell ended cleanly and the ${cells - pressed - 1} cell(s) after it ran on that model`);
        }
      }
      const s = await check(`${n}${interruptHere ? " (Run All + Kernel → Interrupt)" : ""}`, r, kernelId, before, extra);
      results[results.length - 1].notebook = n;
      results[results.length - 1].openSecs = Math.round(opened.secs);
      if (i === 1 && keptAlive) {
        // two notebooks' kernels alive at once: the first's kernel lived through the second's run
        const first = watch.current(keptAlive.kernelId);
        const list = await api("/api/kernels");
        const alive = Array.isArray(list) && list.some((k) => k.id === keptAlive.kernelId && k.execution_state !== "dead");
        const p = [];
        if (!alive || first.dead) p.push("the first notebook's kernel died while the second ran");
        else if (first.pid !== keptAlive.pid) p.push("the first notebook's kernel was restarted (another process)");
        console.log(`${p.length ? "FAIL" : "ok  "} two kernels alive at once: ${keptAlive.n} (pid ${first.pid}, peak ${Math.round(first.peakMb)} MB) while ${n} ran (pid ${s.pid}, peak ${Math.round(s.peakMb)} MB)`);
        p.forEach((x) => console.log(`     ${x}`));
        problems.push(...p);
        await close(keptAlive.n, keptAlive.kernelId);
        keptAlive = null;
      }
      if (interruptHere && !problems.some((p) => /kernel died/.test(p))) {
        // Kernel → Restart Kernel and Run All Cells, twice: peak memory must not grow
        const peaks = [];
        for (const k of [1, 2]) {
          await activate(page, n);
          const id = await sessionKernel(n);
          const was = watch.current(id).processes;
          const tr = Date.now();
          await menu(page, "Kernel", "Restart Kernel and Run All Cells…");
          await answerDialog(page, ["Restart", "Confirm Kernel Restart"]);
          for (let t = 0; t < 120 && watch.current(id).processes <= was; t++) {
            await page.waitForTimeout(1000);
            await watch.tick();
          }
          const started = watch.current(id).processes;
          // the old run's prompts stay until the new run queues its cells: wait for that first
          const t1 = Date.now();
          while (Date.now() - t1 < limits.open && !(await prompts(page)).some((x) => x.includes("*")) && !watch.current(id).dead) await page.waitForTimeout(200);
          await waitRunAll(page, limits.notebook, { dead: () => watch.current(id).dead });
          const rr = { ...(await inspect(page)), secs: (Date.now() - tr) / 1000 };
          await shot(`restart-${k}`);
          const st = await check(`${n} (Kernel → Restart Kernel and Run All Cells, ${k} of 2)`, rr, id, started,
            started > was ? [] : ["Restart did not start a new kernel process"]);
          results[results.length - 1].notebook = n;
          const mem = st.pid && memMb(st.pid);
          peaks.push({ pid: st.pid, peakMb: Math.max(st.peakMb, mem ? mem.hwm : 0) });
        }
        const [a, b] = peaks;
        const p = [];
        if (b.peakMb > a.peakMb * growth.ratio + growth.mb) p.push(`peak memory grew across restarts: ${Math.round(a.peakMb)} MB, then ${Math.round(b.peakMb)} MB`);
        restarts = { first: Math.round(s.peakMb), peaks: peaks.map((x) => Math.round(x.peakMb)), grew: !!p.length };
        console.log(`${p.length ? "FAIL" : "ok  "} memory across restarts: peak ${Math.round(s.peakMb)} MB (first run), ${Math.round(a.peakMb)} MB, ${Math.round(b.peakMb)} MB (restarts)`);
        p.forEach((x) => console.log(`     ${x}`));
        problems.push(...p);
      }
      if (i === 0 && names.length > 1) keptAlive = { n, kernelId, pid: s.pid };
      else await close(n, await sessionKernel(n).catch(() => kernelId));
    }
    const counts = new Map();
    pageErrors.forEach((e) => counts.set(e.slice(0, 160), (counts.get(e.slice(0, 160)) || 0) + 1));
    counts.forEach((c, e) => console.log(`     page error (not counted): ${e}${c > 1 ? ` (${c} times)` : ""}`));
  } catch (err) {
    problems.push(err.message);
    if (page) await page.screenshot({ path: path.join(shots, "failure.png") }).catch(() => {});
    console.log(`FAIL ${err.message}`);
  } finally {
    watch.stop();
    await browser.close();
    await bc.stopServer(server);
  }
  const total = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(work, "results.json"), JSON.stringify({ quick, target, totalSecs: Math.round(total), interrupt, restarts, results, problems }, null, 1) + "\n");
  console.log(`\nnotebook | wall time | kernel peak memory`);
  for (const r of results) console.log(`${r.label} | ${r.secs} s | ${r.peakMb} MB`);
  console.log(`whole day: ${(total / 60).toFixed(1)} min`);
  if (problems.length && process.env.VERBOSE) console.log(serverLog.slice(-5000));
  const failed = results.filter((r) => !r.ok).length + (problems.length && !results.some((r) => !r.ok) ? 1 : 0);
  console.log(`workshop: ${results.length - results.filter((r) => !r.ok).length} passed, ${failed} failed`);
  process.exit(problems.length ? 1 : 0);
}

module.exports = { lessons, interruptTarget, codeCells, kernelReady };

if (require.main === module) {
  main().catch((err) => {
    console.error(`workshop soak: ${err.message}`);
    process.exit(1);
  });
}
