import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { TwoRooms } from "../../../lib/data";
import { pixelWorldModel, rollout } from "../../../lib/models";
import { cem } from "../../../lib/plan";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("pixelWorldModel: encode flattens, decode restores, a fresh predictor changes nothing", () => {
  setSeed(1);
  const m = pixelWorldModel({ imageSize: 8, hidden: [16] });
  const world = new TwoRooms({ imageSize: 8 });
  const obs = world.render([[0.2, 0.3], [0.7, 0.6]]); // [2, 8, 8, 1]
  const x = m.encode(obs);
  assert.deepEqual(x.shape, [2, 64]);
  const back = m.decode(x);
  assert.deepEqual(back.arraySync(), obs.arraySync());
  const a = tf.tensor2d([[0.05, 0], [0, -0.05]]);
  const next = m.predict(x, a);
  assert.deepEqual(next.arraySync(), x.arraySync(), "zero-initialised last layer: x̂_{t+1} = x_t");
  const traj = rollout(m.predict, x, tf.stack([a, a], 1) as tf.Tensor3D);
  assert.deepEqual(m.decode(traj).shape, [2, 2, 8, 8, 1]);
  tf.dispose([obs, x, back, a, next, traj]);
  m.dispose();
});

test("pixelWorldModel trains on Two Rooms trajectories: the unrolled error falls below copying; no leaks", async () => {
  setSeed(2);
  const world = new TwoRooms({ imageSize: 8 });
  const { obs, actions, states } = world.trajectories(32, 3); // obs [32, 4, 8, 8, 1]
  const m = pixelWorldModel({ imageSize: 8, hidden: [32] });
  const opt = tf.train.adam(3e-3);
  const loss = () => tf.tidy(() => m.forward({ obs, actions }).loss.dataSync()[0]);
  const copying = loss(); // the fresh model predicts "no change"
  tf.tidy(() => { opt.minimize(() => m.forward({ obs, actions }).loss, false, m.variables()); });
  const n = tf.memory().numTensors;
  for (let i = 0; i < 60; i++) tf.tidy(() => { opt.minimize(() => m.forward({ obs, actions }).loss, false, m.variables()); });
  assert.equal(tf.memory().numTensors, n, "training steps leak no tensors");
  const last = loss();
  assert.ok(last < 0.6 * copying, `loss ${copying} (copying the frame) -> ${last}`);
  tf.dispose([obs, actions, states]);
  opt.dispose();
  m.dispose();
});

test("pixelWorldModel plugs into the planners with D = S² pixels", () => {
  setSeed(3);
  const m = pixelWorldModel({ imageSize: 8, hidden: [8] });
  const world = new TwoRooms({ imageSize: 8 });
  const z0 = tf.tidy(() => m.encode(world.render([[0.2, 0.2]])));
  const goal = tf.tidy(() => m.encode(world.render([[0.3, 0.3]])).reshape([-1]) as tf.Tensor1D);
  const before = tf.memory().numTensors;
  const r = cem({ step: m.predict, z0, goal, horizon: 3, actionDim: 2, samples: 16, elites: 4, iterations: 2, low: -0.08, high: 0.08 });
  assert.equal(r.actions.length, 3);
  assert.ok(Number.isFinite(r.cost));
  assert.equal(tf.memory().numTensors, before, "planning leaks nothing");
  tf.dispose([z0, goal]);
  m.dispose();
});

test("pixelWorldModel names bad options and batches", () => {
  assert.throws(() => pixelWorldModel({ imageSize: 0 }), /pixelWorldModel: opts.imageSize/);
  assert.throws(() => pixelWorldModel({ hidden: [] }), /pixelWorldModel: opts.hidden must be a non-empty number\[\]/);
  const m = pixelWorldModel({ imageSize: 4, hidden: [4] });
  assert.throws(() => m.forward({ obs: tf.zeros([2, 1, 4, 4, 1]) }), /pixelWorldModel.forward: batch.obs must be \[B, T\+1, 4, 4, 1\] with T\+1 >= 2, received \[2, 1, 4, 4, 1\]/);
  assert.throws(() => m.forward({ obs: tf.zeros([2, 3, 4, 4, 1]), actions: tf.zeros([2, 3, 2]) as tf.Tensor3D }), /pixelWorldModel.forward: batch.actions must have shape \[2, 2, 2\]/);
  assert.throws(() => m.forward({ obs: tf.zeros([2, 3, 4, 4, 1]) }), /pixelWorldModel.forward: batch.actions must be a tf.Tensor/);
  assert.throws(() => m.encode(tf.zeros([2, 8, 8, 1])), /pixelWorldModel.encode: obs must have shape/);
  m.dispose();
});
