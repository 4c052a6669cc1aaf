#!/usr/bin/env node
// `npm run doctor`: prints Node, Jupyter, the kernel, the tfjs backend (and its native kernel tier)
// and Chromium, each with a fix. Optional speed-ups ("note") never make it fail.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");

let bad = 0;
const line = (ok, what, detail, fix) => {
  if (!ok) bad++;
  console.log(`${ok ? "ok  " : "FIX "} ${what}: ${detail}${!ok && fix ? `\n       -> ${fix}` : ""}`);
};

const note = (what, detail, fix) => console.log(`note ${what}: ${detail}${fix ? `\n       -> ${fix}` : ""}`);

const major = Number(process.versions.node.split(".")[0]);
const nodeNote = major < 20 ? "too old" : major === 20 ? "works, but Node 20 is past its end of life (April 2026)"
  : major % 2 ? "works; not an LTS line" : major > 26 ? "newer than the newest tested (26)" : "LTS line, tested";
line(major >= 20, "Node", `${process.version} (${nodeNote})`, "use Node 22, 24 or 26 (LTS lines; npm test also runs the unit tests on 26)");
if (major === 20 || major > 26) console.log("       -> Node 22, 24 or 26 recommended");

const found = j.findJupyterPython();
line(!!found, "Jupyter", found ? `${found.python} (${Object.entries(found.has).filter(([, v]) => v).map(([k]) => k).join(", ")})` : "no Python with jupyter_client + nbconvert + notebook/jupyterlab",
  "npm run setup; or apt-get install jupyter-notebook jupyter-nbconvert python3-nbclient python3-ipykernel; or set MINI_JEPA_PYTHON");

const spec = path.join(j.jupyterDir, "kernels", j.kernelName, "kernel.json");
let specOk = fs.existsSync(spec);
if (specOk && found) {
  const r = spawnSync(found.python, ["-m", "jupyter_client.kernelspecapp", "list"], { env: j.jupyterEnv(), encoding: "utf8" });
  specOk = (r.stdout || "").includes(j.kernelName);
}
line(specOk, "tslab kernel", specOk ? `"${j.kernelName}" in ${path.relative(j.root, spec)} (visible with JUPYTER_PATH=.jupyter)` : "not registered",
  "npm run setup (writes .jupyter/kernels/mini-jepa; npm start and npm test set JUPYTER_PATH)");

const patchLines = require("./apply-patches.js").applyAll({ dryRun: true });
line(patchLines.every((l) => /already applied/.test(l)), "tslab patch", patchLines.join("; ") || "no patches",
  "node scripts/apply-patches.js (npm install runs it; fixes tslab's 'Unexpected pending rebuildTimer')");

const tfnode = (() => { try { require.resolve("@tensorflow/tfjs-node"); return true; } catch { return false; } })();
const probe = spawnSync(process.execPath, ["--import", "tsx", "-e",
  "require('./lib/backend').initBackend({verbose:false}).then(i=>console.log(JSON.stringify(i)))"], { cwd: j.root, encoding: "utf8" });
let info = null;
try { info = JSON.parse(probe.stdout.trim().split("\n").pop()); } catch { /* reported below */ }
line(!!info, "tfjs backend", info ? `${info.label || info.name}: ${info.reason}${info.patches.length ? ` [patches: ${info.patches.join(", ")}]` : ""}` : (probe.stderr || "").split("\n")[0],
  "npm install; see README: Backends");
if (info && info.name === "wasm") {
  const n = info.native;
  if (n && n.on) line(true, "native kernels", `on: ${info.label} (${n.reason}); MINI_JEPA_NATIVE=0 turns them off`);
  else note("native kernels", `off: ${n ? n.reason : "unknown"}`, nativeFix(n ? n.reason : ""));
}
line(true, "tfjs-node", tfnode ? "installed (fast native path)" : "not installed (its install downloads libtensorflow; on a machine with internet: npm install @tensorflow/tfjs-node)");

/** What to do about a missing native tier, from the reason initBackend gave. */
function nativeFix(reason) {
  if (/MINI_JEPA_NATIVE=0/.test(reason)) return "unset MINI_JEPA_NATIVE to use them";
  const debian = fs.existsSync("/etc/debian_version");
  const pkgs = process.platform === "darwin" ? "xcode-select --install && brew install onednn libomp" : debian ? "apt-get install g++ make libdnnl-dev" : "install a C++ compiler and oneDNN";
  return `${pkgs}, then node scripts/build-native.js (or npm run setup); the log is native/build/build.log. Without them wasm runs alone (2-8x slower training)`;
}

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", process.env.CHROMIUM_PATH].find((p) => p && fs.existsSync(p));
line(!!chromium, "Chromium", chromium || "not found (charts stay interactive only; the browser test cannot run)",
  "apt-get install chromium, or set CHROMIUM_PATH");
console.log(bad ? `\n${bad} thing(s) to fix.` : "\nAll good: npm start opens the notebooks.");
process.exit(bad ? 1 : 0);
