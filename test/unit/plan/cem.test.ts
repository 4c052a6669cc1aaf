import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { rollout } from "../../../lib/models";
import { cem, goalDistanceCost, goalDistanceCostWith } from "../../../lib/plan";
import { dist, linearStep } from "./toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("rollout: cumulative sums in the linear world, [1, D] start broadcast", () => {
  const z0 = tf.tensor2d([[1, 2]]);
  const actions = tf.tensor3d([[[1, 0], [0, 1], [1, 1]], [[-1, 0], [0, 0], [0, -1]]]); // [2, 3, 2]
  const traj = rollout(linearStep, z0, actions);
  assert.deepEqual(traj.shape, [2, 3, 2]);
  assert.deepEqual(traj.arraySync(), [[[2, 2], [2, 3], [3, 4]], [[0, 2], [0, 2], [0, 1]]]);
  tf.dispose([z0, actions, traj]);
});

test("rollout rejects bad shapes and a step returning the wrong shape", () => {
  const a = tf.zeros([2, 3, 2]) as tf.Tensor3D;
  assert.throws(() => rollout(linearStep, tf.zeros([3, 2]) as tf.Tensor2D, a), /rollout: z0 must have shape \[N, \.\.\.\] or \[1, \.\.\.\] with N=2/);
  assert.throws(() => rollout((z: tf.Tensor2D) => tf.concat([z, z], 1) as tf.Tensor2D, tf.zeros([1, 2]) as tf.Tensor2D, a), /rollout: step\(z, a\) at t=0 must have shape \[2, 2\], received \[2, 4\]/);
  a.dispose();
});

test("goalDistanceCost sums squared distances over the plan; terminalWeight weighs the last step", () => {
  const traj = tf.tensor3d([[[1, 0], [2, 0]]]); // [1, 2, 2]
  const goal = tf.tensor1d([0, 0]);
  const c1 = goalDistanceCost(traj, goal);
  assert.deepEqual(Array.from(c1.dataSync()), [5]);
  const c3 = goalDistanceCostWith({ terminalWeight: 3 })(traj, goal);
  assert.deepEqual(Array.from(c3.dataSync()), [13]);
  assert.throws(() => goalDistanceCost(traj, tf.tensor1d([0, 0, 0])), /goalDistanceCost: goal must have shape \[D\] with D=2, received \[3\]/);
  tf.dispose([traj, goal, c1, c3]);
});

test("cem reaches a goal in the linear world", () => {
  setSeed(1);
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([0.8, -0.5]);
  const r = cem({ step: linearStep, z0, goal, horizon: 5, actionDim: 2, low: -0.3, high: 0.3, iterations: 6 });
  assert.equal(r.actions.length, 5);
  assert.equal(r.costHistory.length, 6);
  r.costHistory.slice(1).forEach((c, i) => assert.ok(c <= r.costHistory[i], "best cost never rises"));
  const end = r.actions.reduce((s, a) => [s[0] + a[0], s[1] + a[1]], [0, 0]);
  assert.ok(dist(end, [0.8, -0.5]) < 0.15, `end ${end}`);
  r.actions.flat().forEach((v) => assert.ok(v >= -0.3 - 1e-6 && v <= 0.3 + 1e-6, "actions within bounds"));
  tf.dispose([z0, goal]);
});

test("cem: same seed gives the same plan; per-dimension bounds; warm start", () => {
  const z0 = tf.tensor2d([[0, 0]]);
  const goal = tf.tensor1d([1, 1]);
  const opts = { step: linearStep, z0, goal, horizon: 4, actionDim: 2, samples: 64, elites: 8, low: [-0.1, -0.5], high: [0.1, 0.5] };
  setSeed(7);
  const a = cem(opts);
  setSeed(7);
  const b = cem(opts);
  assert.deepEqual(a, b);
  a.actions.forEach(([x, y]) => assert.ok(Math.abs(x) <= 0.1 + 1e-6 && Math.abs(y) <= 0.5 + 1e-6));
  const c = cem(opts);
  assert.notDeepEqual(a.actions, c.actions, "the stream moves on");
  const warm = cem({ ...opts, initMean: a.actions, initStd: 0, iterations: 1 });
  assert.deepEqual(warm.actions, a.actions, "std 0 keeps the warm-start mean");
  tf.dispose([z0, goal]);
});

test("cem does not leak tensors over 20 calls", () => {
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([0.5, 0.5]);
  cem({ step: linearStep, z0, goal, horizon: 3, actionDim: 2, samples: 32, elites: 4, iterations: 2 });
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) cem({ step: linearStep, z0, goal, horizon: 3, actionDim: 2, samples: 32, elites: 4, iterations: 2, cost: goalDistanceCostWith({ terminalWeight: 2 }) });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([z0, goal]);
});

test("cem rejects bad options with clear errors", () => {
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([1, 1]);
  const base = { step: linearStep, z0, goal, horizon: 3, actionDim: 2 };
  const goal3 = tf.tensor1d([1, 1, 1]);
  const z22 = tf.zeros([2, 2]) as tf.Tensor2D;
  const before = tf.memory().numTensors;
  assert.throws(() => cem({ ...base, horizon: 0 }), /cem: opts.horizon must be an integer in \[1, Infinity\], received 0/);
  assert.throws(() => cem({ ...base, horizon: -2 }), /cem: opts.horizon/);
  assert.throws(() => cem({ ...base, samples: 16, elites: 32 }), /cem: opts.elites must be at most opts.samples \(16\), received 32/);
  assert.throws(() => cem({ ...base, goal: goal3 }), /cem: goal must have shape \[2\] \(the latent dimension D of z0 \[2\]\), received \[3\]/);
  assert.throws(() => cem({ ...base, z0: z22 }), /cem: z0 must have shape \[D\] or \[1, D\], received \[2, 2\]/);
  assert.throws(() => cem({ ...base, low: 1, high: 1 }), /cem: opts.low must be below opts.high/);
  assert.throws(() => cem({ ...base, low: [-1, -1, -1] }), /cem: opts.low must be a number or an array of 2 numbers/);
  assert.throws(() => cem({ ...base, initMean: [[0, 0]] }), /cem: opts.initMean must be number\[\]\[\] of shape \[horizon=3\]\[actionDim=2\], received an array of length 1 x 2/);
  assert.throws(() => cem({ ...base, step: undefined as never }), /cem: opts.step must be a LatentStep function/);
  assert.equal(tf.memory().numTensors, before, "no tensor left behind by a rejected call");
  tf.dispose([z0, goal, goal3, z22]);
});
