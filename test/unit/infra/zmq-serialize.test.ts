import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as path from "path";

// The kernel's fix for tslab + zeromq 6: without it, a burst of display updates (progress bar, live
// chart) throws EBUSY "Socket is busy writing" and kills the kernel in the middle of a long run.
const burst = (patched: boolean) => `
  ${patched ? `require(${JSON.stringify(path.resolve("scripts/zmq-serialize.js"))}).serializeZmqSends(${JSON.stringify(path.resolve("node_modules/tslab"))});` : ""}
  const zmq = require(require.resolve("zeromq", { paths: [${JSON.stringify(path.resolve("node_modules/tslab"))}] }));
  (async () => {
    const pub = new zmq.Publisher();
    await pub.bind("tcp://127.0.0.1:*");
    const sends = [];
    for (let i = 0; i < 3000; i++) sends.push(pub.send(["x".repeat(100000)]));
    await Promise.all(sends);
    console.log("sent 3000");
    pub.close();
  })().catch((e) => { console.log("ERROR " + e.message); process.exit(1); });`;

test("queued zeromq sends survive a burst that breaks unqueued ones", () => {
  const without = spawnSync(process.execPath, ["-e", burst(false)], { encoding: "utf8" });
  assert.match(without.stdout, /Socket is busy writing/, "the burst must reproduce the failure without the fix");
  const withFix = spawnSync(process.execPath, ["-e", burst(true)], { encoding: "utf8" });
  assert.equal(withFix.status, 0, withFix.stdout + withFix.stderr);
  assert.match(withFix.stdout, /sent 3000/);
});
