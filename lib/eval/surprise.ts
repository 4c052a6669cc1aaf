/**
 * Surprise: a world model's prediction error where and when something happens, the signal that
 * spikes when physics breaks (a teleport, a vanishing object). Introduced in
 * notebooks/07-video-jepa-and-surprise.ipynb.
 *
 * pred, target: [B, R, D], the predicted and actual (target-encoder) embeddings of R regions (in
 * notebook 07 the G x G patches of a window's newest frame). Each region's error is latentDistance
 * of its two vectors ("mse": mean over D of the squared error); an example's surprise is the
 * largest of its R errors (reduce "max": the region that changed most unexpectedly), or their mean
 * (reduce "mean": a whole-frame error, which a small local event barely moves):
 *   s_b = max_r  (1/D) || pred[b, r] - target[b, r] ||^2
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance, LatentDistanceKind } from "../losses/latent-distance";
import { withDefaults } from "../check";

/** Options of `surprise`. */
export interface SurpriseOptions {
  /** Error of one region: "mse" (mean over D), "smoothL1" or "cosine" (1 - cos). Default "mse". */
  kind?: LatentDistanceKind;
  /** How the R region errors of an example become one number: the largest, or their mean. Default "max". */
  reduce?: "max" | "mean";
}

/** Default options of `surprise`. */
export const surpriseDefaults: Required<SurpriseOptions> = { kind: "mse", reduce: "max" };

/**
 * Surprise of each example: pred, target [B, R, D] (tf.Tensor or number[][][]) -> [B] (a fresh
 * tensor; the caller disposes it).
 */
export function surprise(pred: tf.Tensor | number[][][], target: tf.Tensor | number[][][], opts: SurpriseOptions = {}): tf.Tensor1D {
  const where = "surprise";
  const o = withDefaults(surpriseDefaults, opts, where);
  if (o.reduce !== "max" && o.reduce !== "mean") throw new RangeError(`${where}: opts.reduce must be "max" or "mean", received ${String(o.reduce)}`);
  const owned: tf.Tensor[] = []; // tensors made here from arrays
  const asTensor = (arg: string, x: unknown) => {
    const t = toTensor3d(where, arg, x);
    if (t !== x) owned.push(t);
    return t;
  };
  try {
    const p = asTensor("pred", pred); // [B, R, D]
    const t = asTensor("target", target); // [B, R, D]
    if (p.shape.some((d, i) => d !== t.shape[i])) {
      throw new Error(`${where}: pred and target must have the same shape [B, R, D], received [${p.shape.join(", ")}] and [${t.shape.join(", ")}]`);
    }
    const perRegion = renamed(where, () => latentDistance(p, t, { kind: o.kind, reduction: "none" })); // [B, R]
    return tf.tidy(() => {
      const s = o.reduce === "max" ? tf.max(perRegion, 1) : tf.mean(perRegion, 1); // [B]
      perRegion.dispose();
      return s as tf.Tensor1D;
    });
  } finally {
    tf.dispose(owned);
  }
}

/** Runs f, re-labelling latentDistance's errors as this function's (same argument names). */
function renamed<T>(where: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof Error) e.message = e.message.replace(/^latentDistance: (a|b)\b/, (_m, arg: string) => `${where}: ${arg === "a" ? "pred" : "target"}`).replace(/^latentDistance:/, `${where}:`);
    throw e;
  }
}

function toTensor3d(where: string, arg: string, x: unknown): tf.Tensor {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new Error(`${where}: ${arg} was already disposed`);
    if (x.rank !== 3) throw new Error(`${where}: ${arg} must have rank 3 [B, R, D], received shape [${x.shape.join(", ")}]`);
    if (x.dtype !== "float32") throw new TypeError(`${where}: ${arg} must have dtype float32, received ${x.dtype}`);
    return x;
  }
  const ok = Array.isArray(x) && x.length > 0 && Array.isArray(x[0]) && x[0].length > 0 && Array.isArray(x[0][0]) && x[0][0].length > 0;
  if (!ok) throw new TypeError(`${where}: ${arg} must be a tf.Tensor or number[][][] of shape [B, R, D], received ${Array.isArray(x) ? "an array of another shape" : typeof x}`);
  const arr = x as number[][][];
  const [b, r, d] = [arr.length, arr[0].length, arr[0][0].length];
  const flat = new Float32Array(b * r * d);
  for (let i = 0; i < b; i++) {
    if (!Array.isArray(arr[i]) || arr[i].length !== r) throw new Error(`${where}: ${arg} must be rectangular [B, R, D] with R = ${r}, received a ragged row ${i}`);
    for (let j = 0; j < r; j++) {
      const row = arr[i][j];
      if (!Array.isArray(row) || row.length !== d) throw new Error(`${where}: ${arg} must be rectangular [B, R, D] with D = ${d}, received a ragged row [${i}, ${j}]`);
      for (let k = 0; k < d; k++) flat[(i * r + j) * d + k] = typeof row[k] === "number" ? row[k] : NaN;
    }
  }
  return tf.tensor3d(flat, [b, r, d]);
}
