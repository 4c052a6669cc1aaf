/**
 * Mini-batches: shuffled index batches, and the rows at some indices (`takeRows`). Introduced in
 * notebooks/01-autoregressive-contrast.ipynb (the first training loops) and used by every notebook
 * that trains. Shuffles draw from a named stream (default `rng("data:batches")`), so a `setSeed`
 * makes the whole sequence of epochs reproducible.
 */
import * as tf from "@tensorflow/tfjs";
import { checkOptions } from "../check";
import { rng, permutation } from "../random";
import { checkCount } from "./common";

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

/**
 * The rows of `x` at `indices`, in that order, as the same kind of value: a number[] / number[][]
 * gives an array, a tf.Tensor gives a new tensor (gathered along axis 0; the caller disposes it).
 */
export function takeRows<T extends tf.Tensor | unknown[]>(x: T, indices: number[]): T {
  const where = "takeRows";
  const n = x instanceof tf.Tensor ? x.shape[0] : Array.isArray(x) ? x.length : -1;
  if (n < 0 || (x instanceof tf.Tensor && (x.rank === 0 || x.isDisposed))) {
    throw new TypeError(`${where}: x must be an array or a live tf.Tensor of rank >= 1`);
  }
  if (!Array.isArray(indices)) throw new TypeError(`${where}: indices must be number[], received ${typeof indices}`);
  const bad = indices.findIndex((i) => !Number.isInteger(i) || i < 0 || i >= n);
  if (bad >= 0) throw new RangeError(`${where}: indices must be integers in [0, ${n - 1}], received ${String(indices[bad])} at position ${bad}`);
  if (x instanceof tf.Tensor) return tf.tidy(() => tf.gather(x, tf.tensor1d(indices, "int32"))) as T;
  return indices.map((i) => (x as unknown[])[i]) as T;
}
