/**
 * MINI_JEPA_THREADS (lib/backend.ts): with n = 2, initBackend runs oneDNN on 2 threads when the
 * native tier loads, else threaded wasm (lib/backend/wasm-threads.ts); either way it reports the
 * threads, trains to the same losses as 1 thread (threaded wasm: identical; oneDNN: within 1e-5),
 * and the script exits by itself (threaded wasm's workers must not keep it alive). Each case is a
 * child process: threads are fixed when the backend starts. No timings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { loadNativeAddon } from "../../../lib/backend/native/addon";

const root = path.join(__dirname, "..", "..", "..");
const SCRIPT = `
const tf = require("@tensorflow/tfjs");
const { initBackend } = require("./lib/backend");
const { setSeed } = require("./lib/random");
const { convJepa, mlpJepa } = require("./bench/workloads");
initBackend({ verbose: false }).then((info) => {
  const losses = [];
  for (const make of [() => mlpJepa({ batch: 32, obs: 20, hidden: 24, latent: 6 }), () => convJepa({ batch: 8, image: 12, patch: 3, channels: 8 })]) {
    setSeed(9);
    const w = make();
    for (let i = 0; i < 5; i++) { const l = w.step(); losses.push(l.dataSync()[0]); l.dispose(); }
    w.dispose();
  }
  console.log("RESULT " + JSON.stringify({ info, losses }));
});
`;

function run(env: Record<string, string>): { info: { label: string; reason: string; threads: number; native: { on: boolean } | null }; losses: number[] } {
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", SCRIPT], {
    cwd: root, encoding: "utf8", timeout: 120_000, env: { ...process.env, MINI_JEPA_BACKEND: "wasm", ...env },
  });
  assert.equal(r.status, 0, `child exited ${r.status} (${r.signal ?? "no signal"}${r.error ? `, ${r.error.message}` : ""}): ${r.stderr.slice(-800)}`);
  const line = r.stdout.split("\n").find((l) => l.startsWith("RESULT "));
  assert.ok(line, `no result in ${r.stdout.slice(-500)}`);
  return JSON.parse(line!.slice(7));
}

function assertClose(a: number[], b: number[], tol: number): void {
  assert.equal(a.length, b.length);
  a.forEach((x, i) => assert.ok(Math.abs(x - b[i]) <= tol * Math.max(1, Math.abs(x)), `loss ${i}: ${x} vs ${b[i]}`));
}

test("threaded wasm (native tier off): 2 threads, same losses as 1 thread, exits by itself", { timeout: 300_000 }, () => {
  const one = run({ MINI_JEPA_NATIVE: "0", MINI_JEPA_THREADS: "1" });
  const two = run({ MINI_JEPA_NATIVE: "0", MINI_JEPA_THREADS: "2" });
  assert.match(two.info.reason, /WebAssembly with SIMD on 2 threads/);
  assert.equal(two.info.threads, 2);
  assert.doesNotMatch(one.info.reason, /threads/);
  assertClose(one.losses, two.losses, 1e-6);
});

test("native tier with 2 oneDNN threads: reported, same losses as 1 thread within 1e-5", { timeout: 300_000, skip: loadNativeAddon().addon ? false : "native addon not loaded" }, () => {
  const one = run({ MINI_JEPA_THREADS: "1" });
  const two = run({ MINI_JEPA_THREADS: "2" });
  assert.equal(two.info.label, "wasm + native kernels (oneDNN)");
  assert.match(two.info.reason, /native kernels: oneDNN [\d.]+, \w+, 2 threads/);
  assert.doesNotMatch(two.info.reason, /WebAssembly with SIMD on/, "wasm itself stays single-threaded when oneDNN has the threads");
  assertClose(one.losses, two.losses, 1e-5);
});

test("MINI_JEPA_THREADS must be a positive integer", () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", SCRIPT], { cwd: root, encoding: "utf8", env: { ...process.env, MINI_JEPA_THREADS: "two" } });
  assert.notEqual(r.status, 0);
  assert.match(r.stderr, /MINI_JEPA_THREADS must be a positive integer, received "two"/);
});

const GEMM_SCRIPT = `
const tf = require("@tensorflow/tfjs");
const { initBackend } = require("./lib/backend");
const { loadNativeAddon } = require("./lib/backend/native/addon");
initBackend({ verbose: false }).then(() => {
  const addon = loadNativeAddon().addon;
  const out = [];
  // Below and above ThreadsForWork's 2^25 (M*N*K) in native/mini_jepa_native.cc.
  for (const [m, k, n] of [[64, 48, 40], [256, 512, 320]]) {
    const a = tf.randomNormal([m, k], 0, 1, "float32", 1), b = tf.randomNormal([k, n], 0, 1, "float32", 2);
    const got = tf.matMul(a, b).dataSync(), A = a.dataSync(), B = b.dataSync();
    let worst = 0;
    for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) {
      let s = 0, mag = 0;
      for (let p = 0; p < k; p++) { s += A[i * k + p] * B[p * n + j]; mag += Math.abs(A[i * k + p] * B[p * n + j]); }
      worst = Math.max(worst, Math.abs(got[i * n + j] - s) / Math.max(1, mag));
    }
    out.push({ mnk: m * n * k, worst, threadsAfter: addon.info().threads });
  }
  console.log("RESULT " + JSON.stringify(out));
});
`;

test("native tier, 2 threads: small and large matmuls are right, and the thread count survives a small one", { timeout: 120_000, skip: loadNativeAddon().addon ? false : "native addon not loaded" }, () => {
  const r = spawnSync(process.execPath, ["--import", "tsx", "-e", GEMM_SCRIPT], {
    cwd: root, encoding: "utf8", timeout: 120_000, env: { ...process.env, MINI_JEPA_BACKEND: "wasm", MINI_JEPA_THREADS: "2" },
  });
  assert.equal(r.status, 0, r.stderr.slice(-800));
  const rows: { mnk: number; worst: number; threadsAfter: number }[] = JSON.parse(r.stdout.split("\n").find((l) => l.startsWith("RESULT "))!.slice(7));
  assert.ok(rows[0].mnk < 2 ** 25 && rows[1].mnk > 2 ** 25, "one shape on each side of the one-thread bound");
  for (const row of rows) {
    assert.ok(row.worst < 1e-5, `M*N*K ${row.mnk}: worst error ${row.worst} relative to the sum of |terms|`);
    assert.equal(row.threadsAfter, 2, `after a matmul of M*N*K ${row.mnk} oneDNN should still have 2 threads`);
  }
});
