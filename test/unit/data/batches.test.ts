import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { batchIndices, takeRows } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("batchIndices: full batches of distinct indices, new order each call, fixed by setSeed", () => {
  setSeed(1);
  const a = batchIndices(10, 3);
  const a2 = batchIndices(10, 3);
  assert.equal(a.length, 3);
  assert.ok(a.every((b) => b.length === 3));
  const flat = a.flat();
  assert.equal(new Set(flat).size, 9);
  assert.ok(flat.every((i) => i >= 0 && i < 10));
  assert.notDeepEqual(a, a2);
  setSeed(1);
  assert.deepEqual(batchIndices(10, 3), a);
  const all = batchIndices(10, 3, "other", { dropLast: false });
  assert.equal(all.length, 4);
  assert.deepEqual(all.flat().sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  assert.deepEqual(batchIndices(4, 10).map((b) => b.length), [4], "n < batchSize: one batch of all");
});

test("takeRows gathers rows along axis 0 without leaks", () => {
  const t = tf.tensor3d([[[1]], [[2]], [[3]], [[4]]]);
  const before = tf.memory().numTensors;
  const b = takeRows(t, [3, 0, 3]);
  assert.deepEqual(b.shape, [3, 1, 1]);
  assert.deepEqual(b.arraySync(), [[[4]], [[1]], [[4]]]);
  b.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => takeRows(t, [4]), /takeRows: indices must be integers in \[0, 3\], received 4 at position 0/);
  assert.deepEqual(takeRows([1, 2], [1, 1, 0]), [2, 2, 1], "arrays give arrays");
  t.dispose();
  assert.throws(() => takeRows(t, [0]), /takeRows: x must be an array or a live tf.Tensor/);
  assert.throws(() => batchIndices(0, 2), /batchIndices: n must be an integer in \[1, /);
  assert.throws(() => batchIndices(5, 1.5), /batchIndices: batchSize must be an integer/);
});
