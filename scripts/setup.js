#!/usr/bin/env node
// `npm install` runs this (postinstall). It applies patches/ to node_modules (scripts/apply-patches.js),
// registers the tslab kernel inside the project (.jupyter/, never the user's home or the global
// Jupyter) and makes Jupyter available:
//   1. a Python on this machine that already has Jupyter;
//   2. else a project-local venv (.venv) with JupyterLab, where pip can reach its index;
//   3. else, as root on Debian, Debian's Jupyter packages (and Chromium for static charts).
// It also builds the optional native kernel tier (scripts/build-native.js: oneDNN; on Debian as root
// it installs a compiler and libdnnl-dev first); a failed build only means the wasm backend runs alone.
// Set MINI_JEPA_NO_SYSTEM_INSTALL=1 to forbid the system installs.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");
const { buildNative } = require("./build-native.js");

const say = (msg) => console.log(`[mini-jepa setup] ${msg}`);
const run = (cmd, args, opts = {}) => spawnSync(cmd, args, { stdio: "inherit", ...opts }).status === 0;
const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

function tryVenv() {
  if (!has("python3")) return false;
  const venv = path.join(j.root, ".venv");
  say("no Python with Jupyter found; trying a project-local venv with JupyterLab (.venv) ...");
  if (!run("python3", ["-m", "venv", venv])) return false;
  const pip = path.join(venv, "bin", "pip");
  const ok = run(pip, ["install", "--disable-pip-version-check", "--timeout", "15", "--retries", "1",
    "jupyterlab", "notebook", "nbconvert", "nbclient", "ipykernel"]);
  if (!ok) {
    fs.rmSync(venv, { recursive: true, force: true });
    say("pip could not install JupyterLab here (offline index?); removed .venv");
  }
  return ok;
}

function tryDebian() {
  if (process.env.MINI_JEPA_NO_SYSTEM_INSTALL) return false;
  if (!isRoot() || !has("apt-get") || !fs.existsSync("/etc/debian_version")) return false;
  say("installing Debian's Jupyter packages (root on Debian) ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  run("apt-get", ["update", "-qq"], { env });
  return run("apt-get", ["install", "-y", "-qq", "jupyter-notebook", "jupyter-nbconvert",
    "python3-nbclient", "python3-ipykernel"], { env });
}

/** Chromium turns charts into static PNGs (they survive saving and GitHub) and runs the browser test. */
function ensureChromium() {
  if (has("chromium") || has("chromium-browser") || has("google-chrome")) return say("Chromium: found");
  if (!process.env.MINI_JEPA_NO_SYSTEM_INSTALL && isRoot() && has("apt-get") && fs.existsSync("/etc/debian_version")) {
    say("installing Debian's chromium (static chart images, browser test) ...");
    const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
    if (run("apt-get", ["install", "-y", "-qq", "chromium"], { env })) return say("Chromium: installed");
  }
  say("Chromium not found: charts stay interactive only (no static PNG); install chromium for the browser test.");
}

function main() {
  for (const l of require("./apply-patches.js").applyAll()) say(l);
  try {
    buildNative(say);
  } catch (err) {
    say(`native kernels: not built (${err.message}); the wasm backend runs without them`);
  }
  let found = j.findJupyterPython();
  if (found) say(`Jupyter found: ${found.python}`);
  if (!found && (tryVenv() || tryDebian())) found = j.findJupyterPython();
  if (!found) {
    say("could not make Jupyter available. Do one of these, then run `npm run setup` again:");
    say("  - Debian/Ubuntu (root): apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel");
    say("  - anywhere with pip:    python3 -m venv .venv && .venv/bin/pip install jupyterlab nbconvert nbclient");
    say("  - or point MINI_JEPA_PYTHON at a Python that has jupyter_client, nbconvert and notebook/jupyterlab");
    process.exitCode = process.env.CI ? 1 : 0; // a developer can still use the library without Jupyter
    return;
  }
  fs.mkdirSync(j.jupyterDir, { recursive: true });
  fs.writeFileSync(j.pythonRecord, found.python + "\n");
  const dir = j.writeKernelSpec();
  say(`tslab kernel "${j.kernelName}" registered in ${path.relative(j.root, dir)} (JUPYTER_PATH=.jupyter, nothing written to your home)`);
  ensureChromium();
  say("done. Open the notebooks with `npm start`; check everything with `npm run doctor`.");
}

main();
