/**
 * SIGReg: Sketched Isotropic Gaussian Regularisation (LeJEPA, Balestriero & LeCun 2025). Written out
 * by hand in notebooks/02-energy-and-collapse.ipynb as the second anti-collapse regularizer, then
 * imported from here.
 *
 * Pushes the embedding distribution towards an isotropic standard Gaussian by testing many random
 * 1-D projections with the Epps–Pulley statistic (the distance between the empirical characteristic
 * function and the Gaussian one). For x: [N, D] and directions A: [D, M]:
 *   a      = A / column norms                        M unit directions
 *   t      = linspace(-tMax, tMax, knots),  w = exp(-t^2/2)
 *   ecf(t) = mean_rows exp(i t x a)                  per direction, complex
 *   err    = |ecf - w|^2 * w
 *   loss   = mean over the M slices of N * trapezoid(err, t)
 * test/fixtures/losses.json holds float64 reference values of exactly this statistic, which this
 * file matches to 1e-4 (computed here on the grid's positive half, which gives the same sum: see
 * positiveHalf). About 0.5–1.5 for Gaussian samples; large when the embedding collapses or is far
 * from unit scale.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../random";
import { checkFinite, checkNumber, checkTensor, withDefaults } from "../check";

/** SIGReg (Epps–Pulley over random slices) of embeddings x: [N, D]. `{ loss }`, differentiable in x. */
export function sigregLoss(x: tf.Tensor, opts: SigregOptions = {}): { loss: tf.Scalar } {
  const { o, dirs } = sigregInputs(x, opts); // dirs [D, M], owned here
  try {
    return tf.tidy(() => {
      const a = tf.div(dirs, tf.norm(dirs, "euclidean", 0, true)); // [D, M] unit columns
      const { t: tPos, weights } = positiveHalf(o.knots, o.tMax);
      const t = tf.tensor1d(tPos); // [K'] the grid's positive points
      const w = tf.exp(tf.mul(-0.5, tf.square(t))); // [K']
      const proj = tf.matMul(x, a); // [N, M]
      const arg = tf.mul(tf.expandDims(proj, 2), t); // [N, M, K']
      const re = tf.mean(tf.cos(arg), 0); // [M, K']
      const im = tf.mean(tf.sin(arg), 0); // [M, K']
      const err = tf.mul(tf.add(tf.square(tf.sub(re, w)), tf.square(im)), w); // [M, K']
      const integral = tf.sum(tf.mul(err, tf.tensor1d(weights)), 1); // [M]
      return { loss: tf.mul(x.shape[0], tf.mean(integral)) as tf.Scalar };
    });
  } finally {
    dirs.dispose();
  }
}

/**
 * The positive points of the grid linspace(-tMax, tMax, knots) with their trapezoid weights doubled.
 * err(t) is even (ecf(-t) is the conjugate of ecf(t), w is even) and err(0) = 0, so the trapezoid
 * sum over the whole grid equals this half sum: the same value for half the work.
 */
function positiveHalf(knots: number, tMax: number): { t: number[]; weights: number[] } {
  const dt = (2 * tMax) / (knots - 1);
  const t: number[] = [];
  const weights: number[] = [];
  for (let i = 0; i < knots; i++) {
    if (2 * i <= knots - 1) continue; // negative points (mirrored) and t = 0 (err = 0)
    t.push(-tMax + i * dt);
    weights.push(2 * (i === knots - 1 ? dt / 2 : dt));
  }
  return { t, weights };
}

/** Options for `sigregLoss`. */
export interface SigregOptions {
  /** Projection directions, [D, M] (columns need not be unit length; they are normalised). Default: M = `slices` random Gaussian directions. */
  directions?: number[][] | tf.Tensor2D;
  /** Number of random directions M drawn when `directions` is not given. Default 64 (LeJEPA uses 256–1024 on GPUs; cost grows linearly, ~17 ms a training step at N=256, D=64 on wasm). */
  slices?: number;
  /** Number of integration points t in [-tMax, tMax] (>= 2). Default 17. */
  knots?: number;
  /** Half-width of the integration interval. Default 5. */
  tMax?: number;
  /** Seed for the random directions (integer, not 0). Default: a fresh seed from the "sigreg" stream of lib/random each call, so directions change every step (as in LeJEPA) yet repeat after setSeed. */
  seed?: number;
  /** Check the inputs for NaN/Infinity (one read-back per call). Default true. */
  validate?: boolean;
}

/** Default options of `sigregLoss` (`directions` and `seed` unset). */
export const sigregDefaults: Required<Omit<SigregOptions, "directions" | "seed">> = { slices: 64, knots: 17, tMax: 5, validate: true };

/** Options with defaults, x checked, and the [D, M] direction matrix (given, or drawn from the seed), which the caller disposes. */
function sigregInputs(x: tf.Tensor, opts: SigregOptions): { o: typeof sigregDefaults & SigregOptions; dirs: tf.Tensor2D } {
  const where = "sigregLoss";
  const o = withDefaults(sigregDefaults, opts, where) as typeof sigregDefaults & SigregOptions;
  checkTensor(where, "x", x, 2);
  if (x.rank !== 2) throw new Error(`${where}: x must have rank 2 [N, D], received shape [${x.shape.join(", ")}]`);
  checkNumber(where, "opts.knots", o.knots, { min: 2, integer: true });
  checkNumber(where, "opts.tMax", o.tMax, { min: 0, exclusiveMin: true });
  if (o.validate) checkFinite(where, "x", x);
  const d = x.shape[1] as number; // D
  if (o.directions === undefined) {
    checkNumber(where, "opts.slices", o.slices, { min: 1, integer: true });
    const seed = o.seed === undefined ? nextSeed("sigreg") : o.seed;
    checkNumber(where, "opts.seed", seed, { integer: true });
    if (seed === 0) throw new RangeError(`${where}: opts.seed must not be 0 (tfjs treats 0 as "no seed"), received 0`);
    return { o, dirs: tf.randomNormal([d, o.slices], 0, 1, "float32", seed) as tf.Tensor2D };
  }
  const dirs = toDirections(where, o.directions, d);
  const [minNorm, allFinite] = tf.tidy(() => [tf.min(tf.norm(dirs, "euclidean", 0)).dataSync()[0], tf.all(tf.isFinite(dirs)).dataSync()[0]]);
  if (!(minNorm > 0) || !allFinite) {
    dirs.dispose();
    const what = allFinite ? `a column of norm ${minNorm}` : "NaN or Infinity";
    throw new RangeError(`${where}: opts.directions must have finite, non-zero columns, received ${what}`);
  }
  return { o, dirs };
}

function toDirections(where: string, given: number[][] | tf.Tensor2D, d: number): tf.Tensor2D {
  const expect = `[D, M] with D = ${d} (the width of x)`;
  if (given instanceof tf.Tensor) {
    checkTensor(where, "opts.directions", given, 2);
    if (given.rank !== 2 || given.shape[0] !== d) {
      throw new Error(`${where}: opts.directions must have shape ${expect}, received [${given.shape.join(", ")}]`);
    }
    return tf.clone(given) as tf.Tensor2D;
  }
  const ok = Array.isArray(given) && given.length === d && given.every((r) => Array.isArray(r) && r.length === given[0].length && r.length > 0);
  if (!ok) {
    const got = Array.isArray(given) ? `an array of ${given.length} rows` : typeof given;
    throw new Error(`${where}: opts.directions must be a rectangular number[][] of shape ${expect}, received ${got}`);
  }
  if (!given.every((r) => r.every((v) => typeof v === "number" && Number.isFinite(v)))) {
    throw new RangeError(`${where}: opts.directions must hold finite numbers only`);
  }
  return tf.tensor2d(given);
}
