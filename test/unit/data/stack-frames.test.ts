import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { stackFrames } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("stackFrames puts frames t..t+k-1 in the channels, newest last", () => {
  const frames = tf.tidy(() => tf.range(0, 2 * 4).reshape([2, 4, 1, 1, 1]).tile([1, 1, 3, 3, 1])); // frame value = its index
  const out = stackFrames(frames, 2);
  assert.deepEqual(out.shape, [2, 3, 3, 3, 2]);
  const v = out.slice([0, 0, 0, 0, 0], [-1, -1, 1, 1, -1]).reshape([2, 3, 2]).arraySync();
  assert.deepEqual(v, [[[0, 1], [1, 2], [2, 3]], [[4, 5], [5, 6], [6, 7]]]);
  const three = stackFrames(frames, 3);
  assert.deepEqual(three.shape, [2, 2, 3, 3, 3]);
  const one = stackFrames(frames, 1);
  assert.deepEqual(one.arraySync(), frames.arraySync());
  tf.dispose([frames, out, three, one]);
});

test("stackFrames leaks nothing and names bad input", () => {
  const frames = tf.zeros([1, 3, 4, 4, 1]);
  const before = tf.memory().numTensors;
  stackFrames(frames).dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => stackFrames(tf.zeros([1, 3, 4, 4, 2])), /stackFrames: frames must be a tf.Tensor \[N, T, H, W, 1\], received \[1, 3, 4, 4, 2\]/);
  assert.throws(() => stackFrames(frames, 4), /stackFrames: k must be .*3/);
  assert.throws(() => stackFrames(frames, 1.5), /stackFrames: k/);
  frames.dispose();
});
