// Finds a Python with Jupyter, and the environment that makes the project's own kernel visible.
// Shared by setup.js, start.js, doctor.js and the notebook runner. Plain Node: runs before any build.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
// MINI_JEPA_JUPYTER_DIR: another place for the kernelspec (the newest-LTS run of scripts/node-lts.js keeps
// a kernel started by that Node there, leaving the project's .jupyter alone).
const jupyterDir = process.env.MINI_JEPA_JUPYTER_DIR ? path.resolve(process.env.MINI_JEPA_JUPYTER_DIR) : path.join(root, ".jupyter");
const kernelName = "mini-jepa";
const pythonRecord = path.join(jupyterDir, "python.txt");

/** Python interpreters worth asking, best first. */
function pythonCandidates() {
  const list = [];
  if (process.env.MINI_JEPA_PYTHON) list.push(process.env.MINI_JEPA_PYTHON);
  for (const rec of [pythonRecord, path.join(root, ".jupyter", "python.txt")]) {
    if (fs.existsSync(rec)) list.push(fs.readFileSync(rec, "utf8").trim());
  }
  list.push(path.join(root, ".venv", "bin", "python"), "python3", "/usr/bin/python3", "python");
  return [...new Set(list.filter(Boolean))];
}

/** What a Python has: null when it cannot run, else which Jupyter parts import. */
function probePython(py) {
  const code =
    "import json,importlib.util as u\n" +
    "mods=['jupyter_client','nbconvert','nbclient','notebook','jupyterlab','ipykernel']\n" +
    "print(json.dumps({m: u.find_spec(m) is not None for m in mods}))";
  const r = spawnSync(py, ["-c", code], { encoding: "utf8" });
  if (r.status !== 0) return null;
  try {
    return JSON.parse(r.stdout.trim().split("\n").pop());
  } catch {
    return null;
  }
}

/** The first Python that can execute notebooks (jupyter_client + nbconvert + nbclient), or null. */
function findJupyterPython() {
  for (const py of pythonCandidates()) {
    const has = probePython(py);
    if (has && has.jupyter_client && has.nbconvert && has.nbclient && (has.notebook || has.jupyterlab)) {
      return { python: py, has };
    }
  }
  return null;
}

/** Environment for any Jupyter process: the project's kernel directory first on JUPYTER_PATH. */
function jupyterEnv(extra = {}) {
  const prev = process.env.JUPYTER_PATH;
  return {
    ...process.env,
    JUPYTER_PATH: prev ? `${jupyterDir}${path.delimiter}${prev}` : jupyterDir,
    ...extra,
  };
}

/** Writes the kernelspec: node runs scripts/kernel.js, which starts tslab in the package root. */
function writeKernelSpec() {
  const dir = path.join(jupyterDir, "kernels", kernelName);
  fs.mkdirSync(dir, { recursive: true });
  const spec = {
    argv: [process.execPath, path.join(root, "scripts", "kernel.js"), "{connection_file}"],
    display_name: "TypeScript (mini-jepa)",
    language: "typescript",
    metadata: { note: "tslab started in the mini-jepa package root; written by scripts/setup.js" },
  };
  fs.writeFileSync(path.join(dir, "kernel.json"), JSON.stringify(spec, null, 2) + "\n");
  return dir;
}

module.exports = { root, jupyterDir, kernelName, pythonRecord, findJupyterPython, probePython, jupyterEnv, writeKernelSpec };
