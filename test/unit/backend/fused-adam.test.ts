/**
 * `fusedAdam` (lib/backend/fused-adam.ts) is tfjs's Adam, one pass per variable: on wasm, with the
 * native addon and with its JavaScript loop, it gives the weights and moments tf.train.adam gives on
 * the cpu backend within 1e-5 relative; its state round-trips through getWeights/setWeights with
 * tfjs's Adam both ways; a clone of a moment kept by the caller is never written; and weights get
 * fresh storage each step (the wasm matmul caches packed weights by tensor id).
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { fusedAdam, FusedAdamOptimizer } from "../../../lib/backend/fused-adam";
import { loadNativeAddon } from "../../../lib/backend/native/addon";
import { activeNativeAddon, registerNativeKernels, unregisterNativeKernels } from "../../../lib/backend/native-kernels";
import { registerWasmTrainingKernels } from "../../../lib/backend/wasm-training-kernels";
import { worstRelative } from "./worst-relative";

const { addon } = loadNativeAddon();

/** A tiny regression: y = relu(x W1 + b1) W2, loss mean squared error; returns weights and moments after `steps`. */
async function run(opt: tf.Optimizer, steps: number, lrs: number[] = []): Promise<number[][]> {
  const x = tf.randomNormal([16, 5], 0, 1, "float32", 1), y = tf.randomNormal([16, 3], 0, 1, "float32", 2);
  const w1 = tf.variable(tf.randomNormal([5, 8], 0, 0.5, "float32", 3)), b1 = tf.variable(tf.zeros([8]));
  const w2 = tf.variable(tf.randomNormal([8, 3], 0, 0.5, "float32", 4));
  for (let i = 0; i < steps; i++) {
    if (lrs[i] !== undefined) (opt as unknown as { learningRate: number }).learningRate = lrs[i];
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.losses.meanSquaredError(y, tf.matMul(tf.relu(tf.add(tf.matMul(x, w1), b1)), w2)) as tf.Scalar, [w1, b1, w2]);
      opt.applyGradients(grads);
    });
  }
  const state = await opt.getWeights();
  const out = [w1, b1, w2, ...state.slice(1).map((s) => s.tensor)].map((t) => Array.from(t.dataSync()));
  out.push([Array.from(state[0].tensor.dataSync())[0]]); // iterations
  tf.dispose([x, y, w1, b1, w2]);
  opt.dispose();
  return out;
}

const lrs = [1e-2, 1e-2, 5e-3, 5e-3, 1e-3, 2e-2];
let reference: number[][] = [];

before(async () => {
  await tf.setBackend("cpu");
  reference = await run(tf.train.adam(1e-2), 6, lrs);
  assert.ok(await tf.setBackend("wasm"));
  await tf.ready();
  registerWasmTrainingKernels();
});

for (const native of [true, false]) {
  test(`fusedAdam on wasm ${native ? "with the native addon" : "in JavaScript"} equals tf.train.adam on cpu (weights, moments, iterations)`,
    { skip: native && !addon ? "native addon not loaded" : false }, async () => {
      if (native) registerNativeKernels(addon!);
      else unregisterNativeKernels();
      assert.equal(!!activeNativeAddon(), native);
      const got = await run(fusedAdam(1e-2), 6, lrs);
      assert.ok(worstRelative(reference, got) < 1e-5, `worst relative difference ${worstRelative(reference, got)}`);
      unregisterNativeKernels();
    });
}

test("fusedAdam is tfjs's Adam class (name, config) and falls back to it off wasm", async () => {
  const o = fusedAdam(3e-3);
  assert.ok(o instanceof tf.AdamOptimizer && o instanceof FusedAdamOptimizer);
  assert.equal(FusedAdamOptimizer.className, "Adam");
  assert.deepEqual(o.getConfig(), tf.train.adam(3e-3).getConfig());
  await tf.setBackend("cpu");
  const got = await run(fusedAdam(1e-2), 6, lrs);
  assert.ok(worstRelative(reference, got) < 1e-6);
  await tf.setBackend("wasm");
  o.dispose();
});

test("state moves between fusedAdam and tf.train.adam through getWeights/setWeights", async () => {
  const w = tf.variable(tf.tensor1d([1, -2, 3])), g = tf.tensor1d([0.5, -1, 2]);
  const step = (opt: tf.Optimizer) => opt.applyGradients([{ name: w.name, tensor: g }]);
  const a = fusedAdam(0.1);
  step(a); step(a);
  const b = tf.train.adam(0.1);
  await b.setWeights(await a.getWeights());
  const c = fusedAdam(0.1);
  await c.setWeights(await b.getWeights());
  const before = Array.from(w.dataSync());
  step(b);
  const viaTfjs = Array.from(w.dataSync());
  w.assign(tf.tensor1d(before));
  step(c);
  const viaFused = Array.from(w.dataSync());
  assert.ok(worstRelative([viaTfjs], [viaFused]) < 1e-6, `${viaTfjs} vs ${viaFused}`);
  tf.dispose([w, g]);
  [a, b, c].forEach((o) => o.dispose());
});

test("a clone of a moment kept by the caller is not written; the weights get new storage every step", async () => {
  const w = tf.variable(tf.tensor2d([[1, 2], [3, 4]])), g = tf.tensor2d([[1, 1], [1, 1]]);
  const opt = fusedAdam(0.5);
  opt.applyGradients([{ name: w.name, tensor: g }]);
  const m = (await opt.getWeights())[1].tensor;
  const kept = tf.clone(m); // shares storage on wasm (Identity bumps a reference count)
  const keptValues = Array.from(kept.dataSync());
  const id = w.dataId;
  opt.applyGradients([{ name: w.name, tensor: g }]);
  assert.deepEqual(Array.from(kept.dataSync()), keptValues, "the clone kept its values");
  assert.notDeepEqual(Array.from(m.dataSync()), keptValues, "the moment itself moved on");
  assert.notEqual(w.dataId, id, "weights got fresh storage");
  // A matmul with w as the packed XNNPACK operand sees the new weights, not a cached copy.
  const x = tf.tensor2d([[1, 0], [0, 1]]);
  assert.deepEqual(Array.from(tf.matMul(x, w).dataSync()), Array.from(w.dataSync()));
  opt.applyGradients([{ name: w.name, tensor: g }]);
  assert.deepEqual(Array.from(tf.matMul(x, w).dataSync()), Array.from(w.dataSync()));
  tf.dispose([w, g, kept, x]);
  opt.dispose();
});
