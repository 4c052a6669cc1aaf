import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { mulberry32, randn } from "../../../lib/random";
import { knnAccuracy } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** Points around 4 orthogonal directions (cosine-separable), scaled by random norms. */
function clusters(nPer: number, seed: number, spread: number): { x: number[][]; y: number[] } {
  const r = mulberry32(seed);
  const x: number[][] = [];
  const y: number[] = [];
  for (let i = 0; i < 4 * nPer; i++) {
    const c = i % 4;
    const scale = 0.5 + 3 * r();
    x.push(Array.from({ length: 8 }, (_, j) => scale * ((j === c ? 1 : 0) + spread * randn(r))));
    y.push(c);
  }
  return { x, y };
}

test("knnAccuracy is 1.0 on separable clusters (also across chunks of 256 test rows)", () => {
  const tr = clusters(50, 1, 0.1);
  const te = clusters(100, 2, 0.1);
  assert.equal(knnAccuracy(tr.x, tr.y, te.x, te.y, 5), 1);
});

test("knnAccuracy is near chance on random labels and matches a brute-force cosine kNN", () => {
  const tr = clusters(30, 3, 1);
  const te = clusters(30, 4, 1);
  const r = mulberry32(8);
  const ytr = tr.y.map(() => Math.floor(r() * 4));
  const acc = knnAccuracy(tr.x, ytr, te.x, te.y, 3);
  // brute force in float64
  const unit = (v: number[]) => { const n = Math.hypot(...v); return v.map((a) => a / n); };
  const U = tr.x.map(unit);
  let correct = 0;
  te.x.forEach((row, i) => {
    const u = unit(row);
    const sims = U.map((t, j) => ({ j, s: t.reduce((a, v, k) => a + v * u[k], 0) })).sort((a, b) => b.s - a.s).slice(0, 3);
    const votes = [0, 0, 0, 0];
    const w = [0, 0, 0, 0];
    sims.forEach(({ j, s }) => { votes[ytr[j]]++; w[ytr[j]] += s; });
    const best = [0, 1, 2, 3].sort((a, b) => votes[b] - votes[a] || w[b] - w[a] || a - b)[0];
    if (best === te.y[i]) correct++;
  });
  assert.equal(acc, correct / te.x.length);
  assert.ok(acc < 0.5, `random labels ${acc}`);
});

test("knnAccuracy with k = 1 on the training set itself is 1; takes tensors; no leaks", () => {
  const tr = clusters(10, 5, 0.5);
  const x = tf.tensor2d(tr.x);
  const y = tf.tensor1d(tr.y, "int32");
  const before = tf.memory().numTensors;
  assert.equal(knnAccuracy(x, y, x, y, 1), 1);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y]);
});

test("knnAccuracy rejects bad input with errors naming the function and argument", () => {
  const { x, y } = clusters(2, 6, 0.1);
  assert.throws(() => knnAccuracy(x, y, x, y, 0), /^RangeError: knnAccuracy: k must be an integer in \[1, 8\], received 0/);
  assert.throws(() => knnAccuracy(x, y, x, y, 9), /knnAccuracy: k must be an integer in \[1, 8\], received 9/);
  assert.throws(() => knnAccuracy(x, y, x, y, 1.5), /knnAccuracy: k must be an integer/);
  assert.throws(() => knnAccuracy(x, y, x, y.slice(1), 1), /knnAccuracy: testY must have one label per row \(N = 8\), received 7/);
  assert.throws(() => knnAccuracy(x, [-1, ...y.slice(1)], x, y, 1), /knnAccuracy: trainY must hold non-negative integer class ids, received -1/);
  assert.throws(() => knnAccuracy(x, y, [[1, 2]], [0], 1), /knnAccuracy: testX must have D = 8 columns like trainX, received \[1, 2\]/);
});
