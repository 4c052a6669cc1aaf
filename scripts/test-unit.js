#!/usr/bin/env node
// `npm run test:unit [filter...]`: every test/unit/**/*.test.ts (or those whose path contains a filter)
// through node's test runner with tsx. Lists the files itself: Node 20's --test takes no globs.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");

/** Paths (relative to the package root) of the unit test files, sorted. */
function unitTestFiles() {
  const walk = (d) => fs.readdirSync(d, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? walk(path.join(d, e.name)) : e.name.endsWith(".test.ts") ? [path.join(d, e.name)] : []);
  const dir = path.join(root, "test", "unit");
  return fs.existsSync(dir) ? walk(dir).sort().map((f) => path.relative(root, f)) : [];
}

module.exports = { unitTestFiles };

if (require.main === module) {
  const filters = process.argv.slice(2);
  const files = unitTestFiles().filter((f) => !filters.length || filters.some((s) => f.includes(s)));
  if (!files.length) {
    console.error(`no unit test file matches ${filters.join(", ")}`);
    process.exit(1);
  }
  const r = spawnSync(process.execPath, ["--import", "tsx", "--test", "--test-reporter=spec", ...files], { cwd: root, stdio: "inherit" });
  process.exit(r.status ?? 1);
}
