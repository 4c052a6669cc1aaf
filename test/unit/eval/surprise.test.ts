import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { surprise } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("surprise gives [B, T] per-step errors and spikes where the target jumps", () => {
  const B = 2, T = 6, D = 3;
  const target = Array.from({ length: B }, (_, b) => Array.from({ length: T }, (_, t) => Array.from({ length: D }, (_, d) => 0.1 * t + d + b)));
  const pred = target.map((seq) => seq.map((v) => v.map((x) => x + 0.01)));
  pred[1][4] = pred[1][4].map((x) => x + 5); // a teleport at b = 1, t = 4
  const s = surprise(pred, target);
  assert.equal(s.length, B);
  assert.equal(s[0].length, T);
  assert.ok(Math.abs(s[0][0] - 1e-4) < 1e-6, `mse per step ${s[0][0]}`);
  const others = s.flat().filter((_, i) => i !== T + 4);
  assert.ok(s[1][4] > 1000 * Math.max(...others), "spike at the teleport");
  const cos = surprise(pred, target, { kind: "cosine" });
  assert.ok(cos[1][4] > cos[1][3]);
});

test("surprise takes tensors; no leaks", () => {
  const p = tf.randomNormal([2, 4, 3], 0, 1, "float32", 1);
  const t = tf.randomNormal([2, 4, 3], 0, 1, "float32", 2);
  const before = tf.memory().numTensors;
  const s = surprise(p, t);
  assert.equal(tf.memory().numTensors, before);
  const want = tf.tidy(() => tf.mean(tf.squaredDifference(p, t), 2).arraySync() as number[][]);
  s.forEach((row, b) => row.forEach((v, i) => assert.ok(Math.abs(v - want[b][i]) < 1e-6)));
  surprise(p.arraySync() as number[][][], t.arraySync() as number[][][]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([p, t]);
});

test("surprise rejects bad input with errors naming the function and argument", () => {
  const p = tf.zeros([2, 4, 3]);
  assert.throws(() => surprise(p, tf.zeros([2, 5, 3])), /^Error: surprise: pred and target must have the same shape \[B, T, D\], received \[2, 4, 3\] and \[2, 5, 3\]/);
  assert.throws(() => surprise(tf.zeros([2, 4]), p), /surprise: pred must have rank 3 \[B, T, D\], received shape \[2, 4\]/);
  assert.throws(() => surprise(p, tf.fill([2, 4, 3], NaN)), /surprise: target contains NaN or Infinity/);
  assert.throws(() => surprise([[[1, 2]], [[1]]], [[[1, 2]], [[1, 2]]]), /surprise: pred must be rectangular \[B, T, D\] with D = 2, received a ragged row \[1, 0\]/);
  assert.throws(() => surprise([[1, 2]] as unknown as number[][][], p), /surprise: pred must be a tf.Tensor or number\[\]\[\]\[\] of shape \[B, T, D\]/);
  assert.throws(() => surprise(p, p, { kind: "l3" as "mse" }), /surprise: opts.kind must be one of/);
  p.dispose();
});
