import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { movingDotClips, stackFrames } from "../../../lib/data";
import { nextFramePredictor } from "../../../lib/models";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("nextFramePredictor: shapes, step keeps the newest real frame and appends the prediction", () => {
  setSeed(1);
  const m = nextFramePredictor({ frameShape: [8, 8], hidden: [16], decoderHidden: [16] });
  const stack = tf.randomUniform([3, 8, 8, 2], 0, 1, "float32", 5);
  const f = m.nextFrame(stack);
  assert.deepEqual(f.shape, [3, 8, 8, 1]);
  const s = m.step(stack);
  assert.deepEqual(s.shape, [3, 8, 8, 2]);
  assert.deepEqual(s.slice([0, 0, 0, 0], [-1, -1, -1, 1]).arraySync(), stack.slice([0, 0, 0, 1], [-1, -1, -1, 1]).arraySync());
  assert.deepEqual(s.slice([0, 0, 0, 1], [-1, -1, -1, 1]).arraySync(), f.arraySync());
  tf.dispose([stack, f, s]);
  m.dispose();
});

test("nextFramePredictor trains: the loss on moving-dot clips falls; no leaks", () => {
  setSeed(2);
  const clips = movingDotClips(32, 4, { imageSize: 8, radius: 0.15 });
  const obs = stackFrames(clips.frames); // [32, 3, 8, 8, 2]
  const m = nextFramePredictor({ frameShape: [8, 8], hidden: [32], decoderHidden: [32] });
  const opt = tf.train.adam(3e-3);
  const loss = () => tf.tidy(() => m.forward({ obs }).loss.dataSync()[0]);
  const first = loss();
  const before = tf.memory().numTensors;
  for (let i = 0; i < 60; i++) tf.tidy(() => { opt.minimize(() => m.forward({ obs }).loss, false, m.variables()); });
  const n = tf.memory().numTensors;
  const last = loss();
  assert.ok(last < first * 0.7, `loss ${first} -> ${last}`);
  tf.tidy(() => { opt.minimize(() => m.forward({ obs }).loss, false, m.variables()); });
  assert.equal(tf.memory().numTensors, n, "a training step leaks no tensors");
  assert.ok(n >= before);
  tf.dispose([clips.frames, clips.positions, obs]);
  opt.dispose();
  m.dispose();
});

test("nextFramePredictor names bad options and batches", () => {
  assert.throws(() => nextFramePredictor({ frameShape: [8] as unknown as [number, number] }), /nextFramePredictor: opts.frameShape must be \[H, W\]/);
  assert.throws(() => nextFramePredictor({ frameShape: [8, 8], frames: 0 }), /nextFramePredictor: opts.frames/);
  const m = nextFramePredictor({ frameShape: [8, 8], hidden: [4], decoderHidden: [4] });
  assert.throws(() => m.forward({ obs: tf.zeros([2, 1, 8, 8, 2]) }), /nextFramePredictor.forward: batch.obs must be \[B, T\+1, 8, 8, 2\] with T\+1 >= 2, received \[2, 1, 8, 8, 2\]/);
  assert.throws(() => m.forward({ obs: tf.zeros([2, 3, 8, 8, 3]) }), /nextFramePredictor.forward: batch.obs/);
  assert.throws(() => m.nextFrame(tf.zeros([2, 8, 8, 1])), /nextFramePredictor.nextFrame: stack/);
  m.dispose();
});
