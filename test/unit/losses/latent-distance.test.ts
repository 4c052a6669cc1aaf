import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { latentDistance } from "../../../lib/losses";
import { assertClose } from "./reference";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

// Hand-computed rows: a = [[1, 2], [0, 0]], b = [[1, 0], [3, 4]].
const A = [[1, 2], [0, 0]];
const B = [[1, 0], [3, 4]];

test("latentDistance: mse, smoothL1 and cosine per row and mean over the batch", () => {
  const a = tf.tensor2d(A);
  const b = tf.tensor2d(B);
  const rows = (kind: "mse" | "smoothL1" | "cosine") => Array.from(latentDistance(a, b, { kind, reduction: "none" }).dataSync());
  // mse rows: (0 + 4)/2 = 2, (9 + 16)/2 = 12.5
  assert.deepEqual(rows("mse"), [2, 12.5]);
  // smoothL1 (beta 1): |d| = [0, 2] -> [0, 1.5] mean 0.75; [3, 4] -> [2.5, 3.5] mean 3
  assert.deepEqual(rows("smoothL1"), [0.75, 3]);
  // cosine: row 0: cos = 1/sqrt(5); row 1: a is zero -> cos 0 -> distance 1
  const cos = rows("cosine");
  assertClose(cos[0], 1 - 1 / Math.sqrt(5), "cosine row 0");
  assertClose(cos[1], 1, "cosine row 1 (zero vector)");
  assertClose(latentDistance(a, b).dataSync()[0], 7.25, "mse mean over batch");
  assertClose(latentDistance(a, b, { kind: "smoothL1", beta: 4 }).dataSync()[0], (0 + 0.5 + 9 / 8 + 2) / 4, "smoothL1 beta 4");
  tf.dispose([a, b]);
});

test("latentDistance on [B, T, D] averages over batch and time; 'none' gives [B, T]", () => {
  const a = tf.randomNormal([3, 5, 4], 0, 1, "float32", 1);
  const b = tf.randomNormal([3, 5, 4], 0, 1, "float32", 2);
  const none = latentDistance(a, b, { kind: "cosine", reduction: "none" });
  assert.deepEqual(none.shape, [3, 5]);
  assertClose(latentDistance(a, b, { kind: "cosine" }).dataSync()[0], tf.mean(none).dataSync()[0], "mean of rows");
  assertClose(latentDistance(a, b).dataSync()[0], tf.mean(tf.squaredDifference(a, b)).dataSync()[0], "mse = mean over all elements");
  assertClose(latentDistance(a, a, { kind: "cosine" }).dataSync()[0], 0, "cosine of identical vectors");
  tf.dispose([a, b, none]);
});

test("latentDistance gradients are finite for each kind (also at zero vectors and a = b); no leaks", () => {
  const a = tf.tensor2d([[1, 2], [0, 0], [3, -1]]);
  const b = tf.tensor2d([[1, 2], [3, 4], [0, 0]]);
  for (const kind of ["mse", "smoothL1", "cosine"] as const) {
    const before = tf.memory().numTensors;
    const [ga, gb] = tf.grads((x: tf.Tensor, y: tf.Tensor) => latentDistance(x, y, { kind }))([a, b]);
    assert.ok([...ga.dataSync(), ...gb.dataSync()].every(Number.isFinite), kind);
    assert.ok([...ga.dataSync()].some((v) => v !== 0), `${kind} non-zero`);
    tf.dispose([ga, gb]);
    latentDistance(a, b, { kind, reduction: "none" }).dispose();
    assert.equal(tf.memory().numTensors, before, `${kind} leaks`);
  }
  tf.dispose([a, b]);
});

test("latentDistance rejects bad input with errors naming the function and argument", () => {
  const a = tf.zeros([2, 3]);
  assert.throws(() => latentDistance(a, tf.zeros([3, 3])), /^Error: latentDistance: a and b must have the same shape, received \[2, 3\] and \[3, 3\]/);
  assert.throws(() => latentDistance(tf.zeros([3]), tf.zeros([3])), /latentDistance: a must have rank >= 2/);
  assert.throws(() => latentDistance(a, tf.tensor2d([[0, NaN, 0], [0, 0, 0]])), /latentDistance: b contains NaN/);
  assert.throws(() => latentDistance(a, a, { kind: "l3" as "mse" }), /latentDistance: opts.kind must be one of mse, smoothL1, cosine, received l3/);
  assert.throws(() => latentDistance(a, a, { beta: 0 }), /latentDistance: opts.beta/);
  assert.throws(() => latentDistance(a, "b" as unknown as tf.Tensor), /latentDistance: b must be a tf.Tensor of rank >= 2, received string/);
  assert.throws(() => latentDistance(tf.zeros([0, 3]), tf.zeros([0, 3])), /latentDistance: a must not have an empty axis/);
  tf.dispose(a);
});
