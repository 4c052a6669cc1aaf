import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { mulberry32, randn } from "../../../lib/random";
import { linearReadout, probedRollout, ridgeProbe, rolloutProbeError } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** A toy world: state s in R^2, s' = s + a, observation = [s, 1 - s] (4 values). */
function toyWorld(n: number, T: number) {
  const r = mulberry32(5);
  const states: number[][][] = [];
  const actions: number[][][] = [];
  for (let i = 0; i < n; i++) {
    const s = [[randn(r), randn(r)]];
    const a: number[][] = [];
    for (let t = 0; t < T; t++) {
      a.push([0.1 * randn(r), 0.1 * randn(r)]);
      s.push([s[t][0] + a[t][0], s[t][1] + a[t][1]]);
    }
    states.push(s);
    actions.push(a);
  }
  const obs = states.map((ep) => ep.map(([x, y]) => [x, y, 1 - x, 1 - y]));
  return { obs: tf.tensor3d(obs), actions: tf.tensor3d(actions), states: tf.tensor3d(states), raw: states };
}

const encode = (o: tf.Tensor) => o.slice([0, 0], [-1, 2]) as tf.Tensor2D; // z = s
const identity = { weights: [[1, 0], [0, 1]], bias: [0, 0] };

test("rolloutProbeError: a perfect predictor has ~0 error at every horizon; the encoded reference too", () => {
  const w = toyWorld(20, 10);
  const rows = rolloutProbeError({ encode, predict: (z, a) => tf.add(z, a) as tf.Tensor2D, probe: identity, ...w, states: w.raw, horizons: [0, 1, 5, 10] });
  assert.deepEqual(rows.map((r) => r.horizon), [0, 1, 5, 10]);
  rows.forEach((r) => assert.ok(r.error < 1e-5 && r.encodedError < 1e-5, JSON.stringify(r)));
  tf.dispose([w.obs, w.actions, w.states]);
});

test("rolloutProbeError: a predictor that ignores actions drifts, error grows with the horizon and equals the mean path length", () => {
  const w = toyWorld(30, 10);
  const rows = rolloutProbeError({ encode, predict: (z) => tf.clone(z), probe: identity, ...w, horizons: [1, 10] });
  assert.ok(rows[1].error > 2 * rows[0].error, JSON.stringify(rows));
  const expected = w.raw.reduce((s, ep) => s + Math.hypot(ep[10][0] - ep[0][0], ep[10][1] - ep[0][1]), 0) / w.raw.length;
  assert.ok(Math.abs(rows[1].error - expected) < 1e-5, `${rows[1].error} vs ${expected}`);
  assert.ok(rows[1].encodedError < 1e-5);
  tf.dispose([w.obs, w.actions, w.states]);
});

test("rolloutProbeError accepts a function probe and a ridgeProbe result; leaks no tensors", () => {
  const w = toyWorld(40, 6);
  const z = tf.tidy(() => encode(w.obs.reshape([-1, 4])));
  const s = w.states.reshape([-1, 2]);
  const fitted = ridgeProbe(z, s, z, s, { lambda: 0 });
  tf.dispose([z, s]);
  const before = tf.memory().numTensors;
  const predict = (zz: tf.Tensor2D, a: tf.Tensor2D) => tf.add(zz, a) as tf.Tensor2D;
  const a = rolloutProbeError({ encode, predict, probe: fitted, ...w, horizons: [3] });
  const b = rolloutProbeError({ encode, predict, probe: (zz) => zz.arraySync() as number[][], ...w, horizons: [3] });
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  assert.ok(a[0].error < 1e-4 && b[0].error < 1e-5, JSON.stringify([a, b]));
  tf.dispose([w.obs, w.actions, w.states]);
});

test("probedRollout returns [N][H+1][K] arrays; step 0 is the encoded first frame; passive worlds get [N, 0] actions", () => {
  const w = toyWorld(3, 4);
  let seen: number[] = [];
  const r = probedRollout({ encode, predict: (z, a) => { seen = a.shape; return tf.clone(z); }, probe: identity, obs: w.obs, states: w.states }, 2);
  assert.equal(r.predicted.length, 3);
  assert.equal(r.predicted[0].length, 3);
  assert.equal(r.truth[0].length, 3);
  assert.deepEqual(seen, [3, 0]);
  r.predicted.forEach((ep, i) => ep.forEach((p) => assert.ok(Math.abs(p[0] - w.raw[i][0][0]) < 1e-6)));
  tf.dispose([w.obs, w.actions, w.states]);
});

test("linearReadout computes z W + b", () => {
  const z = tf.tensor2d([[1, 2], [3, 4]]);
  const out = linearReadout({ weights: [[1], [10]], bias: [0.5] })(z);
  assert.deepEqual(out.arraySync(), [[21.5], [43.5]]);
  assert.throws(() => linearReadout({ weights: [[1]], bias: [0] })(z), /linearReadout: z must have shape \[\*, 1\]/);
  assert.throws(() => linearReadout({ weights: [[1, 2]], bias: [0] }), /linearReadout: fit.weights must be \[D, K=1\]/);
  tf.dispose([z, out]);
});

test("rolloutProbeError rejects bad input with errors naming the function and argument", () => {
  const w = toyWorld(4, 5);
  const base = { encode, predict: (z: tf.Tensor2D) => tf.clone(z), probe: identity, ...w };
  assert.throws(() => rolloutProbeError({ ...base, horizons: [6] }), /rolloutProbeError: opts.horizons\[0\] must be an integer in \[0, T=5\]/);
  assert.throws(() => rolloutProbeError({ ...base, horizons: [] }), /rolloutProbeError: opts.horizons must be a non-empty number\[\]/);
  assert.throws(() => rolloutProbeError({ ...base, probe: 3 as never, horizons: [1] }), /rolloutProbeError: opts.probe must be a function/);
  const bad = tf.zeros([4, 5, 2]) as tf.Tensor3D;
  assert.throws(() => rolloutProbeError({ ...base, states: bad, horizons: [1] }), /rolloutProbeError: opts.states must be \[N=4, T\+1=6, K\]/);
  assert.throws(() => rolloutProbeError({ ...base, probe: { weights: [[1, 0, 0], [0, 1, 0]], bias: [0, 0, 0] }, horizons: [1] }), /rolloutProbeError: opts.probe must return \[N=4, K=2\]/);
  tf.dispose([w.obs, w.actions, w.states, bad]);
});
