import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { loadMnist, fewLabels } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("loadMnist: shapes, labels 0..9, images look like digits, balanced classes", () => {
  const before = tf.memory().numTensors;
  const d = loadMnist();
  assert.deepEqual(d.trainX.shape, [8000, 28, 28, 1]);
  assert.deepEqual(d.testX.shape, [2000, 28, 28, 1]);
  assert.equal(d.trainX.dtype, "float32");
  assert.equal(d.trainY.length, 8000);
  assert.equal(d.testY.length, 2000);
  assert.ok([...d.trainY, ...d.testY].every((y) => Number.isInteger(y) && y >= 0 && y <= 9));
  const counts = Array(10).fill(0);
  d.trainY.forEach((y) => counts[y]++);
  assert.ok(counts.every((c) => c > 600 && c < 1000), `class counts ${counts}`);
  const px = d.trainX.dataSync() as Float32Array;
  let sum = 0; let min = Infinity; let max = -Infinity;
  for (const v of px) { sum += v; if (v < min) min = v; if (v > max) max = v; }
  const mean = sum / px.length;
  assert.ok(min === 0 && max <= 1 && max > 0.99, `range ${min}..${max}`);
  assert.ok(mean > 0.1 && mean < 0.16, `mean intensity ${mean} (MNIST is ~0.13)`);
  // ink sits in the middle, the border is (almost) empty
  const img = d.trainX.slice([0, 0, 0, 0], [500, 28, 28, 1]);
  const centre = tf.tidy(() => img.slice([0, 8, 8, 0], [500, 12, 12, 1]).mean().dataSync()[0]);
  const border = tf.tidy(() => img.slice([0, 0, 0, 0], [500, 2, 28, 1]).mean().dataSync()[0]);
  assert.ok(centre > 0.25 && border < 0.01, `centre ${centre} border ${border}`);
  // 1s have less ink than 0s
  const ink = (label: number) => {
    const rows = d.trainY.map((y, i) => (y === label ? i : -1)).filter((i) => i >= 0).slice(0, 100);
    return rows.reduce((a, i) => a + px.subarray(i * 784, (i + 1) * 784).reduce((s, v) => s + v, 0), 0) / rows.length;
  };
  assert.ok(ink(1) < ink(0) * 0.7, `ink 1: ${ink(1)} vs 0: ${ink(0)}`);
  tf.dispose([img, d.trainX, d.testX]);
  assert.equal(tf.memory().numTensors, before);
});

test("loadMnist: train and test disjoint; same split on every call for a seed, another for another seed", () => {
  setSeed(42);
  const a = loadMnist({ train: 300, test: 100 });
  const b = loadMnist({ train: 300, test: 100 });
  assert.deepEqual(a.trainY, b.trainY);
  assert.deepEqual(a.trainX.dataSync(), b.trainX.dataSync());
  const key = (x: tf.Tensor4D) => {
    const v = x.dataSync();
    return Array.from({ length: x.shape[0] }, (_, i) => v.subarray(i * 784, (i + 1) * 784).join(","));
  };
  const trainKeys = new Set(key(a.trainX));
  const overlap = key(a.testX).filter((k) => trainKeys.has(k)).length;
  assert.ok(overlap <= 1, `test images also in train: ${overlap}`);
  setSeed(43);
  const c = loadMnist({ train: 300, test: 100 });
  assert.notDeepEqual(c.trainY, a.trainY);
  tf.dispose([a.trainX, a.testX, b.trainX, b.testX, c.trainX, c.testX]);
  setSeed(42);
  assert.throws(() => loadMnist({ train: 9000, test: 2000 }), /loadMnist: opts.train \+ opts.test must be at most 10000/);
  assert.throws(() => loadMnist({ train: 0 }), /loadMnist: opts.train must be an integer in \[1, 9999\], received 0/);
});

test("fewLabels picks perClass of each class, deterministic under setSeed", () => {
  const labels = Array.from({ length: 200 }, (_, i) => i % 10);
  setSeed(2);
  const idx = fewLabels(labels, 3);
  assert.equal(idx.length, 30);
  assert.equal(new Set(idx).size, 30);
  const counts = Array(10).fill(0);
  idx.forEach((i) => counts[labels[i]]++);
  assert.deepEqual(counts, Array(10).fill(3));
  setSeed(2);
  assert.deepEqual(fewLabels(labels, 3), idx);
  assert.throws(() => fewLabels(labels, 21), /fewLabels: class 0 has 20 examples, fewer than perClass=21/);
  assert.throws(() => fewLabels([0, 1.5], 1), /fewLabels: labels\[1\] must be a non-negative integer class, received 1.5/);
});
