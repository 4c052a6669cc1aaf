import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { mulberry32, randn } from "../../../lib/random";
import { logisticProbe, splitTrainTest } from "../../../lib/eval";
import { takeRows } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** n points per class around 3 well-separated centres in 5-D (plus a constant column). */
function clusters(n: number, seed: number, spread = 0.5): { x: number[][]; y: number[] } {
  const r = mulberry32(seed);
  const centres = [[4, 0, 0, 0, 0], [0, 4, 0, 0, 0], [0, 0, -4, 0, 4]];
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 3 * n; i++) {
    const c = i % 3;
    x.push([...centres[c].map((v) => v + spread * randn(r)), 7]);
    y.push(c);
  }
  return { x, y };
}

test("logisticProbe separates separable clusters (accuracy 1) and is deterministic", () => {
  const tr = clusters(40, 1);
  const te = clusters(30, 2);
  const a = logisticProbe(tr.x, tr.y, te.x, te.y);
  assert.equal(a.accuracy, 1);
  assert.equal(a.trainAccuracy, 1);
  assert.equal(a.predictions.length, 90);
  assert.ok(a.trainLoss < 0.1, `loss ${a.trainLoss}`);
  const b = logisticProbe(tr.x, tr.y, te.x, te.y);
  assert.deepEqual(a, b);
});

test("logisticProbe on random labels stays near chance on held-out rows", () => {
  const r = mulberry32(5);
  const all = clusters(100, 3);
  const labels = all.y.map(() => Math.floor(r() * 3));
  const split = splitTrainTest(all.x.length, 0.5, 9);
  const res = logisticProbe(takeRows(all.x, split.train), takeRows(labels, split.train), takeRows(all.x, split.test), takeRows(labels, split.test), { steps: 100 });
  assert.ok(res.accuracy < 0.5, `accuracy ${res.accuracy} on random labels (chance 1/3)`);
});

test("logisticProbe takes tensors, leaks no tensors", () => {
  const tr = clusters(20, 6);
  const x = tf.tensor2d(tr.x);
  const y = tf.tensor1d(tr.y, "int32");
  const before = tf.memory().numTensors;
  const res = logisticProbe(x, y, x, y, { steps: 50 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(res.accuracy, 1);
  tf.dispose([x, y]);
});

test("logisticProbe rejects bad input with errors naming the function and argument", () => {
  const { x, y } = clusters(4, 7);
  assert.throws(() => logisticProbe(x, y.slice(1), x, y), /^Error: logisticProbe: trainY must have one label per row \(N = 12\), received 11/);
  assert.throws(() => logisticProbe(x, y.map((v) => v + 0.5), x, y), /logisticProbe: trainY must hold non-negative integer class ids, received 0.5 at index 0/);
  assert.throws(() => logisticProbe(x, y, x.map((r) => r.slice(1)), y), /logisticProbe: testX must have D = 6 columns like trainX/);
  assert.throws(() => logisticProbe(x, y, x, y, { steps: -1 }), /logisticProbe: opts.steps/);
  assert.throws(() => logisticProbe(x, y, x, y, { numClasses: 2 }), /logisticProbe: opts.numClasses must be an integer in \[3/);
  assert.throws(() => logisticProbe(x, tf.zeros([12, 1]), x, y), /logisticProbe: trainY must be a 1-D tensor \[N\] of class ids, received shape \[12, 1\]/);
});
