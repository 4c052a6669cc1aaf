/**
 * Distance between two batches of latent vectors: the building block of every JEPA prediction loss
 * (its mean) and of surprise (one value per vector). A distance, not a loss: it returns tensors, not
 * `{ loss }`. Written out in notebooks/01-autoregressive-contrast.ipynb (latent prediction vs pixel
 * prediction).
 *
 * Inputs `a` and `b` have the same shape `[B, D]` or `[B, T, D]` (any rank >= 2): the last axis is
 * the latent dimension, every leading axis is batch-like. Each kind first gives one number per
 * latent vector (per row), then `reduction: "mean"` averages those over every leading axis:
 *   - "mse":      mean over D of (a - b)^2            (so the total is mean((a - b)^2) over all elements)
 *   - "smoothL1": mean over D of Huber(a - b, beta)   (PyTorch smooth_l1_loss; I-JEPA's loss)
 *   - "cosine":   1 - cos(a, b) along D               (0 for parallel, 2 for opposite vectors)
 * `reduction: "none"` returns the per-vector values, shape = the leading axes (`[B]` or `[B, T]`).
 */
import * as tf from "@tensorflow/tfjs";
import { checkFinite, checkNumber, checkSameShape, withDefaults } from "../check";

/** Which distance `latentDistance` computes. */
export type LatentDistanceKind = "mse" | "smoothL1" | "cosine";

/** Options for `latentDistance`. */
export interface LatentDistanceOptions {
  /** The distance: squared error, smooth L1 (Huber), or cosine distance. Default "mse". */
  kind?: LatentDistanceKind;
  /** "mean": one scalar, averaged over every latent vector (batch and time). "none": one value per vector. Default "mean". */
  reduction?: "mean" | "none";
  /** Smooth-L1 switch point between the quadratic and linear parts (>= 1e-6, float32-safe). Default 1. */
  beta?: number;
  /** Cosine: norms are clamped below at eps (>= 1e-15, so eps^2 stays a float32) and a zero vector gives distance 1, not NaN. Default 1e-8. */
  eps?: number;
  /** Check the inputs for NaN/Infinity (one read-back per call; turn off in a hot loop if you must). Default true. */
  validate?: boolean;
}

/** Default options of `latentDistance`. */
export const latentDistanceDefaults: Required<LatentDistanceOptions> = {
  kind: "mse",
  reduction: "mean",
  beta: 1,
  eps: 1e-8,
  validate: true,
};

const KINDS: LatentDistanceKind[] = ["mse", "smoothL1", "cosine"];

/**
 * Distance between predicted and target latents, `a, b: [..., D]` (same shape, rank >= 2).
 * Returns a tf.Scalar (reduction "mean", averaged over batch and time) or the leading-axes tensor
 * (reduction "none"); the return type follows the `reduction` you pass. Differentiable in both.
 */
export function latentDistance(a: tf.Tensor, b: tf.Tensor, opts?: LatentDistanceOptions & { reduction?: "mean" }): tf.Scalar;
export function latentDistance(a: tf.Tensor, b: tf.Tensor, opts: LatentDistanceOptions & { reduction: "none" }): tf.Tensor;
export function latentDistance(a: tf.Tensor, b: tf.Tensor, opts?: LatentDistanceOptions): tf.Tensor;
export function latentDistance(a: tf.Tensor, b: tf.Tensor, opts: LatentDistanceOptions = {}): tf.Tensor {
  const where = "latentDistance";
  const o = withDefaults(latentDistanceDefaults, opts, where);
  if (!KINDS.includes(o.kind)) {
    throw new RangeError(`${where}: opts.kind must be one of ${KINDS.join(", ")}, received ${String(o.kind)}`);
  }
  if (o.reduction !== "mean" && o.reduction !== "none") {
    throw new RangeError(`${where}: opts.reduction must be "mean" or "none", received ${String(o.reduction)}`);
  }
  checkNumber(where, "opts.beta", o.beta, { min: 1e-6 });
  checkNumber(where, "opts.eps", o.eps, { min: 1e-15 });
  checkSameShape(where, "a", a, "b", b, 2);
  if (o.validate) {
    checkFinite(where, "a", a);
    checkFinite(where, "b", b);
  }
  return tf.tidy(() => {
    const perVector = rowDistance(a, b, o); // [...leading]
    return o.reduction === "mean" ? tf.mean(perVector) : perVector;
  });
}

function rowDistance(a: tf.Tensor, b: tf.Tensor, o: Required<LatentDistanceOptions>): tf.Tensor {
  const last = a.rank - 1;
  if (o.kind === "mse") return tf.mean(tf.square(tf.sub(a, b)), last);
  if (o.kind === "smoothL1") {
    // Huber without a branch: with m = min(|d|, beta), 0.5 m^2 / beta + (|d| - m).
    const d = tf.abs(tf.sub(a, b));
    const m = tf.minimum(d, o.beta);
    return tf.mean(tf.add(tf.div(tf.mul(0.5, tf.square(m)), o.beta), tf.sub(d, m)), last);
  }
  const unit = (t: tf.Tensor) => tf.mul(t, tf.rsqrt(tf.maximum(tf.sum(tf.square(t), last, true), o.eps * o.eps)));
  return tf.sub(1, tf.sum(tf.mul(unit(a), unit(b)), last));
}
