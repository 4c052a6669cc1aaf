/**
 * The high-level predictor of a hierarchical world model (H-JEPA's slow level): it jumps k steps at
 * once, (z_t, macro action) -> z_{t+k}, where the macro action is the sum of the k primitive actions
 * (the displacement the agent asks for; walls may stop part of it). It is trained on the latents of a
 * FROZEN encoder, so there is nothing to collapse: the loss is plain latent regression. Introduced in
 * notebooks/08-hierarchical-planning.ipynb.
 *
 *   const jump = jumpPredictor({ latentDim: 32, jump: 8 });
 *   const data = jumpTransitions(latents, actions, 8);           // all (z_t, sum a, z_{t+8}) windows
 *   await train(jump, { steps: 1000, batch: () => takeJumpBatch(data, idx) });
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance } from "../losses/latent-distance";
import { checkNumber, checkShape } from "../shape";
import { actionPredictor } from "./action-predictor";
import { ForwardResult, Model } from "./model";

/** Options of `jumpPredictor`. */
export interface JumpPredictorOptions {
  /** Embedding size D (the frozen encoder's). Required. */
  latentDim: number;
  /** Macro-action size (the primitive action size: the macro action is their sum). Default 2. */
  actionDim?: number;
  /** Primitive steps per jump, k >= 1 (kept with the model so planners know the time scale). Default 8. */
  jump?: number;
  /** Hidden layer sizes. Default [256, 256]. */
  hidden?: number[];
  /** Predict the change z_{t+k} - z_t (added to z_t). Default true. */
  residual?: boolean;
  /** Variable name prefix. Default "jump". */
  name?: string;
}

/** Default options of `jumpPredictor`. */
export const jumpPredictorDefaults = { actionDim: 2, jump: 8, hidden: [256, 256], residual: true, name: "jump" };

/** A batch of k-step jumps. */
export interface JumpBatch {
  /** Latents at t. [B, D]. */
  z: tf.Tensor2D;
  /** Macro actions: the sum of actions t .. t+k-1. [B, A]. */
  macro: tf.Tensor2D;
  /** Latents at t+k. [B, D]. */
  zNext: tf.Tensor2D;
}

/** The high-level predictor: a `Model` (trains with `train`) with `predict` for planners. */
export interface JumpPredictor extends Model<JumpBatch> {
  /** Primitive steps per jump k. */
  readonly jump: number;
  /** Embedding size D. */
  readonly latentDim: number;
  /** Macro-action size A. */
  readonly actionDim: number;
  /** One jump: z [B, D], macro [B, A] -> z after k steps [B, D]. */
  predict(z: tf.Tensor2D, macro: tf.Tensor2D): tf.Tensor2D;
}

/** Builds the k-step predictor; its loss is the mean squared latent error of the jump. */
export function jumpPredictor(opts: JumpPredictorOptions): JumpPredictor {
  const where = "jumpPredictor";
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { latentDim, ... }, received ${opts === null ? "null" : typeof opts}`);
  const o = { ...jumpPredictorDefaults, ...dropUndefined(opts) };
  const D = checkNumber(where, "opts.latentDim", o.latentDim, { min: 1, integer: true });
  const A = checkNumber(where, "opts.actionDim", o.actionDim, { min: 1, integer: true });
  const k = checkNumber(where, "opts.jump", o.jump, { min: 1, integer: true });
  const net = actionPredictor({ latentDim: D, actionDim: A, hidden: o.hidden, residual: o.residual, name: o.name });
  const predict = (z: tf.Tensor2D, macro: tf.Tensor2D) => net.apply(z, macro) as tf.Tensor2D; // [B, D]
  return {
    name: `jump-predictor(k=${k})`,
    jump: k,
    latentDim: D,
    actionDim: A,
    predict,
    forward(batch: JumpBatch): ForwardResult {
      const dims = checkShape(`${where}.forward`, "batch.z", batch?.z, ["B", D]);
      checkShape(`${where}.forward`, "batch.macro", batch.macro, ["B", A], dims);
      checkShape(`${where}.forward`, "batch.zNext", batch.zNext, ["B", D], dims);
      const pred = predict(batch.z, batch.macro);
      const loss = latentDistance(pred, batch.zNext, { validate: false }) as tf.Scalar;
      return { loss };
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}

/**
 * Every k-step jump of a set of episodes: latents [N, T+1, D] and actions [N, T, A] ->
 * { z [M, D], macro [M, A], zNext [M, D] } with M = N * (T - k + 1) (t = 0 .. T-k in each episode).
 * The caller owns the result.
 */
export function jumpTransitions(latents: tf.Tensor3D, actions: tf.Tensor3D, k: number): JumpBatch {
  const where = "jumpTransitions";
  const dims = checkShape(where, "latents", latents, ["N", "T1", "D"]);
  checkShape(where, "actions", actions, ["N", null, "A"], dims);
  const T = dims.T1 - 1;
  if (actions.shape[1] !== T) throw new Error(`${where}: actions must have shape [N, T, A] with T = latents' T+1 minus 1 = ${T}, received [${actions.shape.join(", ")}]`);
  checkNumber(where, "k", k, { min: 1, max: T, integer: true });
  return tf.tidy(() => {
    const windows = T - k + 1;
    const cum = tf.concat([tf.zeros([dims.N, 1, dims.A]), tf.cumsum(actions, 1)], 1); // [N, T+1, A]
    const macro = tf.sub(cum.slice([0, k, 0], [-1, windows, -1]), cum.slice([0, 0, 0], [-1, windows, -1])); // [N, W, A]
    const z = latents.slice([0, 0, 0], [-1, windows, -1]); // [N, W, D]
    const zNext = latents.slice([0, k, 0], [-1, windows, -1]); // [N, W, D]
    const M = dims.N * windows;
    return {
      z: z.reshape([M, dims.D]) as tf.Tensor2D,
      macro: macro.reshape([M, dims.A]) as tf.Tensor2D,
      zNext: zNext.reshape([M, dims.D]) as tf.Tensor2D,
    };
  });
}

/** Rows `idx` of a set of jumps (tf.gather), e.g. a training batch. The caller owns the result. */
export function takeJumpBatch(data: JumpBatch, idx: number[]): JumpBatch {
  const where = "takeJumpBatch";
  const n = checkShape(where, "data.z", data?.z, ["M", null]).M;
  if (!Array.isArray(idx) || idx.length === 0) throw new TypeError(`${where}: idx must be a non-empty number[], received ${Array.isArray(idx) ? "an empty array" : typeof idx}`);
  idx.forEach((i, j) => checkNumber(where, `idx[${j}]`, i, { min: 0, max: n - 1, integer: true }));
  const [z, macro, zNext] = tf.tidy(() => {
    const ix = tf.tensor1d(idx, "int32");
    return [tf.gather(data.z, ix), tf.gather(data.macro, ix), tf.gather(data.zNext, ix)] as tf.Tensor2D[];
  });
  return { z, macro, zNext }; // [B, D], [B, A], [B, D]
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
