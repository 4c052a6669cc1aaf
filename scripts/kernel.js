#!/usr/bin/env node
// Starts the tslab kernel in the package root, whatever folder the notebook sits in, so that
// `import { ... } from "./lib"` works the same in Jupyter Notebook, JupyterLab, nbconvert and VS Code.
// (tslab 1.0.22 uses the kernel's working directory as its rootDir; see ../DESIGN notes in README.)
const path = require("path");
const root = path.resolve(__dirname, "..");
process.chdir(root);
// tslab resolves `./lib` only as `lib.js` (no folders, no index files). Let Node's own resolution load
// the library's TypeScript instead (tsx's CommonJS hook): `import ... from "./lib"` then works, folder
// imports inside lib work, and stack traces point at .ts lines. tslab still type-checks every import.
require(require.resolve("tsx/cjs", { paths: [root] }));
require("./zmq-serialize.js").serializeZmqSends(path.join(root, "node_modules", "tslab"));
require("./stale-lib-warning.js").warnOnStaleLib(path.join(root, "lib"));
// Kernel → Interrupt during `train` stops the loop cleanly, the cell ends and the next cells run
const interrupt = require("./kernel-interrupt.js");
interrupt.keepSigintAfterCells();
const configPath = process.argv[2];
if (!configPath) {
  console.error("usage: node scripts/kernel.js <connection_file>");
  process.exit(2);
}
require(path.join(root, "node_modules", "tslab", "dist", "main.js")).startKernel({
  configPath,
  enableFindLocal: false,
});
interrupt.leaveInterruptToListeners();

