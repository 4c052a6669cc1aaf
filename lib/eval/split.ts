/**
 * A random train/test split of rows for a probe: seeded, so the same seed gives the same split.
 * (The notebooks split by episode or use MNIST's own split; this is for your own data.)
 */
import { checkNumber } from "../check";
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
