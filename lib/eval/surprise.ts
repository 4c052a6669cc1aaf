/**
 * Surprise: the world model's prediction error at each step, the signal that spikes when something
 * physically implausible happens (a teleport, a vanishing object). Introduced in
 * notebooks/07-video-jepa-and-surprise.ipynb.
 *
 * pred, target: [B, T, D] predicted and actual (target-encoder) latents; returns [B, T] numbers, the
 * distance of each step's latent vectors (see latentDistance: "mse" = mean over D of squared error).
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance, LatentDistanceKind } from "../losses/latent-distance";
import { withDefaults } from "../check";

/** Options for `surprise`. */
export interface SurpriseOptions {
  /** Distance per step: "mse" (mean over D), "smoothL1" or "cosine" (1 - cos). Default "mse". */
  kind?: LatentDistanceKind;
}

/** Default options of `surprise`. */
export const surpriseDefaults: Required<SurpriseOptions> = { kind: "mse" };

/** Per-step prediction error: pred, target [B, T, D] (tf.Tensor or number[][][]) -> number[][] [B, T]. */
export function surprise(pred: tf.Tensor | number[][][], target: tf.Tensor | number[][][], opts: SurpriseOptions = {}): number[][] {
  const where = "surprise";
  const o = withDefaults(surpriseDefaults, opts, where);
  const owned: tf.Tensor[] = []; // tensors made here from arrays
  const asTensor = (arg: string, x: unknown) => {
    const t = toTensor3d(where, arg, x);
    if (t !== x) owned.push(t);
    return t;
  };
  try {
    const p = asTensor("pred", pred); // [B, T, D]
    const t = asTensor("target", target); // [B, T, D]
    if (p.shape.some((d, i) => d !== t.shape[i])) {
      throw new Error(`${where}: pred and target must have the same shape [B, T, D], received [${p.shape.join(", ")}] and [${t.shape.join(", ")}]`);
    }
    const perStep = renamed(where, () => latentDistance(p, t, { kind: o.kind, reduction: "none" })); // [B, T]
    const out = perStep.arraySync() as number[][];
    perStep.dispose();
    return out;
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
    if (x.rank !== 3) throw new Error(`${where}: ${arg} must have rank 3 [B, T, D], received shape [${x.shape.join(", ")}]`);
    if (x.dtype !== "float32") throw new TypeError(`${where}: ${arg} must have dtype float32, received ${x.dtype}`);
    return x;
  }
  const ok = Array.isArray(x) && x.length > 0 && Array.isArray(x[0]) && x[0].length > 0 && Array.isArray(x[0][0]) && x[0][0].length > 0;
  if (!ok) throw new TypeError(`${where}: ${arg} must be a tf.Tensor or number[][][] of shape [B, T, D], received ${Array.isArray(x) ? "an array of another shape" : typeof x}`);
  const arr = x as number[][][];
  const [b, t, d] = [arr.length, arr[0].length, arr[0][0].length];
  const flat = new Float32Array(b * t * d);
  for (let i = 0; i < b; i++) {
    if (!Array.isArray(arr[i]) || arr[i].length !== t) throw new Error(`${where}: ${arg} must be rectangular [B, T, D] with T = ${t}, received a ragged row ${i}`);
    for (let j = 0; j < t; j++) {
      const row = arr[i][j];
      if (!Array.isArray(row) || row.length !== d) throw new Error(`${where}: ${arg} must be rectangular [B, T, D] with D = ${d}, received a ragged row [${i}, ${j}]`);
      for (let k = 0; k < d; k++) flat[(i * t + j) * d + k] = typeof row[k] === "number" ? row[k] : NaN;
    }
  }
  return tf.tensor3d(flat, [b, t, d]);
}
