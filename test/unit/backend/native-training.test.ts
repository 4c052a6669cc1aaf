/**
 * Training with the native kernel tier (lib/backend/native-kernels.ts) and the fused Adam step
 * leaks nothing over 200 steps: the benchmark workloads, shrunk (conv JEPA with fused convs and an
 * EMA target, char model with an embedding, MLP JEPA with VICReg), keep a flat tensor count, a flat
 * count of wasm buffers, a wasm heap that stops growing, and a fixed number of cached oneDNN
 * primitives; and their loss falls. Also run with the native tier off (wasm + fused Adam in
 * JavaScript), which is what MINI_JEPA_NATIVE=0 leaves.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { loadNativeAddon } from "../../../lib/backend/native/addon";
import { registerNativeKernels, unregisterNativeKernels } from "../../../lib/backend/native-kernels";
import { registerWasmTrainingKernels } from "../../../lib/backend/wasm-training-kernels";
import { setSeed } from "../../../lib/random";
import { Workload, charAr, convJepa, mlpJepa } from "../../../bench/workloads";

const { addon } = loadNativeAddon();
const STEPS = 200;

before(async () => {
  assert.ok(await tf.setBackend("wasm"));
  await tf.ready();
  registerWasmTrainingKernels();
});

/** What must stay flat, read after a step. */
function usage(): { tensors: number; buffers: number; wasmIds: number; heap: number; primitives: number } {
  const b = tf.backend() as unknown as { dataIdMap: { numDataIds(): number }; wasm: { HEAPU8: Uint8Array } };
  const m = tf.memory();
  return { tensors: m.numTensors, buffers: m.numDataBuffers, wasmIds: b.dataIdMap.numDataIds(), heap: b.wasm.HEAPU8.length, primitives: addon?.info().cachedPrimitives ?? 0 };
}

const workloads: Array<[string, () => Workload]> = [
  ["conv JEPA (fused conv2d + relu, EMA target, masked MSE)", () => convJepa({ batch: 8, image: 12, patch: 3, channels: 8 })],
  ["char model (embedding, tanh, softmax cross-entropy)", () => charAr({ batch: 16, vocab: 10, context: 4, embed: 6, hidden: 16 })],
  ["MLP JEPA (fused dense + relu, VICReg)", () => mlpJepa({ batch: 32, obs: 20, hidden: 24, latent: 6 })],
];

for (const native of [true, false]) {
  for (const [name, make] of workloads) {
    test(`${native ? "native" : "wasm-only"}: ${name} trains ${STEPS} steps with no tensor, buffer, heap or primitive growth`,
      { skip: native && !addon ? "native addon not loaded" : false }, () => {
        if (native) registerNativeKernels(addon!);
        else unregisterNativeKernels();
        setSeed(5);
        const start = tf.memory().numTensors;
        const w = make();
        const losses: number[] = [];
        const seen: ReturnType<typeof usage>[] = [];
        for (let i = 0; i < STEPS; i++) {
          const l = w.step();
          losses.push(l.dataSync()[0]);
          l.dispose();
          seen.push(usage());
        }
        // Adam makes its moments on step 1; the heap may still grow while its free lists settle.
        const after1 = seen[1], after20 = seen[20];
        for (const [i, u] of seen.entries()) {
          if (i < 1) continue;
          assert.deepEqual({ t: u.tensors, b: u.buffers, ids: u.wasmIds, p: u.primitives }, { t: after1.tensors, b: after1.buffers, ids: after1.wasmIds, p: after1.primitives }, `step ${i + 1}`);
          if (i >= 20) assert.equal(u.heap, after20.heap, `wasm heap grew at step ${i + 1}`);
        }
        const first = losses.slice(0, 5).reduce((a, b) => a + b) / 5, last = losses.slice(-5).reduce((a, b) => a + b) / 5;
        assert.ok(losses.every(Number.isFinite) && last < 0.7 * first, `${name}: loss ${first} -> ${last}`);
        w.dispose();
        assert.equal(tf.memory().numTensors, start, "everything freed after dispose");
        unregisterNativeKernels();
      });
  }
}
