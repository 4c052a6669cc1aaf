import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { surprise, surpriseOverTime } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("surprise: the largest region error per example (or their mean), spiking where one region jumps", () => {
  const B = 2, R = 6, D = 3;
  const target = Array.from({ length: B }, (_, b) => Array.from({ length: R }, (_, r) => Array.from({ length: D }, (_, d) => 0.1 * r + d + b)));
  const pred = target.map((ex) => ex.map((v) => v.map((x) => x + 0.01)));
  pred[1][4] = pred[1][4].map((x) => x + 5); // one region of example 1 is far off
  const s = surprise(pred, target).arraySync();
  assert.equal(s.length, B);
  assert.ok(Math.abs(s[0] - 1e-4) < 1e-6, `max of equal errors ${s[0]}`);
  assert.ok(Math.abs(s[1] - 5.01 ** 2) < 1e-3, `the jumping region ${s[1]}`);
  const mean = surprise(pred, target, { reduce: "mean" }).arraySync();
  assert.ok(Math.abs(mean[1] - (5.01 ** 2 + 5 * 1e-4) / R) < 1e-3, `mean over regions ${mean[1]}`);
  const cos = surprise(pred, target, { kind: "cosine" }).arraySync();
  assert.ok(cos[1] > cos[0]);
});

test("surprise takes tensors and equals max over R of mean over D of the squared error; no leaks", () => {
  const p = tf.randomNormal([3, 4, 5], 0, 1, "float32", 1);
  const t = tf.randomNormal([3, 4, 5], 0, 1, "float32", 2);
  const before = tf.memory().numTensors;
  const s = surprise(p, t);
  assert.equal(tf.memory().numTensors, before + 1);
  const want = tf.tidy(() => tf.max(tf.mean(tf.squaredDifference(p, t), 2), 1).arraySync() as number[]);
  (s.arraySync()).forEach((v, b) => assert.ok(Math.abs(v - want[b]) < 1e-6));
  s.dispose();
  surprise(p.arraySync() as number[][][], t.arraySync() as number[][][]).dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([p, t]);
});

test("surprise rejects bad input with errors naming the function and argument", () => {
  const p = tf.zeros([2, 4, 3]);
  assert.throws(() => surprise(p, tf.zeros([2, 5, 3])), /^Error: surprise: pred and target must have the same shape \[B, R, D\], received \[2, 4, 3\] and \[2, 5, 3\]/);
  assert.throws(() => surprise(tf.zeros([2, 4]), p), /surprise: pred must have rank 3 \[B, R, D\], received shape \[2, 4\]/);
  assert.throws(() => surprise(p, tf.fill([2, 4, 3], NaN)), /surprise: target contains NaN or Infinity/);
  assert.throws(() => surprise([[[1, 2]], [[1]]], [[[1, 2]], [[1, 2]]]), /surprise: pred must be rectangular \[B, R, D\] with D = 2, received a ragged row \[1, 0\]/);
  assert.throws(() => surprise([[1, 2]] as unknown as number[][][], p), /surprise: pred must be a tf.Tensor or number\[\]\[\]\[\] of shape \[B, R, D\]/);
  assert.throws(() => surprise(p, p, { kind: "l3" as "mse" }), /surprise: opts.kind must be one of/);
  assert.throws(() => surprise(p, p, { reduce: "sum" as "max" }), /surprise: opts.reduce must be "max" or "mean"/);
  p.dispose();
});

test("surpriseOverTime: NaN before the first full window, the window's score after, no leaks", () => {
  // a stand-in model: predicts zeros; target = the newest frame's 4 pixels as 2 regions of 2 values
  const k = 2;
  const model = {
    options: { frames: k },
    predictNext: (clips: tf.Tensor) => tf.tidy(() => {
      const B = clips.shape[0];
      const target = clips.slice([0, k - 1], [B, 1]).reshape([B, 2, 2]);
      return { prediction: tf.zerosLike(target), target };
    }),
  };
  const clips = tf.tidy(() => tf.range(0, 3 * 4).reshape([1, 3, 2, 2, 1]).tile([2, 1, 1, 1, 1]).mul(tf.tensor1d([1, 2]).reshape([2, 1, 1, 1, 1]))) as tf.Tensor5D;
  const before = tf.memory().numTensors;
  const s = surpriseOverTime(model, clips, { batchSize: 3 });
  assert.equal(tf.memory().numTensors, before);
  assert.equal(s.length, 2);
  assert.ok(Number.isNaN(s[0][0]));
  // frame t of clip c holds (c + 1)(4t .. 4t + 3): later frames and clip 1 score higher
  assert.ok(s.every((row) => row.slice(1).every((v) => Number.isFinite(v) && v > 0)));
  assert.ok(s[1][2] > s[0][2] && s[0][2] > s[0][1]);
  assert.throws(() => surpriseOverTime(model, clips.slice([0, 0], [2, 1]) as tf.Tensor5D), /surpriseOverTime: clips must have at least k = 2 frames/);
  clips.dispose();
});
