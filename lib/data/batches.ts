/**
 * Mini-batches: shuffled index batches and gathering rows. Introduced in
 * notebooks/01-autoregressive-contrast.ipynb (the first training loops) and used by every notebook
 * that trains. Shuffles draw from a named stream (default `rng("data:batches")`), so a `setSeed`
 * makes the whole sequence of epochs reproducible.
 */
import * as tf from "@tensorflow/tfjs";
import { rng, permutation } from "../random";
import { checkCount, checkOptions } from "./common";

/** Options of `batchIndices`. */
export interface BatchIndicesOptions {
  /**
   * Drop the last n % batchSize indices (a different few each call), so every batch has exactly
   * batchSize rows (losses like VICReg need more than one row). When n < batchSize the single
   * batch holds all n. Default true.
   */
  dropLast?: boolean;
}

/**
 * A fresh shuffle of 0..n-1 cut into batches of batchSize (an epoch). Each call gives a new order;
 * the sequence of orders is fixed by `setSeed`.
 */
export function batchIndices(n: number, batchSize: number, stream = "data:batches", opts: BatchIndicesOptions = {}): number[][] {
  const where = "batchIndices";
  checkCount(where, "n", n, 1, 1e8);
  checkCount(where, "batchSize", batchSize, 1, 1e8);
  if (typeof stream !== "string") throw new TypeError(`${where}: stream must be a string (a random stream name), received ${typeof stream}`);
  checkOptions(where, opts);
  const order = permutation(rng(stream), n);
  const size = Math.min(batchSize, n);
  const count = (opts.dropLast ?? true) ? Math.floor(n / size) : Math.ceil(n / size);
  return Array.from({ length: count }, (_, b) => order.slice(b * size, (b + 1) * size));
}

/** The rows of t at idx (tf.gather on axis 0): [B, ...rest] from [N, ...rest]. Caller disposes. */
export function takeBatch<T extends tf.Tensor>(t: T, idx: number[]): T {
  const where = "takeBatch";
  if (!(t instanceof tf.Tensor)) throw new TypeError(`${where}: t must be a tf.Tensor, received ${t === null ? "null" : typeof t}`);
  if (t.isDisposed) throw new Error(`${where}: t was already disposed`);
  if (t.rank === 0) throw new Error(`${where}: t must have rank >= 1, received a scalar`);
  if (!Array.isArray(idx) && !ArrayBuffer.isView(idx)) throw new TypeError(`${where}: idx must be number[], received ${typeof idx}`);
  const n = t.shape[0];
  for (let i = 0; i < idx.length; i++) {
    if (!Number.isInteger(idx[i]) || idx[i] < 0 || idx[i] >= n) throw new RangeError(`${where}: idx[${i}] must be an integer in [0, ${n - 1}] (rows of t), received ${idx[i]}`);
  }
  return tf.tidy(() => tf.gather(t, tf.tensor1d(Array.from(idx), "int32"), 0)) as T;
}
