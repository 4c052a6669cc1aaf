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
