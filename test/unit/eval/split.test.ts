import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { splitTrainTest } from "../../../lib/eval";
import { takeRows } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("splitTrainTest: disjoint, complete, sized by fraction, same seed same split", () => {
  const s = splitTrainTest(100, 0.8, 3);
  assert.equal(s.train.length, 80);
  assert.equal(s.test.length, 20);
  assert.deepEqual([...s.train, ...s.test].sort((a, b) => a - b), Array.from({ length: 100 }, (_, i) => i));
  assert.deepEqual(splitTrainTest(100, 0.8, 3), s);
  assert.notDeepEqual(splitTrainTest(100, 0.8, 4), s);
  assert.deepEqual(s.train, [...s.train].sort((a, b) => a - b));
  const tiny = splitTrainTest(2, 0.01, 1);
  assert.equal(tiny.train.length, 1);
  assert.equal(tiny.test.length, 1);
});

test("takeRows: arrays give arrays, tensors give tensors", () => {
  assert.deepEqual(takeRows([[1], [2], [3]], [2, 0]), [[3], [1]]);
  assert.deepEqual(takeRows([5, 6, 7], [1]), [6]);
  const t = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
  const g = takeRows(t, [2, 1]);
  assert.deepEqual(g.arraySync(), [[5, 6], [3, 4]]);
  tf.dispose([t, g]);
});

test("splitTrainTest and takeRows reject bad input with errors naming the function and argument", () => {
  assert.throws(() => splitTrainTest(1, 0.5, 1), /^RangeError: splitTrainTest: n must be an integer in \[2, 100000000\], received 1/);
  assert.throws(() => splitTrainTest(10, 1, 1), /splitTrainTest: fraction must be in \(0, 1\)/);
  assert.throws(() => splitTrainTest(10, 0, 1), /splitTrainTest: fraction must be a finite number in \(0, 1\]/);
  assert.throws(() => splitTrainTest(10, 0.5, 1.5), /splitTrainTest: seed must be an integer/);
  assert.throws(() => takeRows([1, 2], [2]), /takeRows: indices must be integers in \[0, 1\], received 2 at position 0/);
});
