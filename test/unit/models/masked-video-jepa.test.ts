import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { nextSeed, setSeed } from "../../../lib/random";
import { frameWindows, nextFrameMask, tubeMask } from "../../../lib/data";
import { maskedVideoJepa, spaceTimeConv, tokenEncoder, tokenPredictor } from "../../../lib/models";
import { train } from "../../../lib/train";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const small = { imageSize: 8, frames: 3, patch: 4, embedDim: 6, channels: 4, hidden: [8], predictorDim: 4 };
const clipsOf = (B: number, k = 3, S = 8) => tf.randomUniform([B, k, S, S, 1], 0, 1, "float32", nextSeed("test")) as tf.Tensor5D;

test("frameWindows: every run of k frames, clip-major, with the newest frame's time", () => {
  // clip n, frame t is filled with the value 10n + t
  const clips = tf.tidy(() => tf.tensor1d([0, 1, 2, 3, 10, 11, 12, 13]).reshape([2, 4, 1, 1, 1]).tile([1, 1, 2, 2, 1])) as tf.Tensor5D;
  const w = frameWindows(clips, 2);
  assert.deepEqual(w.windows.shape, [6, 2, 2, 2, 1]);
  const firstPixel = tf.tidy(() => w.windows.slice([0, 0, 0, 0, 0], [-1, -1, 1, 1, 1]).reshape([6, 2]).arraySync());
  assert.deepEqual(firstPixel, [[0, 1], [1, 2], [2, 3], [10, 11], [11, 12], [12, 13]]);
  assert.deepEqual(w.time, [1, 2, 3, 1, 2, 3]);
  assert.deepEqual(w.clip, [0, 0, 0, 1, 1, 1]);
  assert.throws(() => frameWindows(clips, 5), /frameWindows: k must be an integer in \[1, 4\], received 5/);
  tf.dispose([clips, w.windows]);
});

test("tokens: tubelets in time-major order, each patch flattened row-major", () => {
  setSeed(1);
  const m = maskedVideoJepa({ ...small, frames: 2 });
  const clips = tf.tidy(() => tf.range(0, 2 * 64).reshape([1, 2, 8, 8, 1])) as tf.Tensor5D;
  const x = m.tokens(clips).arraySync() as number[][][];
  assert.deepEqual(m.grid, [2, 2, 2]);
  assert.equal(x[0].length, 8);
  // token 5 = frame 1, patch (row 0, column 1): pixels rows 0..3, columns 4..7 of frame 1
  const want = [0, 1, 2, 3].flatMap((r) => [4, 5, 6, 7].map((c) => 64 + r * 8 + c));
  assert.deepEqual(x[0][5], want);
  clips.dispose();
  m.dispose();
});

test("the prediction ignores hidden tubelets; the loss averages hidden tokens only", () => {
  setSeed(2);
  const m = maskedVideoJepa(small);
  const clips = clipsOf(4);
  const mask = tubeMask(4, 3, 2, 2, { numBlocks: 1 });
  const noisy = tf.tidy(() => { // new pixels wherever the mask hides a tubelet
    const px = tf.image.resizeNearestNeighbor(mask.reshape([12, 2, 2, 1]) as tf.Tensor4D, [8, 8]).reshape([4, 3, 8, 8, 1]);
    return tf.add(tf.mul(clips, tf.sub(1, px)), tf.mul(tf.randomUniform(clips.shape, 0, 1, "float32", 9), px));
  });
  const a = m.predict({ clips, mask });
  const b = m.predict({ clips: noisy, mask });
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(a.prediction, b.prediction))).dataSync()[0]) < 1e-6, "hidden pixels leaked into the prediction");
  const { predError } = tf.tidy(() => ({ predError: m.forward({ clips, mask }).predError.dataSync()[0] }));
  const want = tf.tidy(() => {
    const perToken = tf.mean(tf.square(tf.sub(a.prediction, a.target)), 2); // [B, N]
    const hidden = mask.reshape([4, 12]);
    return tf.div(tf.sum(tf.mul(perToken, hidden)), tf.sum(hidden)).dataSync()[0];
  });
  assert.ok(Math.abs(predError - want) < 1e-5, `predError ${predError} vs ${want}`);
  tf.dispose([clips, mask, noisy, a.prediction, a.target, b.prediction, b.target]);
  m.dispose();
});

test("predictNext is predict with the newest frame hidden, sliced to its G^2 patches", () => {
  setSeed(3);
  const m = maskedVideoJepa(small);
  const clips = clipsOf(2);
  const mask = nextFrameMask(2, 3, 2, 2);
  const full = m.predict({ clips, mask });
  const next = m.predictNext(clips);
  assert.deepEqual(next.prediction.shape, [2, 4, 6]);
  const d = tf.tidy(() => tf.max(tf.abs(tf.sub(next.prediction, full.prediction.slice([0, 8, 0], [2, 4, 6])))).dataSync()[0]);
  assert.ok(d < 1e-6);
  tf.dispose([clips, mask, full.prediction, full.target, next.prediction, next.target]);
  m.dispose();
});

test("maskedVideoJepa trains without leaking, the EMA target moves, bad input is named", async () => {
  setSeed(4);
  const m = maskedVideoJepa({ ...small, momentum: 0.5 });
  const batch = () => ({ clips: clipsOf(6), mask: tf.maximum(tubeMask(6, 3, 2, 2, { numBlocks: 1 }), nextFrameMask(6, 3, 2, 2)) });
  await train(m, { steps: 3, batch, progress: false, chart: false });
  const t0 = m.targetEncoder.variables()[0].arraySync();
  const before = tf.memory().numTensors;
  const r = await train(m, { steps: 20, batch, progress: false, chart: false, logEvery: 5 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(Number.isFinite(r.last.loss as number) && Number.isFinite(r.last.variance as number));
  assert.notDeepEqual(m.targetEncoder.variables()[0].arraySync(), t0);
  const bad = tf.zeros([2, 4, 8, 8, 1]);
  assert.throws(() => m.predictNext(bad), /maskedVideoJepa.predictNext: clips must have shape \[B, 3, 8, 8, 1\]/);
  assert.throws(() => m.forward({ clips: clipsOf(2), mask: tf.zeros([2, 3, 2]) }), /maskedVideoJepa: batch.mask must have rank 4/);
  assert.throws(() => maskedVideoJepa({ imageSize: 10, patch: 4 }), /maskedVideoJepa: opts.imageSize 10 must be a multiple of opts.patch 4/);
  assert.throws(() => maskedVideoJepa({ hidden: 64 as never }), /maskedVideoJepa: opts.hidden must be an array/);
  bad.dispose();
  m.dispose();
});

test("its building blocks name themselves and the bad option (they were TypeErrors from inside)", () => {
  const n0 = tf.memory().numTensors;
  assert.throws(() => tokenEncoder({} as never), /tokenEncoder: opts.patch must be an integer in \[1, Infinity\], received undefined/);
  const enc = { patch: 4, tubelet: 1, channels: 8, embedDim: 8, normalize: false, name: "e" };
  assert.throws(() => tokenEncoder({ ...enc, hidden: [0] }), /tokenEncoder: opts.hidden must be an array of layer sizes \(integers >= 1, e\.g\. \[128, 128\]\), received \[0\]/);
  assert.throws(() => tokenEncoder({ ...enc, channels: -1, hidden: [8] }), /tokenEncoder: opts.channels must be an integer in \[0, Infinity\]/);
  const pred = { embedDim: 4, dim: 4, depth: 1, kernel: 3, name: "p" };
  assert.throws(() => tokenPredictor({ ...pred, grid: [2, 3] as never }), /tokenPredictor: opts.grid must be an array of 3 integers >= 1, received \[2,3\]/);
  assert.throws(() => tokenPredictor({ ...pred, grid: [1, 2, 2], depth: -1 }), /tokenPredictor: opts.depth must be an integer in \[0, Infinity\]/);
  assert.throws(() => spaceTimeConv(undefined as never, 4), /spaceTimeConv: grid must be an array of 3 integers >= 1, received undefined/);
  assert.equal(tf.memory().numTensors, n0, "a rejected option builds nothing");
});
