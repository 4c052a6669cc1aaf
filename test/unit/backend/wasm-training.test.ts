/**
 * Models train on the wasm backend with this package's kernels (lib/backend/wasm-training-kernels.ts):
 * a small conv JEPA, an embedding model and an MLP JEPA (the benchmark workloads, shrunk) and a
 * stock tf.layers conv net each take 20 Adam steps with the loss going down and no tensor growth.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels } from "../../../lib/backend/wasm-training-kernels";
import { setSeed } from "../../../lib/random";
import { Workload, charAr, convJepa, mlpJepa } from "../../../bench/workloads";

before(async () => {
  assert.ok(await tf.setBackend("wasm"));
  await tf.ready();
  registerWasmTrainingKernels();
});

/** Runs `steps` steps; returns the losses and the tensor count after each step. */
function train(w: Workload, steps = 20): { losses: number[]; tensors: number[] } {
  const losses: number[] = [], tensors: number[] = [];
  for (let i = 0; i < steps; i++) {
    const l = w.step();
    losses.push(l.dataSync()[0]);
    l.dispose();
    tensors.push(tf.memory().numTensors);
  }
  return { losses, tensors };
}

function assertTrains(name: string, r: { losses: number[]; tensors: number[] }): void {
  assert.ok(r.losses.every(Number.isFinite), `${name}: losses finite ${r.losses}`);
  const first = r.losses.slice(0, 3).reduce((a, b) => a + b) / 3, last = r.losses.slice(-3).reduce((a, b) => a + b) / 3;
  assert.ok(last < 0.9 * first, `${name}: loss should fall by 10% in 20 steps, went ${first} -> ${last}`);
  // Adam creates its moment variables on the first step; after that the count must not move.
  assert.deepEqual(new Set(r.tensors.slice(1)).size, 1, `${name}: tensor count per step ${r.tensors}`);
}

for (const [name, make] of [
  ["conv JEPA (conv2d, EMA target, masked MSE)", () => convJepa({ batch: 8, image: 12, patch: 3, channels: 8 })],
  ["char model (embedding via tf.gather, tanh, softmax cross-entropy)", () => charAr({ batch: 16, vocab: 10, context: 4, embed: 6, hidden: 16 })],
  ["MLP JEPA (fused dense + relu, VICReg)", () => mlpJepa({ batch: 32, obs: 20, hidden: 24, latent: 6 })],
  ["MLP JEPA with unfused layers", () => mlpJepa({ batch: 32, obs: 20, hidden: 24, latent: 6, fused: false })],
] as const) {
  test(`wasm trains ${name}: loss falls over 20 steps, tensor count flat`, () => {
    setSeed(3);
    const before = tf.memory().numTensors;
    const w = make();
    assertTrains(name, train(w));
    w.dispose();
    assert.equal(tf.memory().numTensors, before, "everything freed after dispose");
  });
}

test("wasm trains a stock tf.layers conv net (conv2d stride 1 and 2, relu, dense, softmax)", async () => {
  setSeed(4);
  const model = tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: [8, 8, 2], filters: 6, kernelSize: 3, padding: "same", activation: "relu" }),
      tf.layers.conv2d({ filters: 4, kernelSize: 3, strides: 2, padding: "valid", activation: "relu" }),
      tf.layers.flatten(),
      tf.layers.dense({ units: 5, activation: "softmax" }),
    ],
  });
  model.compile({ optimizer: tf.train.adam(1e-2), loss: "categoricalCrossentropy" });
  const x = tf.randomUniform([16, 8, 8, 2], 0, 1, "float32", 7);
  const y = tf.oneHot(tf.tensor1d([0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0, 1, 2, 3, 4, 0], "int32"), 5);
  const losses: number[] = [], tensors: number[] = [];
  for (let i = 0; i < 20; i++) {
    losses.push((await model.trainOnBatch(x, y)) as number);
    tensors.push(tf.memory().numTensors);
  }
  assertTrains("tf.layers conv net", { losses, tensors });
  model.dispose();
  tf.dispose([x, y]);
});
