import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { windowSampler } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

// obs value = clip * 100 + t; action value = clip * 100 + t + 0.5 (the action after obs t)
const N = 5, P = 7;
const obs = tf.tensor(Array.from({ length: N * P }, (_, i) => Math.floor(i / P) * 100 + (i % P)), [N, P, 1, 1]);
const actions = tf.tensor3d(Array.from({ length: N * (P - 1) }, (_, i) => Math.floor(i / (P - 1)) * 100 + (i % (P - 1)) + 0.5), [N, P - 1, 1]);

test("windowSampler: consecutive observations of one clip, with the actions between them", () => {
  setSeed(1);
  const sample = windowSampler({ obs, actions });
  const b = sample(16, 3);
  assert.deepEqual(b.obs.shape, [16, 4, 1, 1]);
  assert.deepEqual(b.actions!.shape, [16, 3, 1]);
  const o = (b.obs.reshape([16, 4]).arraySync() as number[][]);
  const a = (b.actions!.reshape([16, 3]).arraySync() as number[][]);
  o.forEach((w, i) => {
    w.forEach((v, t) => assert.equal(v, w[0] + t, "consecutive, same clip"));
    a[i].forEach((v, t) => assert.equal(v, w[t] + 0.5, "action t follows obs t"));
  });
  tf.dispose([b.obs, b.actions!]);
});

test("windowSampler: same seed, same batches; T may change per call; no leaks; clear errors", () => {
  setSeed(2);
  const first = windowSampler({ obs })(4, 6).obs.arraySync();
  setSeed(2);
  const again = windowSampler({ obs });
  const before = tf.memory().numTensors;
  const b = again(4, 6);
  assert.deepEqual(b.obs.arraySync(), first);
  assert.equal(b.actions, undefined);
  b.obs.dispose();
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(again(2, 1).obs.shape, [2, 2, 1, 1]);
  assert.throws(() => again(2, 7), /windowSampler: T must be .*6.*received 7/);
  assert.throws(() => windowSampler({ obs: tf.zeros([3, 4]) }), /windowSampler: data.obs must be a tf.Tensor \[N, P, ...obsShape\], received \[3, 4\]/);
  assert.throws(() => windowSampler({ obs, actions: tf.zeros([N, P, 1]) }), /windowSampler: data.actions must be \[N=5, P-1=6, A\], received \[5, 7, 1\]/);
});
