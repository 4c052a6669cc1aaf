#!/usr/bin/env node
// Builds the optional native kernel tier (native/: an N-API addon on oneDNN) with npm's own
// node-gyp, offline: --nodedir points at the running Node's install prefix, which ships its
// headers. Called by scripts/setup.js (npm install); `node scripts/build-native.js` rebuilds.
//   - Debian as root (unless MINI_JEPA_NO_SYSTEM_INSTALL=1): installs a compiler and libdnnl-dev first.
//   - MINI_JEPA_NATIVE=0: skips it.
// Never fails the install: on any problem it records why in native/build/status.json (which
// initBackend and `npm run doctor` report) and the wasm backend runs without it.
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const nativeDir = path.join(root, "native");
const buildDir = path.join(nativeDir, "build");
const addonPath = path.join(buildDir, "Release", "mini_jepa_native.node");
const statusPath = path.join(buildDir, "status.json");
const logPath = path.join(buildDir, "build.log");

const has = (cmd) => spawnSync("sh", ["-c", `command -v ${cmd}`], { stdio: "ignore" }).status === 0;
const isRoot = () => typeof process.getuid === "function" && process.getuid() === 0;

/** Where oneDNN's C++ header may be (Debian/Ubuntu, /usr/local, Homebrew on both Macs). */
const DNNL_HEADERS = ["/usr/include/oneapi/dnnl/dnnl.hpp", "/usr/local/include/oneapi/dnnl/dnnl.hpp", "/opt/homebrew/include/oneapi/dnnl/dnnl.hpp"];

function compiler() {
  return ["c++", "g++", "clang++"].find(has) || null;
}

function hasDnnl() {
  return DNNL_HEADERS.some((h) => fs.existsSync(h));
}

/** What to install by hand, per platform. */
function installHint() {
  if (process.platform === "darwin") return "xcode-select --install; brew install onednn libomp";
  if (fs.existsSync("/etc/debian_version")) return "apt-get install g++ make libdnnl-dev";
  return "install a C++ compiler, make and oneDNN (libdnnl) development files";
}

/** npm's bundled node-gyp (this Node's npm, or the npm running us). */
function nodeGyp() {
  const candidates = [];
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), "..", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  const prefix = path.dirname(path.dirname(process.execPath));
  candidates.push(path.join(prefix, "lib", "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js"));
  candidates.push(path.join(path.dirname(process.execPath), "node_modules", "npm", "node_modules", "node-gyp", "bin", "node-gyp.js")); // Windows layout
  return candidates.find((c) => fs.existsSync(c)) || null;
}

/** The running Node's install prefix when it ships the headers node-gyp needs (no download then). */
function nodeDir() {
  const prefix = path.dirname(path.dirname(process.execPath));
  return fs.existsSync(path.join(prefix, "include", "node", "node_api.h")) ? prefix : null;
}

function record(ok, reason, say, { keep = false } = {}) {
  fs.mkdirSync(buildDir, { recursive: true });
  if (!ok && !keep) fs.rmSync(addonPath, { force: true }); // an older build must not run as if this one had worked
  fs.writeFileSync(statusPath, JSON.stringify({ ok, reason, date: new Date().toISOString(), node: process.version }, null, 2) + "\n");
  say(`native kernels: ${ok ? "built" : "not built"} (${reason})`);
  return ok;
}

/** Debian, root, allowed: apt-get the compiler and oneDNN. */
function installSystemPackages(say) {
  if (process.env.MINI_JEPA_NO_SYSTEM_INSTALL || !isRoot() || !has("apt-get") || !fs.existsSync("/etc/debian_version")) return false;
  say("installing a C++ compiler and oneDNN (Debian: g++ make libdnnl-dev) for the native kernels ...");
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit", env });
  return spawnSync("apt-get", ["install", "-y", "-qq", "g++", "make", "libdnnl-dev"], { stdio: "inherit", env }).status === 0;
}

/** Builds (or explains why not); returns true when the addon built and loads. */
function buildNative(say = (m) => console.log(`[mini-jepa native] ${m}`)) {
  if (process.env.MINI_JEPA_NATIVE === "0") return record(false, "skipped: MINI_JEPA_NATIVE=0", say, { keep: true });
  if (!compiler() || !hasDnnl() || !has("make")) installSystemPackages(say);
  const cxx = compiler();
  if (!cxx || !has("make")) return record(false, `no C++ compiler or make: ${installHint()}, then npm run setup`, say);
  if (!hasDnnl()) return record(false, `oneDNN not found (no oneapi/dnnl/dnnl.hpp): ${installHint()}, then npm run setup`, say);
  const gyp = nodeGyp();
  if (!gyp) return record(false, "npm's node-gyp not found next to this Node", say);
  const dir = nodeDir();
  const args = [gyp, "rebuild", `--directory=${nativeDir}`, ...(dir ? [`--nodedir=${dir}`] : [])];
  say(`building native/ (oneDNN kernels) with ${cxx} ...`);
  const r = spawnSync(process.execPath, args, { cwd: root, encoding: "utf8", timeout: 300_000, env: { ...process.env, npm_config_nodedir: dir || "" } });
  fs.mkdirSync(buildDir, { recursive: true });
  fs.writeFileSync(logPath, `${r.stdout || ""}\n${r.stderr || ""}`);
  if (r.status !== 0 || !fs.existsSync(addonPath)) {
    const err = (r.stderr || "").split("\n").find((l) => /error/i.test(l)) || (r.error ? r.error.message : `exit ${r.status}`);
    return record(false, `build failed: ${err.trim().slice(0, 200)} (full log: native/build/build.log)`, say);
  }
  const probe = spawnSync(process.execPath, ["-e", `console.log(JSON.stringify(require(${JSON.stringify(addonPath)}).info()))`], { encoding: "utf8" });
  if (probe.status !== 0) {
    return record(false, `built but does not load: ${(probe.stderr || "").split("\n").find((l) => l.trim()) || "?"}`, say);
  }
  const info = JSON.parse(probe.stdout.trim());
  return record(true, `oneDNN ${info.version}, ${info.isa}`, say);
}

module.exports = { buildNative };

if (require.main === module) buildNative();
