// Used by scripts/kernel.js: Kernel → Interrupt during a training run stops the loop, not the kernel
// and not the notebook. `train` (lib/train) listens for SIGINT and stops after the current step,
// keeping the weights; two things in tslab 1.0.22 on Node (20 to 26) stood in its way:
//  1. tslab runs each cell with vm's `breakOnSigint`. Node takes the SIGINT listeners off for the
//     cell's synchronous run and puts them back after it, but a listener the cell adds meanwhile
//     (`train` adds its own at once) leaves SIGINT with Node's exit handler once the run ends: the
//     next interrupt killed the kernel ("The kernel appears to have died"). So after every such run
//     the listeners are taken off and put back, which makes Node listen for SIGINT again.
//  2. tslab's own listener fails the running cell ("Interrupted asynchronously"), so Run All stopped
//     and the cell's result (the run's history) was lost even though the loop stopped cleanly. Now
//     when running code listens for SIGINT itself, the interrupt is left to it, as Python code that
//     catches KeyboardInterrupt; code that does not listen is interrupted by tslab as before.
const vm = require("vm");

/** Takes the SIGINT listeners off and puts them back: Node then installs its signal handler anew. */
function relistenSigint() {
  const listeners = process.rawListeners("SIGINT");
  process.removeAllListeners("SIGINT");
  for (const l of listeners) process.on("SIGINT", l);
}

/** Call before tslab starts: after each `breakOnSigint` run, SIGINT reaches the listeners again. */
function keepSigintAfterCells() {
  const run = vm.runInThisContext;
  if (run.__keepsSigint) return;
  const wrapped = function (code, options) {
    try {
      return run.apply(this, arguments);
    } finally {
      if (options && options.breakOnSigint) relistenSigint();
    }
  };
  wrapped.__keepsSigint = true;
  vm.runInThisContext = wrapped;
}

/**
 * Call right after tslab's startKernel: its SIGINT listener (the last one added) then runs only when
 * no other code listens for SIGINT.
 */
function leaveInterruptToListeners() {
  const tslab = process.rawListeners("SIGINT").pop();
  if (!tslab) return;
  process.removeListener("SIGINT", tslab);
  process.on("SIGINT", function interruptCell(...args) {
    if (process.listenerCount("SIGINT") > 1) return; // the running code stops itself (e.g. train)
    tslab.apply(this, args);
  });
}

module.exports = { keepSigintAfterCells, leaveInterruptToListeners, relistenSigint };
