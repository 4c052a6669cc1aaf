import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { mulberry32, randn } from "../../../lib/random";
import { ridgeProbe } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const r = mulberry32(1234);
const gauss = (n: number, d: number) => Array.from({ length: n }, () => Array.from({ length: d }, () => randn(r)));
const W = [[1, -2], [0.5, 0], [0, 3], [-1, 1]]; // [4, 2]
const map = (x: number[][]) => x.map((row) => [0, 1].map((k) => 0.7 * k + row.reduce((s, v, j) => s + v * W[j][k], 0)));

test("ridgeProbe recovers a linear map: R² ~1 per target, weights and bias close", () => {
  const xtr = gauss(300, 4);
  const xte = gauss(100, 4);
  const res = ridgeProbe(xtr, map(xtr), xte, map(xte));
  assert.equal(res.r2PerTarget.length, 2);
  assert.ok(res.r2PerTarget.every((v) => v > 0.9999), `r2 ${res.r2PerTarget}`);
  assert.ok(res.r2 > 0.9999 && res.trainR2 > 0.9999);
  res.weights.forEach((row, j) => row.forEach((w, k) => assert.ok(Math.abs(w - W[j][k]) < 0.01, `W[${j}][${k}] = ${w}`)));
  assert.ok(Math.abs(res.bias[1] - 0.7) < 0.01);
  assert.equal(res.predictions.length, 100);
  assert.equal(res.predictions[0].length, 2);
});

test("ridgeProbe on noise targets gives R² ~0 (no better than the mean)", () => {
  const xtr = gauss(2000, 4);
  const xte = gauss(2000, 4);
  const res = ridgeProbe(xtr, gauss(2000, 1), xte, gauss(2000, 1));
  assert.ok(Math.abs(res.r2) < 0.02, `noise R² ${res.r2}`);
});

test("ridgeProbe accepts tensors and 1-D targets; leaks nothing; more lambda shrinks the weights", () => {
  const xtr = tf.tensor2d(gauss(200, 4));
  const xte = tf.tensor2d(gauss(50, 4));
  const y = (x: tf.Tensor2D) => tf.tidy(() => tf.matMul(x, tf.tensor2d([[1], [2], [0], [0]])).reshape([-1]));
  const ytr = y(xtr);
  const yte = y(xte);
  const before = tf.memory().numTensors;
  const res = ridgeProbe(xtr, ytr, xte, yte);
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  assert.ok(res.r2PerTarget[0] > 0.9999);
  const strong = ridgeProbe(xtr, ytr, xte, yte, { lambda: 100 });
  assert.ok(Math.abs(strong.weights[1][0]) < Math.abs(res.weights[1][0]) / 10);
  const exact = ridgeProbe(xtr, ytr, xte, yte, { lambda: 0 });
  assert.ok(exact.r2PerTarget[0] > 0.999999, "lambda 0 is least squares");
  tf.dispose([xtr, xte, ytr, yte]);
});

test("ridgeProbe rejects bad input with errors naming the function and argument", () => {
  const x = gauss(10, 3);
  const y = gauss(10, 2);
  assert.throws(() => ridgeProbe(x, y.slice(0, 9), x, y), /^Error: ridgeProbe: trainY must have N = 10 rows like trainX, received 9/);
  assert.throws(() => ridgeProbe(x, y, gauss(10, 4), y), /ridgeProbe: testX must have D = 3 columns like trainX, received \[10, 4\]/);
  assert.throws(() => ridgeProbe(x, y, x, gauss(10, 1)), /ridgeProbe: testY must have D = 2 columns like trainY/);
  assert.throws(() => ridgeProbe(x, [1, 2, NaN, 0, 0, 0, 0, 0, 0, 0], x, y), /ridgeProbe: trainY must hold finite numbers, received NaN at \[2, 0\]/);
  assert.throws(() => ridgeProbe(x, y, x, y, { lambda: -1 }), /ridgeProbe: opts.lambda/);
  assert.throws(() => ridgeProbe(tf.zeros([2, 2, 2]), y, x, y), /ridgeProbe: trainX must have rank 2 \[N, D\], received shape \[2, 2, 2\]/);
});
