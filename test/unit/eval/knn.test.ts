import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { mulberry32, randn } from "../../../lib/random";
import { knnProbe } from "../../../lib/eval";

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

test("knnProbe is 1.0 on separable clusters (also across chunks of 256 test rows)", () => {
  const tr = clusters(50, 1, 0.1);
  const te = clusters(100, 2, 0.1);
  assert.equal(knnProbe(tr.x, tr.y, te.x, te.y, { k: 5 }).accuracy, 1);
});

test("knnProbe is near chance on random labels and matches a brute-force cosine kNN", () => {
  const tr = clusters(30, 3, 1);
  const te = clusters(30, 4, 1);
  const r = mulberry32(8);
  const ytr = tr.y.map(() => Math.floor(r() * 4));
  const acc = knnProbe(tr.x, ytr, te.x, te.y, { k: 3 }).accuracy;
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

test("knnProbe with k = 1 on the training set itself is 1; takes tensors; no leaks", () => {
  const tr = clusters(10, 5, 0.5);
  const x = tf.tensor2d(tr.x);
  const y = tf.tensor1d(tr.y, "int32");
  const before = tf.memory().numTensors;
  assert.equal(knnProbe(x, y, x, y, { k: 1 }).accuracy, 1);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([x, y]);
});

test("knnProbe rejects bad input with errors naming the function and argument", () => {
  const { x, y } = clusters(2, 6, 0.1);
  assert.throws(() => knnProbe(x, y, x, y, { k: 0 }).accuracy, /^RangeError: knnProbe: opts.k must be an integer in \[1, 8\], received 0/);
  assert.throws(() => knnProbe(x, y, x, y, { k: 9 }).accuracy, /knnProbe: opts.k must be an integer in \[1, 8\], received 9/);
  assert.throws(() => knnProbe(x, y, x, y, { k: 1.5 }), /knnProbe: opts.k must be an integer/);
  assert.throws(() => knnProbe(x, y, x, y.slice(1), { k: 1 }).accuracy, /knnProbe: testY must have one label per row \(N = 8\), received 7/);
  assert.throws(() => knnProbe(x, [-1, ...y.slice(1)], x, y, { k: 1 }).accuracy, /knnProbe: trainY must hold non-negative integer class ids, received -1/);
  assert.throws(() => knnProbe(x, y, [[1, 2]], [0], { k: 1 }).accuracy, /knnProbe: testX must have D = 8 columns like trainX, received \[1, 2\]/);
});
