#!/usr/bin/env node
// `npm run doctor`: prints Node, Jupyter, the kernel, the tfjs backend and Chromium, each with a fix.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");

let bad = 0;
const line = (ok, what, detail, fix) => {
  if (!ok) bad++;
  console.log(`${ok ? "ok  " : "FIX "} ${what}: ${detail}${!ok && fix ? `\n       -> ${fix}` : ""}`);
};

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
line(!!info, "tfjs backend", info ? `${info.name}: ${info.reason}${info.patches.length ? ` [patches: ${info.patches.join(", ")}]` : ""}` : (probe.stderr || "").split("\n")[0],
  "npm install; see README: Backends");
line(true, "tfjs-node", tfnode ? "installed (fast native path)" : "not installed (its install downloads libtensorflow; on a machine with internet: npm install @tensorflow/tfjs-node)");

const chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", process.env.CHROMIUM_PATH].find((p) => p && fs.existsSync(p));
line(!!chromium, "Chromium", chromium || "not found (charts stay interactive only; the browser test cannot run)",
  "apt-get install chromium, or set CHROMIUM_PATH");
console.log(bad ? `\n${bad} thing(s) to fix.` : "\nAll good: npm start opens the notebooks.");
process.exit(bad ? 1 : 0);
