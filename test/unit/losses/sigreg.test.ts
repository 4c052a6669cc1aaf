import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { sigregLoss, sigregDefaults } from "../../../lib/losses";
import { loadReference, assertClose } from "./reference";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const cases = loadReference().cases.filter((c) => c.kind === "sigreg");

test("sigregLoss matches every reference case to 1e-4 relative (directions as number[][] and as a tensor)", () => {
  assert.ok(cases.length >= 4);
  for (const [i, c] of cases.entries()) {
    const x = tf.tensor2d(c.x!);
    const opts = { knots: c.options.knots, tMax: c.options.tMax };
    const a = sigregLoss(x, { ...opts, directions: c.directions! }).loss;
    assertClose(a.dataSync()[0], c.expected as number, `case ${i} (array directions)`);
    const dirs = tf.tensor2d(c.directions!);
    const b = sigregLoss(x, { ...opts, directions: dirs }).loss;
    assertClose(b.dataSync()[0], c.expected as number, `case ${i} (tensor directions)`);
    assert.deepEqual(a.shape, []);
    assert.equal(dirs.isDisposed, false, "the caller's directions are left alone");
    tf.dispose([x, a, b, dirs]);
  }
});

test("sigregLoss: Gaussian samples score low, collapsed or shifted ones high", () => {
  const gauss = tf.randomNormal([256, 8], 0, 1, "float32", 3);
  const shrunk = tf.mul(gauss, 0.05);
  const shifted = tf.add(gauss, 2);
  const g = sigregLoss(gauss, { seed: 11 }).loss.dataSync()[0];
  const s = sigregLoss(shrunk, { seed: 11 }).loss.dataSync()[0];
  const m = sigregLoss(shifted, { seed: 11 }).loss.dataSync()[0];
  assert.ok(g < 3, `gaussian ${g}`);
  assert.ok(s > 10 * g, `collapsed ${s} vs gaussian ${g}`);
  assert.ok(m > 10 * g, `shifted ${m} vs gaussian ${g}`);
  tf.dispose([gauss, shrunk, shifted]);
});

test("sigregLoss: same seed, same value; no seed draws from the 'sigreg' stream (repeatable after setSeed)", () => {
  const x = tf.randomNormal([32, 4], 0, 1, "float32", 5);
  const v = (o = {}) => sigregLoss(x, o).loss.dataSync()[0];
  assert.equal(v({ seed: 9 }), v({ seed: 9 }));
  assert.notEqual(v({ seed: 9 }), v({ seed: 10 }));
  setSeed(1);
  const first = [v(), v()];
  setSeed(1);
  const again = [v(), v()];
  assert.deepEqual(first, again);
  assert.notEqual(first[0], first[1], "fresh directions each call");
  assert.equal(sigregDefaults.knots, 17);
  tf.dispose(x);
});

test("sigregLoss gradient is finite and non-zero; no tensor leaks", () => {
  const x = tf.randomNormal([64, 8], 0, 1, "float32", 4);
  const before = tf.memory().numTensors;
  const g = tf.grad((t: tf.Tensor) => sigregLoss(t, { seed: 2, slices: 32 }).loss)(x);
  const vals = g.dataSync();
  assert.ok(vals.every(Number.isFinite));
  assert.ok(vals.some((v) => v !== 0));
  g.dispose();
  sigregLoss(x, { directions: cases[0].directions!, seed: 3 }).loss.dispose();
  assert.equal(tf.memory().numTensors, before);
  tf.dispose(x);
});

test("sigregLoss rejects bad input with errors naming the function and argument", () => {
  const x = tf.zeros([4, 3]);
  assert.throws(() => sigregLoss(tf.zeros([4])), /^Error: sigregLoss: x must have rank >= 2/);
  assert.throws(() => sigregLoss(tf.zeros([4, 3, 2])), /sigregLoss: x must have rank 2/);
  assert.throws(() => sigregLoss(x, { directions: [[1, 2]] }), /sigregLoss: opts.directions must be a rectangular number\[\]\[\] of shape \[D, M\] with D = 3/);
  assert.throws(() => sigregLoss(x, { directions: tf.zeros([3, 2]) as tf.Tensor2D }), /sigregLoss: opts.directions must have finite, non-zero columns/);
  assert.throws(() => sigregLoss(x, { directions: tf.ones([2, 2]) as tf.Tensor2D }), /sigregLoss: opts.directions must have shape \[D, M\] with D = 3/);
  assert.throws(() => sigregLoss(x, { knots: 1 }), /sigregLoss: opts.knots must be an integer in \[2/);
  assert.throws(() => sigregLoss(x, { tMax: 0 }), /sigregLoss: opts.tMax/);
  assert.throws(() => sigregLoss(x, { slices: 0 }), /sigregLoss: opts.slices/);
  assert.throws(() => sigregLoss(x, { seed: 0 }), /sigregLoss: opts.seed must not be 0/);
  assert.throws(() => sigregLoss(tf.tensor2d([[Infinity, 0]])), /sigregLoss: x contains NaN or Infinity/);
  tf.dispose(x);
});

/** Float64 Epps–Pulley statistic on the full grid, straight from the reference formula. */
function eppsPulley64(x: number[][], dirs: number[][], knots: number, tMax: number): number {
  const n = x.length;
  const m = dirs[0].length;
  const t = Array.from({ length: knots }, (_, i) => -tMax + (2 * tMax * i) / (knots - 1));
  let total = 0;
  for (let j = 0; j < m; j++) {
    const norm = Math.hypot(...dirs.map((r) => r[j]));
    const proj = x.map((row) => row.reduce((s, v, d) => s + (v * dirs[d][j]) / norm, 0));
    const err = t.map((tk) => {
      const w = Math.exp(-tk * tk / 2);
      const re = proj.reduce((s, p) => s + Math.cos(tk * p), 0) / n;
      const im = proj.reduce((s, p) => s + Math.sin(tk * p), 0) / n;
      return ((re - w) ** 2 + im ** 2) * w;
    });
    let integral = 0;
    for (let k = 0; k + 1 < knots; k++) integral += ((err[k] + err[k + 1]) / 2) * (t[k + 1] - t[k]);
    total += n * integral;
  }
  return total / m;
}

test("sigregLoss equals the full-grid float64 formula for odd and even knots and other tMax", () => {
  const c = cases[1];
  const x = tf.tensor2d(c.x!);
  for (const [knots, tMax] of [[17, 5], [16, 5], [2, 3], [9, 2.5], [30, 4]]) {
    const got = sigregLoss(x, { directions: c.directions!, knots, tMax }).loss;
    assertClose(got.dataSync()[0], eppsPulley64(c.x!, c.directions!, knots, tMax), `knots ${knots}, tMax ${tMax}`);
    got.dispose();
  }
  x.dispose();
});
