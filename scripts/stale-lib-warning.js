// A running kernel keeps the lib/ modules it loaded: Node caches them, so after you edit lib/*.ts the
// notebook silently runs the old code (tslab type-checks the new file, which makes it more confusing).
// This watches lib/ and, the next time a cell imports from it, prints which loaded files changed and
// that Kernel → Restart picks them up. (Reloading in place would reset module state such as the
// random streams and the registered wasm kernels, so we warn instead.)
const fs = require("fs");
const path = require("path");
const Module = require("module");

/** Starts watching `libDir`; returns a function that stops it. */
function warnOnStaleLib(libDir) {
  const stale = new Set();
  let watcher;
  try {
    watcher = fs.watch(libDir, { recursive: true }, (_event, file) => {
      if (!file || !/\.ts$/.test(String(file))) return;
      const abs = path.join(libDir, String(file));
      if (require.cache[abs]) stale.add(path.relative(path.dirname(libDir), abs));
    });
  } catch {
    return () => {}; // no recursive watch on this platform: no warning
  }
  const load = Module._load;
  Module._load = function (request, parent, ...rest) {
    // cheapest test first: this runs on every require in the kernel
    if (stale.size && /^\.\/lib(\/|$)/.test(request) && parent && !String(parent.filename || "").startsWith(libDir + path.sep)) {
      console.warn(`[mini-jepa] changed since this kernel loaded it: ${[...stale].sort().join(", ")}. ` +
        "The kernel still runs the old code; Kernel → Restart, then run the notebook from the top, to use your edit.");
      stale.clear();
    }
    return load.call(this, request, parent, ...rest);
  };
  return () => {
    watcher.close();
    Module._load = load;
  };
}

module.exports = { warnOnStaleLib };
