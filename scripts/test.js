#!/usr/bin/env node
// `npm test`: the whole check, in order, each step's result counted:
//   1. type check (tsc, strict)   2. unit tests (node's test runner + tsx), then the tests of the
//      wasm path again with MINI_JEPA_NATIVE=0 (backend, training loop, the mini JEPA checkpoint)
//   3. every notebook executed by real Jupyter with the tslab kernel, QUICK=1
//   4. the executed notebooks opened in headless Chromium: charts drew, no cell shows an error; the book
//      built from them (scripts/book.js) and read in Chromium (scripts/book-check.js)
//   5. the newest Node LTS: unit tests and the first notebook again (scripts/node-lts.js)
// Ends with one line "total: N passed, N failed". Set SKIP_NOTEBOOKS=1, SKIP_BROWSER=1 or SKIP_NODE_LTS=1 to skip a step.
const { spawnSync } = require("child_process");
const fs = require("fs");
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
// The wasm-only path (no native kernel tier) stays tested: the tests that train or check kernels on wasm.
const WASM_ONLY = ["backend/wasm-", "backend/fused-adam", "backend/native-training", "backend/bench", "train/", "models/mini-jepa-checkpoint"];
step("unit tests of the wasm path with MINI_JEPA_NATIVE=0", process.execPath, [path.join(__dirname, "test-unit.js"), ...WASM_ONLY], { MINI_JEPA_NATIVE: "0" });
if (!process.env.SKIP_NOTEBOOKS) {
  const nbOk = step("notebooks (Jupyter + tslab, QUICK=1)", process.execPath, [path.join(__dirname, "run-notebooks.js")], { QUICK: process.env.QUICK ?? "1" });
  // Workshop mode: the notebooks that train for minutes load their shipped checkpoints instead (found
  // by a `pretrained` training option in their code, so renamed or new notebooks are picked up).
  const workshop = fs.readdirSync(path.join(root, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort()
    .filter((f) => JSON.parse(fs.readFileSync(path.join(root, "notebooks", f), "utf8")).cells
      .some((c) => c.cell_type === "code" && /\bpretrained\b/.test([].concat(c.source).join(""))));
  step(`notebooks in workshop mode (MINI_JEPA_SKIP_TRAINING=1: ${workshop.map((f) => f.slice(0, 2)).join(", ")} load data/checkpoints)`, process.execPath,
    [path.join(__dirname, "run-notebooks.js"), ...workshop.map((n) => path.join("notebooks", n))],
    { QUICK: process.env.QUICK ?? "1", MINI_JEPA_SKIP_TRAINING: "1", NOTEBOOK_OUT_DIR: path.join(root, "test-output", "notebooks-workshop"), NOTEBOOK_EXPECT: "\\[train\\] loaded data/checkpoints/" });
  if (!process.env.SKIP_BROWSER) {
    if (nbOk) step("browser (Chromium on the Jupyter server)", process.execPath, [path.join(__dirname, "browser-check.js")]);
    else results.push({ name: "browser (skipped: notebooks failed)", ok: false, secs: 0 });
    // The book from the notebooks just executed (QUICK), then read in Chromium from a static server.
    const bookDir = path.join(root, "test-output", "book");
    if (nbOk && step("book (npm run book from the QUICK run's executed notebooks)", process.execPath,
      [path.join(__dirname, "book.js"), "--quick", "--from", path.join(root, "test-output", "notebooks"), "--out", bookDir])) {
      step("book in Chromium (index + two notebook pages, with and without JavaScript)", process.execPath, [path.join(__dirname, "book-check.js"), bookDir]);
    }
  }
}
// The newest Node LTS (binary from npm's node-<os>-<arch> package, cached in .cache/): unit tests and the
// first notebook, so a Node upgrade that breaks the package shows here. SKIP_NODE_LTS=1 skips it.
if (!process.env.SKIP_NODE_LTS && process.versions.node !== require("./node-lts.js").NEWEST_LTS) {
  step(`newest LTS, Node ${require("./node-lts.js").NEWEST_LTS}: unit tests + first notebook`, process.execPath, [path.join(__dirname, "node-lts.js")]);
}
console.log("\nSummary:");
for (const r of results) console.log(`  ${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.secs.toFixed(0)} s)`);
const failed = results.filter((r) => !r.ok).length;
console.log(`total: ${results.length - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
