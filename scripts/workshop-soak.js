#!/usr/bin/env node
// `npm run test:workshop`: a workshop day, lived in JupyterLab in headless Chromium against one Jupyter
// server (127.0.0.1), as a person would:
//   - open every lesson (notebooks/NN-*.ipynb, in order), Run → Run All Cells, wait; every chart drew,
//     no cell shows an error, the kernel did not die;
//   - in the training notebook (below), press Kernel → Interrupt Kernel while a training runs: the loop
//     must say it stopped ("[train] interrupted (SIGINT) at step N") and the cells after it run on the
//     interrupted model without an error;
//   - Kernel → Restart Kernel and Run All Cells, twice, on that notebook: peak memory must not grow;
//   - keep the first two notebooks' kernels alive at once (the first is not shut down while the second
//     runs, and is still alive, same process, after it).
// Records the wall time of each notebook and the peak memory (VmHWM) of its kernel process; fails on a
// dead kernel, an error output, an undrawn chart, or memory that grows across restarts. The notebooks
// run from copies in test-output/soak/ (autosave is off too): notebooks/ is never written.
// Screenshots: test-output/soak/screenshots/. Results: test-output/soak/results.json.
// Environment: SOAK_QUICK=0 for a full-mode day (default QUICK=1 with MINI_JEPA_SKIP_TRAINING=1, the
// workshop's short path); SOAK_INTERRUPT=notebooks/NN-x.ipynb to choose the training notebook;
// SOAK_ONLY=regex to run only some notebooks; VERBOSE=1 for the server log on failure.
const { spawn } = require("child_process");
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");
const bc = require("./browser-check.js");

const root = j.root;
const work = path.join(root, "test-output", "soak");
/** Limits, in ms. */
const limits = { open: 120000, notebook: Number(process.env.SOAK_NOTEBOOK_TIMEOUT || 1800) * 1000, charts: 120000 };
/** Peak memory of the second Restart & Run All may exceed the first by this much before it counts as growth. */
const growth = { ratio: 1.15, mb: 64 };

/** The lessons, in order: notebooks/NN-*.ipynb (SOAK_ONLY filters them). */
function lessons() {
  const dir = path.join(root, "notebooks");
  const only = process.env.SOAK_ONLY ? new RegExp(process.env.SOAK_ONLY) : null;
  return fs.readdirSync(dir).filter((f) => /^\d\d-.*\.ipynb$/.test(f) && (!only || only.test(f))).sort();
}

/**
 * The notebook whose training gets interrupted: SOAK_INTERRUPT, else the first lesson with a code cell
 * calling train( that does not load a shipped run (`pretrained`), so it really trains in workshop mode.
 */
function interruptTarget(names) {
  if (process.env.SOAK_INTERRUPT) return path.basename(process.env.SOAK_INTERRUPT);
  return names.find((n) => {
    const nb = JSON.parse(fs.readFileSync(path.join(root, "notebooks", n), "utf8"));
    const code = nb.cells.filter((c) => c.cell_type === "code").map((c) => [].concat(c.source).join(""));
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
  const seen = new Map(); // id -> { pids: [], peak: { pid: MB }, dead, state }
  const tick = async () => {
    let list = [];
    try {
      list = await (await fetch(`${base}/api/kernels`, { headers })).json();
    } catch { return; }
    if (!Array.isArray(list)) return; // the server is busy or going away: next tick
    for (const k of list) {
      const s = seen.get(k.id) || { pids: [], peak: {}, dead: false };
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
    return { pid, peakMb: pid ? s.peak[pid] || 0 : 0, processes: s.pids.length, dead: !!s.dead };
  };
  return { seen, tick, current, stop: () => clearInterval(timer) };
}

/** JupyterLab's selectors for the visible notebook. */
const sel = {
  panel: ".jp-NotebookPanel:not(.lm-mod-hidden)",
  cell: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Cell",
  codePrompt: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell .jp-InputArea-prompt",
  figure: ".jp-NotebookPanel:not(.lm-mod-hidden) .mj-figure",
  stderr: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
  error: ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output[data-mime-type='application/vnd.jupyter.error']",
  progress: ".jp-NotebookPanel:not(.lm-mod-hidden) .mj-progress progress",
  dialog: ".jp-Dialog-content",
};

/**
 * Run → Run All Cells, and make sure the kernel really started on it (a prompt numbered, or the server
 * says the kernel is busy). On a loaded machine the first click after opening sometimes queues cells
 * that never reach the kernel: then reload the page, as a person would, and run again.
 */
async function runAll(page, shots, label, reopen, kernelBusy) {
  for (let attempt = 1; attempt <= 3; attempt++) {
    await menu(page, "Run", "Run All Cells");
    for (let t = 0; t < 90; t++) {
      const prompts = await page.$$eval(sel.codePrompt, (els) => els.map((e) => e.textContent.trim()));
      if (prompts.some((p) => /\[\d+\]/.test(p)) || (await kernelBusy())) return attempt;
      await page.waitForTimeout(500);
    }
    await page.screenshot({ path: path.join(shots, `${label}.run-all-not-started-${attempt}.png`) });
    console.log(`     Run All did not reach the kernel (attempt ${attempt}); reloading the page`);
    await reopen();
  }
  throw new Error("Run → Run All Cells did not start any cell");
}

/** Clicks a top menu, then one of its items (as a person does). */
async function menu(page, top, item) {
  await page.click(`.lm-MenuBar-itemLabel:text-is("${top}")`);
  await page.click(`.lm-Menu-itemLabel:text-is("${item}")`);
}

/** The kernel id of a notebook's session (waits for the session to appear). */
async function sessionKernel(base, headers, rel) {
  for (let t = 0; t < 30; t++) {
    const sessions = await (await fetch(`${base}/api/sessions`, { headers })).json();
    const s = Array.isArray(sessions) && sessions.find((x) => [x.path, x.notebook && x.notebook.path].some((p) => p && (p === rel || p.endsWith(`/${path.basename(rel)}`) || p === path.basename(rel))));
    if (s && s.kernel) return s.kernel.id;
    await new Promise((r) => setTimeout(r, 1000));
  }
  throw new Error(`no kernel session for ${rel}`);
}

/** Waits until every code cell ran: no "[*]", every prompt numbered (or Run All stopped at an error). */
async function waitRunAll(page, ms, onTick) {
  const t0 = Date.now();
  let stable = 0;
  while (Date.now() - t0 < ms) {
    const prompts = await page.$$eval(sel.codePrompt, (els) => els.map((e) => e.textContent.trim()));
    const errors = await page.$$(sel.error);
    const busy = prompts.some((p) => p.includes("*"));
    const done = prompts.length && prompts.every((p) => /\[\d+\]/.test(p));
    if (onTick) await onTick();
    if (!busy && (done || errors.length)) {
      if (++stable >= 2) return { prompts, secs: (Date.now() - t0) / 1000 };
    } else stable = 0;
    await page.waitForTimeout(500);
  }
  throw new Error(`Run All did not finish within ${ms / 1000} s`);
}

/** What the visible notebook shows after a run: charts drawn, errors. */
async function inspect(page) {
  await page.waitForFunction((s) => [...document.querySelectorAll(s)].every((el) => el.dataset.drawn || el.dataset.drawError),
    sel.figure, { timeout: limits.charts }).catch(() => {});
  const figs = await page.$$eval(sel.figure, (els) => els.map((el) => ({ drawn: el.dataset.drawn === "1", error: el.dataset.drawError || null })));
  const errors = await page.$$eval(sel.error, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim().slice(0, 200)));
  const stderr = await page.$$eval(sel.stderr, (els) => els.map((e) => e.textContent || "").filter((t) => /Error|Exception|Traceback/.test(t))
    .map((t) => t.replace(/\s+/g, " ").trim().slice(0, 200)));
  const dialogs = await page.$$eval(sel.dialog, (els) => els.map((e) => e.textContent.replace(/\s+/g, " ").trim().slice(0, 200)));
  const text = await page.$eval(sel.panel, (el) => el.textContent || "");
  return { charts: figs.length, drawn: figs.filter((f) => f.drawn).length, figErrors: figs.filter((f) => f.error).map((f) => f.error), errors, stderr, dialogs, text };
}

async function openNotebook(page, base, token, rel) {
  await page.goto(`${base}/lab/tree/${rel.split("/").map(encodeURIComponent).join("/")}?reset&token=${token}`, { waitUntil: "domcontentloaded", timeout: limits.open });
  await page.waitForSelector(sel.cell, { timeout: limits.open });
  // wait until the kernel is started and idle before running, as a person waits for "Idle"
  await page.waitForSelector(".jp-Notebook-ExecutionIndicator[data-status='idle']", { timeout: limits.open });
  await page.waitForTimeout(2000);
}

async function main() {
  const found = j.findJupyterPython();
  if (!found) throw new Error("no Jupyter found: npm run setup");
  const lab = bc.frontEnds(found.python).find((f) => f.name === "lab");
  if (!lab) throw new Error(`${found.python} has no JupyterLab: the soak drives JupyterLab (npm run setup makes a .venv with it)`);
  const exe = bc.findChromium();
  if (!exe) throw new Error("no Chromium found (apt-get install chromium, or set CHROMIUM_PATH)");
  const names = lessons();
  if (!names.length) throw new Error("no notebooks/NN-*.ipynb");
  const target = interruptTarget(names);
  const quick = process.env.SOAK_QUICK !== "0";

  // copies of the notebooks (and their figures) to run: the originals are never written
  fs.rmSync(work, { recursive: true, force: true });
  const nbDir = path.join(work, "notebooks");
  fs.mkdirSync(nbDir, { recursive: true });
  for (const n of names) fs.copyFileSync(path.join(root, "notebooks", n), path.join(nbDir, n));
  if (fs.existsSync(path.join(root, "notebooks", "figures"))) fs.cpSync(path.join(root, "notebooks", "figures"), path.join(nbDir, "figures"), { recursive: true });
  const shots = path.join(work, "screenshots");
  fs.mkdirSync(shots, { recursive: true });

  // one server for the whole day, project-local config (autosave off, no windowing)
  const configDir = path.join(work, "jupyter-config");
  const dataDir = path.join(work, "jupyter-data");
  const settingsDir = path.join(configDir, "lab", "user-settings");
  for (const [file, value] of Object.entries({ ...bc.labSettings,
    "@jupyterlab/apputils-extension/sessionDialogs.jupyterlab-settings": {} })) {
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
  const t0 = Date.now();
  const results = [];
  const problems = [];
  console.log(`workshop soak: ${names.length} notebook(s) in JupyterLab, ${quick ? "QUICK=1 + workshop mode" : "full mode"}; interrupt in ${target || "(none)"}`);
  const { chromium } = require("playwright-core");
  const browser = await chromium.launch({ executablePath: exe, headless: true, args: ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run", "--disable-background-networking"] });
  const watch = kernelWatch(base, headers);
  try {
    await bc.waitForServer(`${base}/api/status`, headers, 90000, server);
    const page = await (await browser.newContext({ viewport: { width: 1280, height: 900 } })).newPage();
    page.setDefaultTimeout(limits.open);
    const pageErrors = [];
    page.on("pageerror", (e) => pageErrors.push(e.message));
    let keptAlive = null; // the first notebook's kernel, kept while the second runs

    /** Reports one run; `processes` = how many kernel processes there were when it started (more = it died and restarted). */
    const check = async (label, r, kernelId, processes, extra = []) => {
      await watch.tick();
      const k = watch.current(kernelId);
      const p = [...extra];
      if (k.dead) p.push("the kernel died");
      else if (k.processes > processes) p.push("the kernel died and was restarted during the run");
      if (r.drawn < r.charts) p.push(`${r.charts - r.drawn} of ${r.charts} chart(s) did not draw${r.figErrors.length ? `: ${r.figErrors[0]}` : ""}`);
      r.errors.forEach((e) => p.push(`error output: ${e}`));
      r.stderr.forEach((e) => p.push(`a cell shows an error: ${e}`));
      r.dialogs.forEach((d) => p.push(`a dialog is open: ${d}`));
      console.log(`${p.length ? "FAIL" : "ok  "} ${label}: ${r.secs.toFixed(0)} s, ${r.drawn}/${r.charts} chart(s), kernel peak ${Math.round(k.peakMb)} MB`);
      p.forEach((x) => console.log(`     ${x}`));
      problems.push(...p.map((x) => `${label}: ${x}`));
      results.push({ label, secs: r.secs, charts: r.charts, drawn: r.drawn, peakMb: Math.round(k.peakMb), ok: !p.length });
      return k;
    };

    for (const [i, n] of names.entries()) {
      const rel = path.relative(root, path.join(nbDir, n)).split(path.sep).join("/");
      await openNotebook(page, base, token, rel);
      const kernelId = await sessionKernel(base, headers, rel);
      await watch.tick();
      const before = watch.current(kernelId).processes;
      const interruptHere = n === target;
      let interrupted = null;
      const busy = async () => {
        const ks = await (await fetch(`${base}/api/kernels/${kernelId}`, { headers })).json().catch(() => ({}));
        return ks.execution_state === "busy";
      };
      await runAll(page, shots, n.replace(/\.ipynb$/, ""), () => openNotebook(page, base, token, rel), busy);
      const run = await waitRunAll(page, limits.notebook, interruptHere ? async () => {
        if (interrupted) return;
        const running = await page.$$eval(sel.progress, (els) => els.some((p) => Number(p.value) > 0 && Number(p.value) < Number(p.max)));
        if (running) {
          await menu(page, "Kernel", "Interrupt Kernel");
          interrupted = Date.now();
        }
      } : null);
      await watch.tick();
      const r = { ...(await inspect(page)), secs: run.secs };
      await page.screenshot({ path: path.join(shots, `${n.replace(/\.ipynb$/, "")}.png`) });
      const extra = [];
      if (interruptHere) {
        const m = /\[train\] interrupted \(SIGINT\) at step (\d+)/.exec(r.text);
        if (!interrupted) extra.push("no training was seen running to interrupt");
        else if (!m) extra.push("Kernel → Interrupt during training: the loop did not say it stopped ([train] interrupted (SIGINT) at step N)");
        else console.log(`     interrupted during training: the loop stopped at step ${m[1]}; the cells after it ran on that model`);
        if (!run.prompts.every((p) => /\[\d+\]/.test(p))) extra.push("not every cell ran after the interrupt");
      }
      const s = await check(`${n}${interruptHere ? " (Run All + Kernel → Interrupt)" : ""}`, r, kernelId, before, extra);
      if (i === 1 && keptAlive) {
        // two notebooks' kernels alive at once: the first's kernel lived through the second's run
        const first = watch.current(keptAlive.id);
        const list = await (await fetch(`${base}/api/kernels`, { headers })).json();
        const alive = Array.isArray(list) && list.some((k) => k.id === keptAlive.id && k.execution_state !== "dead");
        const p = [];
        if (!alive || first.dead) p.push("the first notebook's kernel died while the second ran");
        else if (first.pid !== keptAlive.pid) p.push("the first notebook's kernel was restarted (another process)");
        console.log(`${p.length ? "FAIL" : "ok  "} two kernels alive at once: ${names[0]} (pid ${first.pid}, peak ${Math.round(first.peakMb)} MB) while ${n} ran (pid ${s.pid})`);
        p.forEach((x) => console.log(`     ${x}`));
        problems.push(...p);
        await fetch(`${base}/api/kernels/${keptAlive.id}`, { method: "DELETE", headers });
      }
      if (interruptHere) {
        // Kernel → Restart Kernel and Run All Cells, twice: peak memory must not grow
        const peaks = [];
        for (const k of [1, 2]) {
          const id = await sessionKernel(base, headers, rel);
          const was = watch.current(id).processes;
          await menu(page, "Kernel", "Restart Kernel and Run All Cells…");
          const confirm = await page.waitForSelector(".jp-Dialog .jp-mod-accept", { timeout: 10000 }).catch(() => null);
          if (confirm) await confirm.click();
          for (let t = 0; t < 120 && watch.current(id).processes <= was; t++) {
            await page.waitForTimeout(1000);
            await watch.tick();
          }
          const started = watch.current(id).processes;
          const restartRun = await waitRunAll(page, limits.notebook);
          const rr = { ...(await inspect(page)), secs: restartRun.secs };
          const extraR = started > was ? [] : ["Restart did not start a new kernel process"];
          const st = await check(`${n} (Kernel → Restart Kernel and Run All Cells, ${k} of 2)`, rr, id, started, extraR);
          const mem = st.pid && memMb(st.pid);
          peaks.push({ pid: st.pid, peakMb: Math.max(st.peakMb, mem ? mem.hwm : 0) });
        }
        const [a, b] = peaks;
        const p = [];
        if (b.peakMb > a.peakMb * growth.ratio + growth.mb) p.push(`peak memory grew across restarts: ${Math.round(a.peakMb)} MB, then ${Math.round(b.peakMb)} MB`);
        console.log(`${p.length ? "FAIL" : "ok  "} memory across restarts: peak ${Math.round(s.peakMb)} MB (first run), ${Math.round(a.peakMb)} MB, ${Math.round(b.peakMb)} MB (restarts)`);
        p.forEach((x) => console.log(`     ${x}`));
        problems.push(...p);
      }
      if (i === 0 && names.length > 1) keptAlive = { id: kernelId, pid: s.pid };
      else if (kernelId) await fetch(`${base}/api/kernels/${kernelId}`, { method: "DELETE", headers });
    }
    pageErrors.forEach((e) => console.log(`     page error (not counted): ${e.slice(0, 160)}`));
  } catch (err) {
    problems.push(err.message);
    console.log(`FAIL ${err.message}`);
  } finally {
    watch.stop();
    await browser.close();
    await bc.stopServer(server);
  }
  const total = (Date.now() - t0) / 1000;
  fs.writeFileSync(path.join(work, "results.json"), JSON.stringify({ quick, target, totalSecs: total, results, problems }, null, 1) + "\n");
  console.log(`\nnotebook | wall time | kernel peak memory`);
  for (const r of results) console.log(`${r.label} | ${r.secs.toFixed(0)} s | ${r.peakMb} MB`);
  console.log(`whole day: ${(total / 60).toFixed(1)} min`);
  if (problems.length && process.env.VERBOSE) console.log(serverLog.slice(-5000));
  const failed = results.filter((r) => !r.ok).length + (problems.length && !results.some((r) => !r.ok) ? 1 : 0);
  console.log(`workshop: ${results.length - results.filter((r) => !r.ok).length} passed, ${failed} failed`);
  process.exit(problems.length ? 1 : 0);
}

module.exports = { lessons, interruptTarget };

if (require.main === module) {
  main().catch((err) => {
    console.error(`workshop soak: ${err.message}`);
    process.exit(1);
  });
}
