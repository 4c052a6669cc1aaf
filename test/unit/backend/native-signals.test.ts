/**
 * The native addon holds signals back while oneDNN runs and flushes denormals only inside its own
 * calls. Measured on this machine (oneDNN 2.6.3): a signal arriving inside dnnl_sgemm's AVX
 * kernels corrupts the C heap; Node's profiler sends thousands (SIGPROF), a notebook's interrupt
 * button one (SIGINT). A child Node runs varied matmuls and convs under the CPU profiler with a
 * 50 µs sampling interval and must exit cleanly. JavaScript arithmetic keeps its denormals after
 * a native call (the flush-to-zero mode is restored).
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ADDON_PATH, loadNativeAddon } from "../../../lib/backend/native/addon";

const { addon } = loadNativeAddon();
const skip = addon ? false : "native addon not loaded";

const CHILD = `
const a = require(${JSON.stringify(ADDON_PATH)});
const heap = new Uint8Array(new WebAssembly.Memory({ initial: 256 }).buffer);
const g = new Float64Array(15), c = new Float64Array(24);
for (let it = 0; it < 6000; it++) {
  const M = 1 + (it * 7) % 300, N = 1 + (it * 13) % 300, K = 1 + (it * 11) % 300;
  g.set([it % 2, (it >> 1) % 2, M, N, K, 0, 4 * 90000, 8 * 90000, 1, 0, 0, 0, -1, 0, 0]);
  a.gemm(heap, g);
  if (it % 50 === 0) {
    const H = 4 + it % 9, C = 1 + it % 16;
    c.set([2, H, H, C, H, H, C, 3, 3, 1, 1, 1, 1, 1, 1, 1, 1, -1, 0, 4 * 90000, 8 * 90000, 0, 0, it % 3]);
    a.conv(heap, c);
  }
  const junk = Array.from({ length: 50 }, (_, i) => ({ i })); // garbage for the allocator
  if (junk.length !== 50) throw new Error("?");
}
console.log("clean");
`;

test("native matmuls and convs run clean under the CPU profiler's signals", { skip, timeout: 180_000 }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mini-jepa-signals-"));
  const script = path.join(dir, "child.js");
  fs.writeFileSync(script, CHILD);
  const r = spawnSync(process.execPath, ["--cpu-prof", "--cpu-prof-interval", "50", "--cpu-prof-dir", dir, script], { encoding: "utf8" });
  fs.rmSync(dir, { recursive: true, force: true });
  assert.equal(r.status, 0, `child exited ${r.status} (${r.signal ?? ""}): ${r.stderr.slice(-500)}`);
  assert.match(r.stdout, /clean/);
});

test("after a native call JavaScript still has denormals (flush-to-zero is restored)", { skip }, () => {
  const heap = new Uint8Array(new WebAssembly.Memory({ initial: 1 }).buffer);
  addon!.gemm(heap, new Float64Array([0, 0, 2, 2, 2, 0, 16, 32, 1, 0, 0, 0, -1, 0, 0]));
  const tiny = Number(process.env.MINI_JEPA_TEST_TINY ?? "1e-310"); // a denormal double, not a constant the compiler folds
  assert.ok(tiny * 0.5 !== 0 && tiny / 3 > 0, "denormal arithmetic still works in JavaScript");
  const f32 = new Float32Array([1e-39]);
  assert.ok(f32[0] !== 0, "float32 denormals survive in typed arrays");
});
