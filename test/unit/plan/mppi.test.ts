import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { mppi, mppiWeights } from "../../../lib/plan";
import { dist, linearStep } from "./toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("mppiWeights: relative temperature, infinite costs weigh 0", () => {
  const w = mppiWeights([0, 1, 10, 1000, 5000, Infinity], 0.1); // median of the finite costs: 10
  assert.ok(Math.abs(w.reduce((a, b) => a + b) - 1) < 1e-12);
  assert.ok(Math.abs(w[1] / w[0] - Math.exp(-1)) < 1e-12, "10% of the best-to-median spread worse -> e^-1");
  assert.ok(Math.abs(w[2] / w[0] - Math.exp(-10)) < 1e-12, "the median weighs e^-10");
  assert.equal(w[5], 0);
  const two = mppiWeights([0, 0, 0, 2], 0.5); // median = best: the best-to-worst spread sets the scale
  assert.ok(Math.abs(two[3] / two[0] - Math.exp(-2)) < 1e-12);
  assert.deepEqual(mppiWeights([5, 5], 0.1), [0.5, 0.5]);
  assert.deepEqual(mppiWeights([3, 4].map((c) => c * 1000), 0.1), mppiWeights([3, 4], 0.1), "scale-free");
});

test("mppi reaches a goal in the linear world", () => {
  setSeed(2);
  const z0 = tf.tensor1d([0.2, 0.1]);
  const goal = tf.tensor1d([-0.6, 0.7]);
  const r = mppi({ step: linearStep, z0, goal, horizon: 5, actionDim: 2, low: -0.3, high: 0.3, iterations: 6 });
  assert.equal(r.actions.length, 5);
  assert.equal(r.costHistory.length, 6);
  r.costHistory.slice(1).forEach((c, i) => assert.ok(c <= r.costHistory[i]));
  const end = r.actions.reduce((s, a) => [s[0] + a[0], s[1] + a[1]], [0.2, 0.1]);
  assert.ok(dist(end, [-0.6, 0.7]) < 0.15, `end ${end}`);
  tf.dispose([z0, goal]);
});

test("mppi: same seed gives the same plan; no leaks over 20 calls", () => {
  const z0 = tf.tensor2d([[0, 0]]);
  const goal = tf.tensor1d([1, -1]);
  const opts = { step: linearStep, z0, goal, horizon: 4, actionDim: 2, samples: 32, iterations: 2 };
  setSeed(3);
  const a = mppi(opts);
  setSeed(3);
  assert.deepEqual(mppi(opts), a);
  const before = tf.memory().numTensors;
  for (let i = 0; i < 20; i++) mppi({ ...opts, initMean: a.actions });
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([z0, goal]);
});

test("mppi rejects bad options with clear errors", () => {
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([1, 1]);
  const goal3 = tf.tensor1d([1, 1, 1]);
  const base = { step: linearStep, z0, goal, horizon: 3, actionDim: 2 };
  const before = tf.memory().numTensors;
  assert.throws(() => mppi({ ...base, horizon: 0 }), /mppi: opts.horizon must be an integer in \[1, Infinity\], received 0/);
  assert.throws(() => mppi({ ...base, temperature: 0 }), /mppi: opts.temperature must be a finite number in \(0, Infinity\], received 0/);
  assert.throws(() => mppi({ ...base, goal: goal3 }), /mppi: goal must have shape \[2\]/);
  assert.throws(() => mppi({ ...base, actionDim: 1.5 }), /mppi: opts.actionDim must be an integer/);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([z0, goal, goal3]);
});
