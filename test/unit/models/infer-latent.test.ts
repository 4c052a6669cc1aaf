import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { bestOfK, inferLatent } from "../../../lib/models/infer-latent";

tf.setBackend("cpu");

/** E_b(z) = ||z_b - c_b||^2 with a minimum at c_b. */
const quadratic = (c: tf.Tensor2D) => (z: tf.Tensor2D) => tf.sum(tf.square(tf.sub(z, c)), 1) as tf.Tensor1D;

test("inferLatent: gradient descent finds each example's minimum; history falls; sgd and adam", () => {
  const c = tf.tensor2d([[1, -2], [0.5, 3], [-1, 0]]);
  const zInit = tf.zeros([3, 2]) as tf.Tensor2D;
  for (const optimizer of ["sgd", "adam"] as const) {
    const before = tf.memory().numTensors;
    const r = inferLatent({ energy: quadratic(c), zInit, steps: optimizer === "sgd" ? 40 : 300, lr: 0.1, optimizer });
    const z = r.z.arraySync();
    c.arraySync().forEach((row, b) => row.forEach((v, j) => assert.ok(Math.abs(z[b][j] - v) < 1e-2, `${optimizer} z[${b}][${j}] = ${z[b][j]}, expected ${v}`)));
    assert.equal(r.history.length, (optimizer === "sgd" ? 40 : 300) + 1);
    assert.ok(r.history[r.history.length - 1] < r.history[0] / 100);
    assert.equal(r.energy.length, 3);
    r.z.dispose();
    assert.equal(tf.memory().numTensors, before, `${optimizer}: no tensor leaks`);
  }
  assert.deepEqual(zInit.arraySync(), [[0, 0], [0, 0], [0, 0]], "zInit is not modified");
  tf.dispose([c, zInit]);
});

test("inferLatent: bounds clamp z; steps 0 returns zInit's values", () => {
  const c = tf.tensor2d([[5], [-5]]);
  const zInit = tf.zeros([2, 1]) as tf.Tensor2D;
  const r = inferLatent({ energy: quadratic(c), zInit, steps: 50, lr: 0.2, low: -1, high: 1 });
  assert.deepEqual(r.z.arraySync(), [[1], [-1]]);
  const r0 = inferLatent({ energy: quadratic(c), zInit, steps: 0 });
  assert.deepEqual(r0.z.arraySync(), [[0], [0]]);
  assert.deepEqual(r0.energy, [25, 25]);
  tf.dispose([c, zInit, r.z, r0.z]);
});

test("the inferred z is detached: inside variableGrads the weights get the gradient of the energy at z only", () => {
  const w = tf.variable(tf.tensor2d([[2]]));
  const y = tf.tensor2d([[4], [-4]]);
  // energy: (w z - y)^2; the minimiser z* = y / w depends on w, but must count as a constant
  const { grads, value } = tf.variableGrads(() => {
    const energy = (z: tf.Tensor2D) => tf.sum(tf.square(tf.sub(tf.matMul(z, w), y)), 1) as tf.Tensor1D;
    const zInit = tf.tensor2d([[1.5], [-1.5]]);
    const { z } = inferLatent({ energy, zInit, steps: 0 });
    return tf.mean(energy(z)) as tf.Scalar;
  }, [w]);
  // z = ±1.5 fixed: d/dw mean((1.5 w - 4)^2) = 2 * (3 - 4) * 1.5 = -3
  assert.ok(Math.abs(grads[w.name].dataSync()[0] + 3) < 1e-5, `grad ${grads[w.name].dataSync()[0]}`);
  assert.ok(Math.abs(value.dataSync()[0] - 1) < 1e-5);
  tf.dispose([w, y, value, grads[w.name]]);
});

test("bestOfK: shared [K, L] and per-example [B, K, L] candidates pick the lowest energy", () => {
  const c = tf.tensor2d([[0.9], [-2.2]]);
  const shared = tf.tensor2d([[-2], [0], [1]]);
  const before = tf.memory().numTensors;
  const r = bestOfK({ energy: quadratic(c), candidates: shared, batch: 2 });
  assert.deepEqual(r.index, [2, 0]);
  assert.deepEqual(r.z.arraySync(), [[1], [-2]]);
  assert.equal(r.energies.length, 3);
  assert.ok(Math.abs(r.energy[0] - 0.01) < 1e-6);
  r.z.dispose();
  assert.equal(tf.memory().numTensors, before);
  const per = tf.tensor3d([[[0], [0.8]], [[-3], [5]]]);
  const r2 = bestOfK({ energy: quadratic(c), candidates: per });
  assert.deepEqual(r2.index, [1, 0]);
  assert.deepEqual(r2.z.arraySync().map((row) => +row[0].toFixed(4)), [0.8, -3]);
  tf.dispose([c, shared, per, r2.z]);
});

test("bad inputs get errors that name the function, the argument and the shape", () => {
  const c = tf.tensor2d([[1], [2]]);
  const zInit = tf.zeros([2, 1]) as tf.Tensor2D;
  assert.throws(() => inferLatent({ energy: undefined as never, zInit }), /inferLatent: opts.energy must be a function/);
  assert.throws(() => inferLatent({ energy: quadratic(c), zInit: tf.zeros([2]) as never }), /inferLatent: opts.zInit must have rank 2/);
  assert.throws(() => inferLatent({ energy: () => tf.zeros([3]) as tf.Tensor1D, zInit, steps: 1 }), /inferLatent: energy\(z\) must have shape \[2\], received \[3\]/);
  assert.throws(() => inferLatent({ energy: quadratic(c), zInit, lr: -1 }), /inferLatent: opts.lr must be a finite number in \(0, Infinity\]/);
  assert.throws(() => inferLatent({ energy: quadratic(c), zInit, optimizer: "lbfgs" as never }), /opts.optimizer must be "sgd" or "adam"/);
  assert.throws(() => bestOfK({ energy: quadratic(c), candidates: tf.zeros([3, 1]) as tf.Tensor2D }), /bestOfK: opts.batch .* is required/);
  assert.throws(() => bestOfK({ energy: quadratic(c), candidates: tf.zeros([3]) as never, batch: 2 }), /bestOfK: opts.candidates must be a tf.Tensor \[K, L\] or \[B, K, L\], received shape \[3\]/);
  assert.throws(() => bestOfK({ energy: quadratic(c), candidates: tf.zeros([3, 2, 1]) as tf.Tensor3D, batch: 2 }), /bestOfK: opts.candidates must have shape \[B=2, K, L\], received \[3, 2, 1\]/);
  tf.dispose([c, zInit]);
});
