/**
 * VICReg: Variance-Invariance-Covariance regularisation (Bardes, Ponce, LeCun 2022). Written out by
 * hand in notebooks/02-energy-and-collapse.ipynb, where it keeps a joint-embedding model from
 * collapsing, then imported from here.
 *
 * For two batches of embeddings x, y: [N, D] (N >= 2), with xc = x - mean_rows(x):
 *   invariance = mean((x - y)^2)                                   over all N*D elements
 *   std_j      = sqrt(var_unbiased(xc_j) + eps)                     per dimension j
 *   variance   = mean_j relu(1 - std_x_j)/2 + mean_j relu(1 - std_y_j)/2
 *   C          = xc^T xc / (N - 1)                                   [D, D]
 *   covariance = sum_offdiag(C_x^2)/D + sum_offdiag(C_y^2)/D
 *   loss       = sim*invariance + std*variance + cov*covariance
 * These are the formulas of the official code; test/fixtures/losses.json holds float64 reference
 * values computed from them, which this file matches to 1e-4.
 */
import * as tf from "@tensorflow/tfjs";
import { checkFinite, checkNumber, checkSameShape, withDefaults } from "../check";

/** VICReg loss between two views' embeddings x, y: [N, D] (N >= 2). Differentiable. */
export function vicregLoss(x: tf.Tensor, y: tf.Tensor, opts: VicregOptions = {}): VicregResult {
  const o = vicregInputs(x, y, opts);
  return tf.tidy(() => {
    const invariance = tf.mean(tf.square(tf.sub(x, y))) as tf.Scalar;
    const bx = branchTerms(x as tf.Tensor2D, o.eps);
    const by = branchTerms(y as tf.Tensor2D, o.eps);
    const variance = tf.add(bx.variance, by.variance) as tf.Scalar;
    const covariance = tf.add(bx.covariance, by.covariance) as tf.Scalar;
    const loss = tf.addN([tf.mul(o.sim, invariance), tf.mul(o.std, variance), tf.mul(o.cov, covariance)]) as tf.Scalar;
    return { loss, invariance, variance, covariance };
  });
}

/** Variance hinge (halved) and off-diagonal covariance term of one branch z: [N, D]. */
function branchTerms(z: tf.Tensor2D, eps: number): { variance: tf.Scalar; covariance: tf.Scalar } {
  const [n, d] = z.shape;
  const zc = tf.sub(z, tf.mean(z, 0, true)); // [N, D]
  const std = tf.sqrt(tf.add(tf.div(tf.sum(tf.square(zc), 0), n - 1), eps)); // [D], unbiased
  const variance = tf.div(tf.mean(tf.relu(tf.sub(1, std))), 2) as tf.Scalar;
  const c = tf.div(tf.matMul(zc, zc, true, false), n - 1); // [D, D]
  const offDiag = tf.sum(tf.square(tf.mul(c, tf.sub(1, tf.eye(d))))); // zero the diagonal, then sum squares
  return { variance, covariance: tf.div(offDiag, d) as tf.Scalar };
}

/** Options for `vicregLoss`. */
export interface VicregOptions {
  /** Weight of the invariance (similarity) term. Default 25. */
  sim?: number;
  /** Weight of the variance (std hinge) term. Default 25. */
  std?: number;
  /** Weight of the covariance (decorrelation) term. Default 1. */
  cov?: number;
  /** Added to the variance before the square root, so the gradient stays finite at collapse (>= 1e-12). Default 1e-4. */
  eps?: number;
  /** Check the inputs for NaN/Infinity (one read-back per call). Default true. */
  validate?: boolean;
}

/** Default options of `vicregLoss` (the paper's). */
export const vicregDefaults: Required<VicregOptions> = { sim: 25, std: 25, cov: 1, eps: 1e-4, validate: true };

/** The weighted VICReg loss and its three unweighted terms, all scalar tensors. */
export interface VicregResult {
  /** sim*invariance + std*variance + cov*covariance: minimise this. */
  loss: tf.Scalar;
  /** mean((x - y)^2). */
  invariance: tf.Scalar;
  /** Std hinge, averaged over dimensions, summed over the two branches (each halved). */
  variance: tf.Scalar;
  /** Squared off-diagonal covariance, divided by D, summed over the two branches. */
  covariance: tf.Scalar;
}

/** Options with defaults, and x, y checked: same shape [N, D], N >= 2, finite (unless validate is false). */
function vicregInputs(x: tf.Tensor, y: tf.Tensor, opts: VicregOptions): Required<VicregOptions> {
  const where = "vicregLoss";
  const o = withDefaults(vicregDefaults, opts, where);
  for (const k of ["sim", "std", "cov"] as const) checkNumber(where, `opts.${k}`, o[k], { min: 0 });
  checkNumber(where, "opts.eps", o.eps, { min: 1e-12 });
  checkSameShape(where, "x", x, "y", y, 2);
  if (x.rank !== 2) throw new Error(`${where}: x must have rank 2 [N, D], received shape [${x.shape.join(", ")}]`);
  if (x.shape[0] < 2) throw new Error(`${where}: x must have N >= 2 rows (unbiased variance), received shape [${x.shape.join(", ")}]`);
  if (o.validate) {
    checkFinite(where, "x", x);
    checkFinite(where, "y", y);
  }
  return o;
}
