#!/usr/bin/env node
// Executes notebooks through real Jupyter (nbconvert --execute) with the project's tslab kernel.
//   node scripts/run-notebooks.js                 every notebook in notebooks/ and notebooks/solutions/
//   node scripts/run-notebooks.js notebooks/03*.ipynb
// NOTEBOOK_JOBS=n runs n notebooks at once (default: 2 where there are 2 cores or more, else 1; each
// kernel mostly uses one core). QUICK=1 (the default under `npm test`) shrinks every run. Executed
// copies go to test-output/notebooks/ (NOTEBOOK_OUT_DIR elsewhere). NOTEBOOK_EXPECT=regex: some
// output of each notebook must match it.
// A failing cell fails the run and is named: notebook, cell number, the cell's first line, the error.
const { spawn } = require("child_process");
const os = require("os");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");

// Executed copies land here (NOTEBOOK_OUT_DIR overrides, e.g. for the runner's own test).
const outDir = process.env.NOTEBOOK_OUT_DIR ? path.resolve(process.env.NOTEBOOK_OUT_DIR) : path.join(j.root, "test-output", "notebooks");

function listNotebooks(args) {
  if (args.length) return args.map((a) => path.resolve(a));
  const dirs = ["notebooks", path.join("notebooks", "solutions")];
  return dirs.flatMap((d) => {
    const dir = path.join(j.root, d);
    if (!fs.existsSync(dir)) return [];
    return fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).sort().map((f) => path.join(dir, f));
  });
}

/** Which cell failed and what the kernel said: execute_notebook.py prints FAILED_CELL then the cell's output. */
function failingCell(stderr) {
  const lines = stderr.split("\n");
  const at = lines.findIndex((l) => l.startsWith("FAILED_CELL "));
  if (at < 0) return { label: "?", said: lines.filter((l) => l.trim()).slice(-8) };
  const m = lines[at].match(/^FAILED_CELL (-?\d+) (.*)$/);
  return { label: `cell ${m[1]} «${m[2]}»`, said: lines.slice(at + 1).filter((l) => l.trim()).slice(0, 12) };
}

/** NOTEBOOK_EXPECT (a regular expression) must match some output of the executed notebook, e.g. that
 * workshop mode loaded a shipped checkpoint instead of training. Returns the pattern when it does not. */
function missingExpectedOutput(executed) {
  const pattern = process.env.NOTEBOOK_EXPECT;
  if (!pattern) return null;
  const nb = JSON.parse(fs.readFileSync(executed, "utf8"));
  const text = nb.cells.flatMap((c) => c.outputs || []).map((o) => [].concat(o.text || [], (o.data && o.data["text/plain"]) || []).join("")).join("\n");
  return new RegExp(pattern).test(text) ? null : pattern;
}

/** Runs a command to its end: { status, stderr } (stdout is not kept: the executed notebook is the output). */
function runAsync(cmd, args, opts) {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { ...opts, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d) => { stderr += d; });
    child.on("close", (status) => resolve({ status, stderr }));
    child.on("error", (e) => resolve({ status: 1, stderr: String(e) }));
  });
}

async function runOne(python, nb, timeoutS) {
  const name = path.relative(j.root, nb);
  const sub = path.relative(path.join(j.root, "notebooks"), path.dirname(nb));
  const dest = path.join(outDir, sub.startsWith("..") ? "" : sub);
  fs.mkdirSync(dest, { recursive: true });
  const t0 = Date.now();
  const out = path.join(dest, path.basename(nb));
  const run = () => runAsync(python, [path.join(__dirname, "execute_notebook.py"), nb, out, j.kernelName, String(timeoutS)], {
    cwd: j.root, env: j.jupyterEnv({ QUICK: process.env.QUICK ?? "1" }),
  });
  let r = await run();
  // A kernel that never started ran no cell: start it once more and say so (a cell's failure is final).
  if (r.status !== 0 && /Kernel didn't respond/.test(r.stderr || "") && !/FAILED_CELL/.test(r.stderr || "")) {
    console.log(`     ${name}: the kernel did not start in time; starting it once more`);
    r = await run();
  }
  const secs = ((Date.now() - t0) / 1000).toFixed(1);
  const missing = r.status === 0 ? missingExpectedOutput(out) : null;
  if (r.status === 0 && !missing) {
    console.log(`ok   ${name} (${secs} s)`);
    return true;
  }
  if (missing) {
    console.log(`FAIL ${name} (${secs} s): no output matches NOTEBOOK_EXPECT=${missing}`);
    return false;
  }
  const f = failingCell(r.stderr || "");
  console.log(`FAIL ${name} (${secs} s): ${f.label}`);
  for (const l of f.said) console.log(`     ${l}`);
  if (process.env.VERBOSE) console.log(r.stderr);
  else fs.writeFileSync(path.join(dest, path.basename(nb) + ".stderr.txt"), r.stderr || "");
  return false;
}

/** How many notebooks run at once: NOTEBOOK_JOBS, else 2 where there are at least 2 cores. */
function jobCount(n) {
  const asked = Number(process.env.NOTEBOOK_JOBS);
  const cores = os.availableParallelism ? os.availableParallelism() : os.cpus().length;
  const jobs = Number.isInteger(asked) && asked > 0 ? asked : Math.min(2, cores);
  return Math.max(1, Math.min(jobs, n));
}

/** Runs every notebook, `jobs` at a time, in list order; resolves to the failed ones. */
async function runAll(python, nbs, timeoutS, jobs) {
  const failed = [];
  let next = 0;
  const worker = async () => {
    while (next < nbs.length) {
      const nb = nbs[next++];
      if (!(await runOne(python, nb, timeoutS))) failed.push(nb);
    }
  };
  await Promise.all(Array.from({ length: jobs }, worker));
  return failed;
}

async function main() {
  const found = j.findJupyterPython();
  if (!found) {
    console.error("No Python with Jupyter found. Run `npm run setup` (see README: Troubleshooting).");
    process.exit(1);
  }
  if (!fs.existsSync(path.join(j.jupyterDir, "kernels", j.kernelName, "kernel.json"))) j.writeKernelSpec();
  const nbs = listNotebooks(process.argv.slice(2));
  const timeoutS = Number(process.env.NOTEBOOK_TIMEOUT || 1800);
  const jobs = jobCount(nbs.length);
  console.log(`Executing ${nbs.length} notebook(s) with Jupyter (${found.python}), kernel ${j.kernelName}, QUICK=${process.env.QUICK ?? "1"}, ${jobs} at a time`);
  const failed = await runAll(found.python, nbs, timeoutS, jobs);
  console.log(`notebooks: ${nbs.length - failed.length} passed, ${failed.length} failed`);
  process.exit(failed.length ? 1 : 0);
}

main();
