#!/usr/bin/env node
// `npm start`: opens the notebooks in Jupyter on 127.0.0.1, with the project's tslab kernel, served
// from the package root (so charts load plotly.js from node_modules). JupyterLab if installed, else
// Jupyter Notebook. Extra arguments go to Jupyter: `npm start -- --port 9999`.
const { spawn } = require("child_process");
const path = require("path");
const j = require("./jupyter.js");

const found = j.findJupyterPython();
if (!found) {
  console.error("No Python with Jupyter found. Run `npm run setup` (README: Troubleshooting).");
  process.exit(1);
}
j.writeKernelSpec();
const app = found.has.jupyterlab ? "jupyterlab" : "notebook";
const args = ["-m", app, "--ip=127.0.0.1", `--notebook-dir=${j.root}`,
  ...(process.getuid && process.getuid() === 0 ? ["--allow-root"] : []), ...process.argv.slice(2)];
if (app === "notebook") args.push(`--NotebookApp.default_url=/tree/notebooks`);
console.log(`[mini-jepa] ${found.python} ${args.join(" ")}`);
console.log(`[mini-jepa] open notebooks/00-setup.ipynb first; the kernel is "TypeScript (mini-jepa)"`);
const child = spawn(found.python, args, { cwd: j.root, stdio: "inherit", env: j.jupyterEnv() });
child.on("exit", (code) => process.exit(code ?? 0));
process.on("SIGINT", () => child.kill("SIGINT"));
