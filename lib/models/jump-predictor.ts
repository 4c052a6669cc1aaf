/**
 * The high-level predictor of a hierarchical world model (H-JEPA's slow level): it jumps k steps at
 * once, (z_t, macro action) -> z_{t+k}, where the macro action is the sum of the k primitive actions
 * (the displacement the agent asks for; walls may stop part of it). It is trained on the latents of a
 * FROZEN encoder, so there is nothing to collapse: the loss is plain latent regression. A planner
 * chains several jumps, so the loss can unroll J jumps from z_t (each predicted latent feeds the
 * next jump), which keeps chained predictions on track, as multi-step training does for the
 * one-step predictor. Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 *   const jump = jumpPredictor({ embedDim: 32, jump: 8 });
 *   const data = jumpTransitions(latents, actions, 8, 2);        // (z_t, 2 macro actions, z_{t+8}, z_{t+16})
 *   await train(jump, { steps: 1000, batch: () => takeJumpBatch(data, idx) });
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance } from "../losses/latent-distance";
import { checkNumber, checkShape, withDefaults } from "../check";
import { actionPredictor } from "./action-predictor";
import { ForwardResult, Model } from "./model";
import { rollout } from "./rollout";

/** Options of `jumpPredictor`. */
export interface JumpPredictorOptions {
  /** Embedding width D (the frozen encoder's). Required. */
  embedDim: number;
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

/** A batch of J chained k-step jumps (J = 1: single jumps). */
export interface JumpBatch {
  /** Latents at t. [B, D]. */
  z: tf.Tensor2D;
  /** Macro actions: jump j is the sum of actions t+jk .. t+(j+1)k-1. [B, J, A]. */
  macro: tf.Tensor3D;
  /** Latents at t+k, t+2k, ..., t+Jk. [B, J, D]. */
  zNext: tf.Tensor3D;
}

/** The high-level predictor: a `Model` (trains with `train`) with `predict` for planners. */
export interface JumpPredictor extends Model<JumpBatch> {
  /** Primitive steps per jump k. */
  readonly jump: number;
  /** Embedding width D. */
  readonly embedDim: number;
  /** Macro-action size A. */
  readonly actionDim: number;
  /** One jump: z [B, D], macro [B, A] -> z after k steps [B, D]. */
  predict(z: tf.Tensor2D, macro: tf.Tensor2D): tf.Tensor2D;
}

/** Builds the k-step predictor; its loss is the mean squared latent error over the J unrolled jumps. */
export function jumpPredictor(opts: JumpPredictorOptions): JumpPredictor {
  const where = "jumpPredictor";
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { embedDim, ... }, received ${opts === null ? "null" : typeof opts}`);
  const o = withDefaults(jumpPredictorDefaults, opts, where);
  const D = checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  const A = checkNumber(where, "opts.actionDim", o.actionDim, { min: 1, integer: true });
  const k = checkNumber(where, "opts.jump", o.jump, { min: 1, integer: true });
  const net = actionPredictor({ embedDim: D, actionDim: A, hidden: o.hidden, residual: o.residual, name: o.name });
  const predict = (z: tf.Tensor2D, macro: tf.Tensor2D) => net.apply(z, macro) as tf.Tensor2D; // [B, D]
  return {
    name: `jump-predictor(k=${k})`,
    jump: k,
    embedDim: D,
    actionDim: A,
    predict: (z, macro) => tf.tidy(() => predict(z, macro)),
    forward(batch: JumpBatch): ForwardResult {
      const dims = checkShape(`${where}.forward`, "batch.z", batch?.z, ["B", D]);
      checkShape(`${where}.forward`, "batch.macro", batch.macro, ["B", "J", A], dims);
      checkShape(`${where}.forward`, "batch.zNext", batch.zNext, ["B", "J", D], dims);
      const preds = rollout(predict, batch.z, batch.macro); // [B, J, D]: each jump feeds the next
      const loss = latentDistance(preds, batch.zNext, { validate: false }); // vs [B, J, D]
      return { loss };
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}

/**
 * Every chain of J k-step jumps of a set of episodes: latents [N, T+1, D] and actions [N, T, A] ->
 * { z [M, D], macro [M, J, A], zNext [M, J, D] } with M = N * (T - Jk + 1) (t = 0 .. T-Jk in each
 * episode). The caller owns the result.
 */
export function jumpTransitions(latents: tf.Tensor3D, actions: tf.Tensor3D, k: number, jumps = 1): JumpBatch {
  const where = "jumpTransitions";
  const dims = checkShape(where, "latents", latents, ["N", "T1", "D"]);
  checkShape(where, "actions", actions, ["N", null, "A"], dims);
  const T = dims.T1 - 1;
  if (actions.shape[1] !== T) throw new Error(`${where}: actions must have shape [N, T, A] with T = latents' T+1 minus 1 = ${T}, received [${actions.shape.join(", ")}]`);
  checkNumber(where, "k", k, { min: 1, max: T, integer: true });
  const J = checkNumber(where, "jumps", jumps, { min: 1, max: Math.floor(T / k), integer: true });
  const [z, macro, zNext] = tf.tidy(() => {
    const windows = T - J * k + 1;
    const M = dims.N * windows;
    const cum = tf.concat([tf.zeros([dims.N, 1, dims.A]), tf.cumsum(actions, 1)], 1); // [N, T+1, A]
    const at = (x: tf.Tensor3D, off: number) => x.slice([0, off, 0], [-1, windows, -1]); // [N, W, *] starting at t + off
    const macros = Array.from({ length: J }, (_, j) => tf.sub(at(cum as tf.Tensor3D, (j + 1) * k), at(cum as tf.Tensor3D, j * k))); // J x [N, W, A]
    const nexts = Array.from({ length: J }, (_, j) => at(latents, (j + 1) * k)); // J x [N, W, D]
    return [
      at(latents, 0).reshape([M, dims.D]), // [M, D]
      tf.stack(macros, 2).reshape([M, J, dims.A]), // [M, J, A]
      tf.stack(nexts, 2).reshape([M, J, dims.D]), // [M, J, D]
    ];
  });
  return { z: z as tf.Tensor2D, macro: macro as tf.Tensor3D, zNext: zNext as tf.Tensor3D };
}

/** Rows `idx` of a set of jumps (tf.gather), e.g. a training batch. The caller owns the result. */
export function takeJumpBatch(data: JumpBatch, idx: number[]): JumpBatch {
  const where = "takeJumpBatch";
  const n = checkShape(where, "data.z", data?.z, ["M", null]).M;
  if (!Array.isArray(idx) || idx.length === 0) throw new TypeError(`${where}: idx must be a non-empty number[], received ${Array.isArray(idx) ? "an empty array" : typeof idx}`);
  idx.forEach((i, j) => checkNumber(where, `idx[${j}]`, i, { min: 0, max: n - 1, integer: true }));
  const [z, macro, zNext] = tf.tidy(() => {
    const ix = tf.tensor1d(idx, "int32");
    return [tf.gather(data.z, ix), tf.gather(data.macro, ix), tf.gather(data.zNext, ix)];
  });
  return { z: z as tf.Tensor2D, macro: macro as tf.Tensor3D, zNext: zNext as tf.Tensor3D }; // [B, D], [B, J, A], [B, J, D]
}
