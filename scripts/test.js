#!/usr/bin/env node
// `npm test`: the whole check, in order, each step's result counted:
//   1. type check (tsc, strict)   2. unit tests (node's test runner + tsx)
//   3. every notebook executed by real Jupyter with the tslab kernel, QUICK=1
//   4. the executed notebooks opened in headless Chromium: charts drew, no cell shows an error
// Ends with one line "total: N passed, N failed". Set SKIP_NOTEBOOKS=1 or SKIP_BROWSER=1 to skip a step.
const { spawnSync } = require("child_process");
const path = require("path");

const root = path.resolve(__dirname, "..");
const results = [];

function step(name, cmd, args, env = {}) {
  console.log(`\n=== ${name}: ${[cmd, ...args].join(" ").slice(0, 160)}`);
  const t0 = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  const ok = r.status === 0;
  results.push({ name, ok, secs: (Date.now() - t0) / 1000 });
  console.log(`=== ${name}: ${ok ? "passed" : "FAILED"} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return ok;
}

const { unitTestFiles } = require("./test-unit.js");

const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
step("typecheck", process.execPath, [tsc, "--noEmit", "-p", "."]);
step(`unit tests (${unitTestFiles().length} files)`, process.execPath, [path.join(__dirname, "test-unit.js")]);
if (!process.env.SKIP_NOTEBOOKS) {
  const nbOk = step("notebooks (Jupyter + tslab, QUICK=1)", process.execPath, [path.join(__dirname, "run-notebooks.js")], { QUICK: process.env.QUICK ?? "1" });
  // Workshop mode: the notebooks that train for minutes load their shipped checkpoints instead.
  step("notebooks in workshop mode (MINI_JEPA_SKIP_TRAINING=1: 03, 04, 06, 07, 08 load data/checkpoints)", process.execPath,
    [path.join(__dirname, "run-notebooks.js"), ...["03-mini-jepa", "04-masked-image-jepa", "06-planning", "07-video-jepa-and-surprise", "08-hierarchical-planning"].map((n) => path.join("notebooks", `${n}.ipynb`))],
    { QUICK: process.env.QUICK ?? "1", MINI_JEPA_SKIP_TRAINING: "1", NOTEBOOK_OUT_DIR: path.join(root, "test-output", "notebooks-workshop"), NOTEBOOK_EXPECT: "\\[train\\] loaded data/checkpoints/" });
  if (!process.env.SKIP_BROWSER) {
    if (nbOk) step("browser (Chromium on the Jupyter server)", process.execPath, [path.join(__dirname, "browser-check.js")]);
    else results.push({ name: "browser (skipped: notebooks failed)", ok: false, secs: 0 });
  }
}
console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.secs.toFixed(0)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`total: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
