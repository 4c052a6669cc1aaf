/**
 * Train/test split for the probes: seeded, so the same seed gives the same split. Introduced in
 * notebooks/02-energy-and-collapse.ipynb (probe score of a frozen encoder).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../shape";
import { hashString, mulberry32, permutation } from "../random";

/** Largest n `splitTrainTest` accepts (its index arrays live in memory). */
const MAX_ROWS = 1e8;

/** Row indices of a split: both non-empty, disjoint, together 0..n-1, each sorted ascending. */
export interface TrainTestSplit {
  /** Indices of the training rows. */
  train: number[];
  /** Indices of the held-out rows. */
  test: number[];
}

/**
 * Splits rows 0..n-1 at random: round(n * fraction) rows (at least 1, at most n - 1) go to `train`,
 * the rest to `test`. `seed` is any integer; the same (n, fraction, seed) always gives the same split.
 */
export function splitTrainTest(n: number, fraction: number, seed: number): TrainTestSplit {
  const where = "splitTrainTest";
  checkNumber(where, "n", n, { min: 2, max: MAX_ROWS, integer: true });
  checkNumber(where, "fraction", fraction, { min: 0, max: 1, exclusiveMin: true });
  if (fraction >= 1) throw new RangeError(`${where}: fraction must be in (0, 1) (the training share), received ${fraction}`);
  checkNumber(where, "seed", seed, { integer: true });
  const order = permutation(mulberry32(hashString(`splitTrainTest:${seed}`)), n);
  const nTrain = Math.min(n - 1, Math.max(1, Math.round(n * fraction)));
  const asc = (a: number, b: number) => a - b;
  return { train: order.slice(0, nTrain).sort(asc), test: order.slice(nTrain).sort(asc) };
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
