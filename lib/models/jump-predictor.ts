/**
 * The high-level predictor of a hierarchical world model (H-JEPA's slow level): it jumps k steps at
 * once, (h_t, macro action) -> h_{t+k}, where the macro action is the sum of the k primitive actions
 * (the displacement the agent asks for; walls may stop part of it) and h is a FROZEN state: the
 * high-level encoder's (lib/models/high-level-encoder.ts), or the low-level latent itself. With
 * frozen targets there is nothing to collapse: the loss is plain regression. A planner chains
 * several jumps, so the loss unrolls J jumps from h_t (each predicted state feeds the next jump),
 * which keeps chained predictions on track, as multi-step training does for the one-step predictor.
 * Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 *   const jump = jumpPredictor({ embedDim: 2, jump: 10 });
 *   const data = jumpTransitions(states, actions, 10, 3);   // (h_t, 3 macro actions, h_{t+10}, h_{t+20}, h_{t+30})
 *   await train(jump, { steps: 2000, batch: () => takeJumpBatch(data, idx) });
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance } from "../losses/latent-distance";
import { checkNumber, checkShape, checkSizes, withDefaults } from "../check";
import { mlp } from "./mlp";
import { ForwardResult, Model } from "./model";

/** Options of `jumpPredictor`. */
export interface JumpPredictorOptions {
  /** Width of the states it predicts (the high-level state's, or D for low-level latents). Required. */
  embedDim: number;
  /** Macro-action size (the primitive action size: the macro action is their sum). Default 2. */
  actionDim?: number;
  /** Primitive steps per jump, k >= 1 (kept with the model so planners know the time scale). Default 10. */
  jump?: number;
  /** Hidden layer sizes. Default [128, 128]. */
  hidden?: number[];
  /** Predict the change h_{t+k} - h_t (added to h_t). Default true. */
  residual?: boolean;
  /**
   * Add the (clipped) macro action too: h_{t+k} = h_t + m + g(h_t, m), for high-level states in
   * which macro actions add up (lib/models/high-level-encoder.ts). g then learns only what walls take
   * away, and starts at 0 (its last layer is zero-initialised): a free move is right from the start.
   * Needs `residual`. Default false.
   */
  addMacro?: boolean;
  /** Macro actions are multiplied by this inside the predictor (e.g. 1 / (k maxStep): a full jump has norm 1). Default 1. */
  macroScale?: number;
  /** Longer macro actions are scaled down to this norm before predicting, as a world clips each step (k maxStep). Default Infinity (no clipping). */
  maxMacroNorm?: number;
  /**
   * Octaves of sine features added to the state input: [h, sin(2^i pi h), cos(2^i pi h)] for i < fourier.
   * Walls are sharp in smooth coordinates; these features let a small MLP draw them. Default 0 (h alone).
   */
  fourier?: number;
  /** Variable name prefix. Default "jump". */
  name?: string;
}

/** Default options of `jumpPredictor`. */
export const jumpPredictorDefaults = { actionDim: 2, jump: 10, hidden: [128, 128], residual: true, addMacro: false, macroScale: 1, maxMacroNorm: Infinity, fourier: 0, name: "jump" };

/** A batch of J chained k-step jumps (J = 1: single jumps). */
export interface JumpBatch {
  /** States at t. [B, D]. */
  z: tf.Tensor2D;
  /** Macro actions: jump j is the sum of actions t+jk .. t+(j+1)k-1. [B, J, A]. */
  macro: tf.Tensor3D;
  /** States at t+k, t+2k, ..., t+Jk. [B, J, D]. */
  zNext: tf.Tensor3D;
}

/** The high-level predictor: a `Model` (trains with `train`) with `predict` for planners. */
export interface JumpPredictor extends Model<JumpBatch> {
  /** Primitive steps per jump k. */
  readonly jump: number;
  /** Width of the states. */
  readonly embedDim: number;
  /** Macro-action size A. */
  readonly actionDim: number;
  /** One jump: h [B, D], macro [B, A] -> h after k steps [B, D]. A fresh tensor; nothing else leaks. */
  predict(h: tf.Tensor2D, macro: tf.Tensor2D): tf.Tensor2D;
}

/** Builds the k-step predictor; its loss is the mean squared error over the J unrolled jumps. */
export function jumpPredictor(opts: JumpPredictorOptions): JumpPredictor {
  const where = "jumpPredictor";
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { embedDim, ... }, received ${opts === null ? "null" : typeof opts}`);
  const o = withDefaults(jumpPredictorDefaults, opts, where);
  const D = checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  const A = checkNumber(where, "opts.actionDim", o.actionDim, { min: 1, integer: true });
  const k = checkNumber(where, "opts.jump", o.jump, { min: 1, integer: true });
  checkNumber(where, "opts.macroScale", o.macroScale, { min: 0, exclusiveMin: true });
  if (o.maxMacroNorm !== Infinity) checkNumber(where, "opts.maxMacroNorm", o.maxMacroNorm, { min: 0, exclusiveMin: true });
  checkSizes(where, "opts.hidden", o.hidden);
  const F = checkNumber(where, "opts.fourier", o.fourier, { min: 0, max: 12, integer: true });
  if (o.addMacro && (!o.residual || A !== D)) throw new Error(`${where}: opts.addMacro needs residual: true and actionDim = embedDim (the macro action is added to h), received residual ${o.residual}, actionDim ${A}, embedDim ${D}`);
  const net = mlp([D * (1 + 2 * F) + A, ...o.hidden, D], { name: o.name });
  if (o.addMacro) tf.tidy(() => net.variables().slice(-2).forEach((v) => v.assign(tf.zerosLike(v)))); // g starts at 0
  const features = (h: tf.Tensor2D) => (F === 0 ? h : tf.concat([h, ...Array.from({ length: F }, (_, i) => tf.mul(h, Math.PI * 2 ** i)).flatMap((x) => [tf.sin(x), tf.cos(x)])], 1)); // [B, D(1+2F)]
  const clip = (m: tf.Tensor2D) => (o.maxMacroNorm === Infinity ? m : tf.mul(m, tf.minimum(1, tf.div(o.maxMacroNorm, tf.add(tf.norm(m, 2, 1, true), 1e-12)))));
  const predict = (h: tf.Tensor2D, macro: tf.Tensor2D): tf.Tensor2D => {
    const m = clip(macro); // [B, A]
    const out = net.apply(tf.concat([features(h), tf.mul(m, o.macroScale)], 1)) as tf.Tensor2D; // [B, D]
    if (o.addMacro) return tf.add(tf.add(h, m), out);
    return o.residual ? tf.add(h, out) : out;
  };
  return {
    name: `jump-predictor(k=${k})`,
    jump: k,
    embedDim: D,
    actionDim: A,
    predict: (h, macro) => tf.tidy(() => predict(h, macro)),
    forward(batch: JumpBatch): ForwardResult {
      const dims = checkShape(`${where}.forward`, "batch.z", batch?.z, ["B", D]);
      checkShape(`${where}.forward`, "batch.macro", batch.macro, ["B", "J", A], dims);
      checkShape(`${where}.forward`, "batch.zNext", batch.zNext, ["B", "J", D], dims);
      const preds: tf.Tensor2D[] = [];
      let h = batch.z;
      for (let j = 0; j < dims.J; j++) {
        h = predict(h, batch.macro.slice([0, j, 0], [-1, 1, -1]).reshape([dims.B, A]) as tf.Tensor2D); // [B, D]
        preds.push(h);
      }
      const loss = latentDistance(tf.stack(preds, 1), batch.zNext, { validate: false }) as tf.Scalar; // [B, J, D] vs [B, J, D]
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
