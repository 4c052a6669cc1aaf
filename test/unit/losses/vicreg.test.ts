import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { vicregLoss, vicregDefaults } from "../../../lib/losses";
import { loadReference, assertClose } from "./reference";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const cases = loadReference().cases.filter((c) => c.kind === "vicreg");

test("vicregLoss matches every reference case to 1e-4 relative", () => {
  assert.ok(cases.length >= 3);
  for (const [i, c] of cases.entries()) {
    const x = tf.tensor2d(c.x!);
    const y = tf.tensor2d(c.y!);
    const r = vicregLoss(x, y, c.options);
    const want = c.expected as Record<string, number>;
    for (const k of ["loss", "invariance", "variance", "covariance"] as const) {
      assertClose(r[k].dataSync()[0], want[k], `case ${i} ${k}`);
      assert.deepEqual(r[k].shape, [], `${k} is a scalar`);
    }
    tf.dispose([x, y, r.loss, r.invariance, r.variance, r.covariance]);
  }
});

test("vicregLoss defaults are the paper's 25, 25, 1, 1e-4", () => {
  assert.deepEqual(
    { sim: vicregDefaults.sim, std: vicregDefaults.std, cov: vicregDefaults.cov, eps: vicregDefaults.eps },
    { sim: 25, std: 25, cov: 1, eps: 1e-4 },
  );
});

test("vicregLoss gradient is finite, also at collapse, and leaks no tensors", () => {
  const x = tf.tensor2d(cases[0].x!);
  const y = tf.tensor2d(cases[0].y!);
  const collapsed = tf.ones([8, 4]);
  // At exact collapse the gradient is finite and zero (xc = 0: a stationary point); elsewhere non-zero.
  for (const [a, b, nonZero] of [[x, y, true], [collapsed, collapsed, false]] as const) {
    const before = tf.memory().numTensors;
    const g = tf.grad((t: tf.Tensor) => vicregLoss(t, b).loss)(a);
    const vals = g.dataSync();
    assert.ok(vals.every(Number.isFinite), "finite gradient");
    if (nonZero) assert.ok(vals.some((v) => v !== 0), "non-zero gradient");
    g.dispose();
    assert.equal(tf.memory().numTensors, before);
  }
  const before = tf.memory().numTensors;
  const r = vicregLoss(x, y);
  tf.dispose(Object.values(r));
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y, collapsed]);
});

test("vicregLoss variance term grows when embeddings collapse", () => {
  const spread = tf.randomNormal([64, 8], 0, 1, "float32", 7);
  const collapsed = tf.mul(spread, 1e-3);
  const a = vicregLoss(spread, spread);
  const b = vicregLoss(collapsed, collapsed);
  assert.ok(b.variance.dataSync()[0] > 0.9, "collapsed: std hinge near its maximum 1");
  assert.ok(a.variance.dataSync()[0] < 0.2, "unit-variance embeddings: small hinge");
  tf.dispose([spread, collapsed, ...Object.values(a), ...Object.values(b)]);
});

test("vicregLoss rejects bad input with errors naming the function and argument", () => {
  const x = tf.zeros([4, 3]);
  assert.throws(() => vicregLoss(x, tf.zeros([5, 3])), /^Error: vicregLoss: x and y must have the same shape, received \[4, 3\] and \[5, 3\]/);
  assert.throws(() => vicregLoss(tf.zeros([4, 3, 2]), tf.zeros([4, 3, 2])), /vicregLoss: x must have rank 2/);
  assert.throws(() => vicregLoss(tf.zeros([1, 3]), tf.zeros([1, 3])), /vicregLoss: x must have N >= 2/);
  assert.throws(() => vicregLoss(tf.tensor2d([[NaN, 1], [0, 1]]), tf.zeros([2, 2])), /vicregLoss: x contains NaN/);
  assert.throws(() => vicregLoss(x, x, { eps: 0 }), /vicregLoss: opts.eps must be a finite number in \[1e-12/);
  assert.throws(() => vicregLoss(x, x, { sim: -1 }), /vicregLoss: opts.sim/);
  assert.throws(() => vicregLoss([[1]] as unknown as tf.Tensor, x), /vicregLoss: x must be a tf.Tensor/);
  tf.dispose(x);
});

test("vicregLoss: an option given as undefined keeps its default", () => {
  const x = tf.tensor2d(cases[0].x!);
  const y = tf.tensor2d(cases[0].y!);
  const a = vicregLoss(x, y, { sim: undefined, eps: undefined });
  assertClose(a.loss.dataSync()[0], (cases[0].expected as Record<string, number>).loss, "defaults");
  tf.dispose([x, y, ...Object.values(a)]);
});
