import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { crossEntropy } from "../../../lib/losses";
import { assertClose } from "./reference";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** Float64 cross-entropy of one row, by hand. */
function ce(row: number[], label: number): number {
  const m = Math.max(...row);
  const lse = m + Math.log(row.reduce((s, v) => s + Math.exp(v - m), 0));
  return lse - row[label];
}

test("crossEntropy matches a float64 hand computation, for ids as array, int32 tensor and one-hot", () => {
  const L = [[2, 1, 0.1], [0.5, 2.5, -1], [100, -100, 0]];
  const ids = [0, 2, 1];
  const want = ids.reduce((s, y, i) => s + ce(L[i], y), 0) / ids.length;
  const logits = tf.tensor2d(L);
  const idT = tf.tensor1d(ids, "int32");
  const oneHot = tf.oneHot(idT, 3).toFloat();
  for (const labels of [ids, idT, oneHot]) assertClose(crossEntropy(logits, labels).loss.dataSync()[0], want, "ce");
  assertClose(crossEntropy(tf.zeros([4, 10]), [1, 2, 3, 4]).loss.dataSync()[0], Math.log(10), "uniform logits give ln C");
  tf.dispose([logits, idT, oneHot]);
});

test("crossEntropy on [B, T, C] logits with [B, T] ids averages over every position", () => {
  const logits = tf.randomNormal([2, 3, 5], 0, 1, "float32", 8);
  const ids = tf.tensor2d([[0, 1, 2], [3, 4, 0]], [2, 3], "int32");
  const flat = crossEntropy(logits.reshape([6, 5]), ids.reshape([6])).loss;
  assertClose(crossEntropy(logits, ids).loss.dataSync()[0], flat.dataSync()[0], "same as flattened");
  tf.dispose([logits, ids, flat]);
});

test("crossEntropy gradient is softmax - onehot (finite); no leaks", () => {
  const logits = tf.tensor2d([[2, 1, 0.1], [0.5, 2.5, -1]]);
  const before = tf.memory().numTensors;
  const g = tf.grad((l: tf.Tensor) => crossEntropy(l, [0, 2]).loss)(logits);
  const want = tf.tidy(() => tf.div(tf.sub(tf.softmax(logits), tf.oneHot(tf.tensor1d([0, 2], "int32"), 3)), 2));
  const [gv, wv] = [g.dataSync(), want.dataSync()];
  gv.forEach((v, i) => assertClose(v, wv[i], `grad ${i}`, 1e-4, 1e-6));
  tf.dispose([g, want]);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(logits);
});

test("crossEntropy rejects bad input with errors naming the function and argument", () => {
  const logits = tf.zeros([2, 3]);
  assert.throws(() => crossEntropy(logits, [0, 3]), /^RangeError: crossEntropy: labels must be integer class ids in \[0, 2\], received 3 at index 1/);
  assert.throws(() => crossEntropy(logits, [0]), /crossEntropy: labels must be class ids \[2\] or probabilities \[2, 3\], received an array of length 1/);
  assert.throws(() => crossEntropy(logits, tf.tensor1d([0, 1])), /crossEntropy: labels as class ids must have dtype int32, received float32/);
  assert.throws(() => crossEntropy(logits, tf.zeros([3, 3])), /crossEntropy: labels must be class ids \[2\] or probabilities \[2, 3\], received float32 \[3, 3\]/);
  assert.throws(() => crossEntropy(tf.zeros([3]), [0]), /crossEntropy: logits must have rank >= 2/);
  assert.throws(() => crossEntropy(tf.tensor2d([[NaN, 0]]), [0]), /crossEntropy: logits contains NaN/);
  assert.throws(() => crossEntropy(logits, [0.5, 1]), /crossEntropy: labels must be integer class ids/);
  tf.dispose(logits);
});
