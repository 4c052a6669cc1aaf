import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { frameWindows, nextSeed, setSeed, train, videoJepa } from "../../../lib";

tf.setBackend("cpu");

test("frameWindows: k frames as channels, next window one step later, clip-major order", () => {
  // clip n, frame t is filled with the value 10n + t
  const clips = tf.tidy(() => tf.tensor1d([0, 1, 2, 3, 10, 11, 12, 13]).reshape([2, 4, 1, 1, 1]).tile([1, 1, 2, 2, 1])) as tf.Tensor5D;
  const w = frameWindows(clips, 2);
  assert.deepEqual(w.context.shape, [4, 2, 2, 2]);
  const px = (t: tf.Tensor4D) => (t.slice([0, 0, 0, 0], [-1, 1, 1, -1]).reshape([-1, 2]).arraySync() as number[][]);
  assert.deepEqual(px(w.context), [[0, 1], [1, 2], [10, 11], [11, 12]]);
  assert.deepEqual(px(w.next), [[1, 2], [2, 3], [11, 12], [12, 13]]);
  assert.deepEqual(w.time, [2, 3, 2, 3]);
  assert.deepEqual(w.clip, [0, 0, 1, 1]);
  assert.throws(() => frameWindows(clips, 4), /frameWindows: k must be an integer in \[1, 3\]/);
  tf.dispose([clips, w.context, w.next]);
});

test("videoJepa trains without leaking, surprise is one number per window, bad shapes are named", async () => {
  setSeed(1);
  const m = videoJepa({ size: 8, frames: 2, embedDim: 8, channels: [4], hidden: [16] });
  const batch = () => ({
    context: tf.randomUniform([6, 8, 8, 2], 0, 1, "float32", nextSeed("d")) as tf.Tensor4D,
    next: tf.randomUniform([6, 8, 8, 2], 0, 1, "float32", nextSeed("d")) as tf.Tensor4D,
    mask: tf.randomUniform([6, 8, 8, 1], 0, 1, "float32", nextSeed("d")).round() as tf.Tensor4D,
  });
  await train(m, { steps: 5, batch, progress: false, chart: false });
  const before = tf.memory().numTensors;
  const r = await train(m, { steps: 50, batch, progress: false, chart: false, logEvery: 10 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Number.isFinite(r.last.loss as number));
  const s = tf.tidy(() => m.surprise(tf.zeros([3, 8, 8, 2]), tf.ones([3, 8, 8, 2])).arraySync());
  assert.equal(s.length, 3);
  assert.throws(() => tf.tidy(() => m.surprise(tf.zeros([3, 8, 8, 3]), tf.zeros([3, 8, 8, 3]))), /videoJepa: context must have shape \[B, 8, 8, 2\]/);
  m.dispose();
});

test("gridToPixelMask upsamples a patch mask; surpriseOverTime gives NaN before k frames and a number after", () => {
  const { gridToPixelMask, surpriseOverTime } = require("../../../lib");
  const m = tf.tidy(() => gridToPixelMask(tf.tensor3d([[[1, 0], [0, 0]]]), 4).squeeze().arraySync());
  assert.deepEqual(m, [[1, 1, 0, 0], [1, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 0]]);
  setSeed(5);
  const model = videoJepa({ size: 8, frames: 2, embedDim: 4, channels: [4], hidden: [8] });
  const clips = tf.randomUniform([3, 5, 8, 8, 1], 0, 1, "float32", 3) as tf.Tensor5D;
  const before = tf.memory().numTensors;
  const s: number[][] = surpriseOverTime(model, clips, 4);
  assert.equal(tf.memory().numTensors, before);
  assert.equal(s.length, 3);
  assert.ok(Number.isNaN(s[0][0]) && Number.isNaN(s[0][1]));
  assert.ok(s.every((row) => row.slice(2).every((v) => Number.isFinite(v) && v >= 0)));
  clips.dispose();
  model.dispose();
});
