/**
 * A latent-variable JEPA: the energy of a future lives in embedding space, and a latent variable z
 * carries what the context cannot know. Written out in notebooks/05-latent-variables.ipynb (the
 * energy, its minimisation over z, the capacity of z), then imported from here.
 *
 * Context x: frames [N, S, S, C] (C frames stacked as channels); future y: one frame [N, S, S, 1].
 * One frame encoder enc (an MLP) embeds every frame; the context embedding s concatenates the C
 * frames' embeddings; the predictor maps (s, z) to a predicted embedding of the future:
 *   s = [enc(x_1), …, enc(x_C)]                               [N, C·D]
 *   E(x, y, z) = ||pred(s, z) - enc(y)||² + λ ||z||₁           [N]   (λ = `sparsity`, default 0)
 *   F(x, y) = min over z in [low, high] of E(x, y, z)          (the free energy; `infer`)
 * Training (`forward`): infer z* for each example with the weights fixed (`inferSteps` Adam steps on
 * z from `zInit`: no gradient flows through z*), then the loss is VICReg between P = pred(s, z*) and
 * Z = enc(y): its invariance term is the energy (divided by D), its variance and covariance terms keep
 * enc from collapsing. By default Z is a constant in the invariance term (a stop-gradient): the
 * prediction error then cannot train the encoder to make the futures alike. With the gradient
 * (`targetGradient: true`) notebook 05 measured that the encoder maps the fork's two futures to nearly
 * one point (it stops representing what it cannot predict). With `inferSteps: 0` and `zInit: "zero"`
 * z stays 0: a deterministic predictor.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, checkSizes, withDefaults } from "../check";
import { vicregLoss } from "../losses/vicreg";
import { nextSeed } from "../random";
import { inferLatent, InferLatentResult } from "./infer-latent";
import { latentVariablePredictor } from "./latent-variable-predictor";
import { mlp } from "./mlp";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";

/** Options of `latentVariableJepa`. */
export interface LatentVariableJepaOptions {
  /** Side S of the square frames, in pixels. Default 16 (the fork world). */
  imageSize?: number;
  /** Frames C stacked as channels in a context x. Default 2. */
  contextFrames?: number;
  /** Embedding width D of one frame. Default 16. */
  embedDim?: number;
  /** Hidden layer sizes of the frame encoder. Default [128]. */
  hidden?: number[];
  /** Hidden layer sizes of the predictor. Default [128, 128]. */
  predictorHidden?: number[];
  /** Size of the latent variable z. Default 1. */
  zDim?: number;
  /** Lower bound of every coordinate of z (-Infinity: unbounded). Default -1. */
  low?: number;
  /** Upper bound of every coordinate of z (Infinity: unbounded). Default 1. */
  high?: number;
  /** Weight λ of the sparsity penalty λ ||z||₁ in the energy (0: none). Default 0. */
  sparsity?: number;
  /** Where each inference of z starts: "uniform" in [low, high] (needs finite bounds) or "zero". Default "uniform" when both bounds are finite, else "zero". */
  zInit?: "uniform" | "zero";
  /** Adam steps on z per training example (0: z keeps its start). Default 20. */
  inferSteps?: number;
  /** Step size of those Adam steps on z. Default 0.1. */
  inferLr?: number;
  /** Let the prediction error train the encoder through enc(y) too (false: enc(y) is a constant in the invariance term, a stop-gradient; the variance and covariance terms still train it). Default false. */
  targetGradient?: boolean;
  /** VICReg weights { sim, std, cov } of the training loss. Default { sim: 25, std: 25, cov: 1 }. */
  vicreg?: { sim?: number; std?: number; cov?: number };
  /** Variable name prefix. Default "lvJepa". */
  name?: string;
}

/** Default options of `latentVariableJepa` (zInit depends on the bounds: see the option). */
export const latentVariableJepaDefaults = {
  imageSize: 16, contextFrames: 2, embedDim: 16, hidden: [128], predictorHidden: [128, 128], zDim: 1, low: -1, high: 1,
  sparsity: 0, inferSteps: 20, inferLr: 0.1, targetGradient: false, vicreg: {} as { sim?: number; std?: number; cov?: number }, name: "lvJepa",
};

/** A training batch: contexts and the futures that followed them. */
export interface ContextFutureBatch {
  /** Context frames [B, S, S, C]. */
  x: tf.Tensor;
  /** Future frames [B, S, S, 1]. */
  y: tf.Tensor;
}

/** Options of `LatentVariableJepa.infer`. */
export interface LatentInferenceOptions {
  /** Adam steps on z. Default: the model's `inferSteps`. */
  steps?: number;
  /** Step size. Default: the model's `inferLr`. */
  lr?: number;
  /** Starting z [N, zDim] (not disposed). Default: drawn as the model's `zInit` says. */
  zInit?: tf.Tensor2D;
}

/** The model: trains with `train(model, ...)`; `encode`, `context`, `predict`, `energy`, `infer` for use. */
export interface LatentVariableJepa extends Model<ContextFutureBatch> {
  /** The options in use (defaults filled in). */
  readonly options: Required<Omit<LatentVariableJepaOptions, "vicreg">> & { vicreg: LatentVariableJepaOptions["vicreg"] };
  /** The frame encoder: [N, S, S, 1] (or [N, S·S]) -> [N, D]. */
  readonly encoder: Module;
  /** The predictor: (s [N, C·D], z [N, zDim]) -> [N, D]. */
  readonly predictor: Module<[tf.Tensor, tf.Tensor]>;
  /** Embeddings of frames [N, S, S, 1] -> [N, D]. */
  encode(frames: tf.Tensor): tf.Tensor2D;
  /** Context embeddings s of contexts [N, S, S, C] -> [N, C·D]. */
  context(x: tf.Tensor): tf.Tensor2D;
  /** Predicted embeddings of the future: x [N, S, S, C], z [N, zDim] -> [N, D]. */
  predict(x: tf.Tensor, z: tf.Tensor2D): tf.Tensor2D;
  /** E(x, y, z) per example: x [N, S, S, C], y [N, S, S, 1], z [N, zDim] -> [N]. */
  energy(x: tf.Tensor, y: tf.Tensor, z: tf.Tensor2D): tf.Tensor1D;
  /** z minimising E(x, y, ·) for each example, its energy (the free energy F) and the descent's history. Dispose `z`. */
  infer(x: tf.Tensor, y: tf.Tensor, opts?: LatentInferenceOptions): InferLatentResult;
  /** Starting values of z for n examples, as `zInit` says (a fresh tensor). */
  zStart(n: number): tf.Tensor2D;
}

/** Builds the latent-variable JEPA (frame encoder, predictor with z, inference of z). */
export function latentVariableJepa(opts: LatentVariableJepaOptions = {}): LatentVariableJepa {
  const o = latentVariableJepaInputs(opts);
  const S = o.imageSize, C = o.contextFrames, D = o.embedDim;
  const encoder = mlp([S * S, ...o.hidden, D], { name: `${o.name}/encoder` });
  const predictor = latentVariablePredictor({ embedDim: C * D, zDim: o.zDim, outDim: D, hidden: o.predictorHidden, name: `${o.name}/predictor` });
  const encode = (frames: tf.Tensor) => encoder.apply(frames.reshape([-1, S * S])) as tf.Tensor2D; // [N, D]
  const context = (x: tf.Tensor) => {
    const { N } = checkShape(`${o.name}.context`, "x", x, ["N", S, S, C]);
    return encode(tf.transpose(x, [0, 3, 1, 2])).reshape([N, C * D]) as tf.Tensor2D; // [N, C·D], frame by frame
  };
  /** E as a function of z for fixed embeddings s [N, C·D] and sy [N, D]. */
  const energyOf = (s: tf.Tensor, sy: tf.Tensor) => (z: tf.Tensor2D) => {
    const e = tf.sum(tf.square(tf.sub(predictor.apply(s, z), sy)), 1); // [N]
    return (o.sparsity > 0 ? tf.add(e, tf.mul(o.sparsity, tf.sum(tf.abs(z), 1))) : e) as tf.Tensor1D;
  };
  const bounded = Number.isFinite(o.low) && Number.isFinite(o.high);
  const zStart = (n: number) => (o.zInit === "uniform"
    ? tf.randomUniform([n, o.zDim], o.low, o.high, "float32", nextSeed("latent:z"))
    : tf.zeros([n, o.zDim])) as tf.Tensor2D;
  const inferFrom = (s: tf.Tensor, sy: tf.Tensor, io: LatentInferenceOptions = {}): InferLatentResult => {
    const z0 = io.zInit ?? zStart(s.shape[0]);
    try {
      return inferLatent({
        energy: energyOf(s, sy), zInit: z0, steps: io.steps ?? o.inferSteps, lr: io.lr ?? o.inferLr, optimizer: "adam",
        low: Number.isFinite(o.low) ? o.low : undefined, high: Number.isFinite(o.high) ? o.high : undefined,
      });
    } finally {
      if (!io.zInit) z0.dispose();
    }
  };
  return {
    name: o.inferSteps === 0 && o.zInit === "zero" ? "latent-variable-jepa(deterministic: z = 0)"
      : `latent-variable-jepa(z ${o.zDim}${bounded ? ` in [${o.low}, ${o.high}]` : ", unbounded"}${o.sparsity ? `, λ ${o.sparsity}` : ""})`,
    options: o,
    encoder,
    predictor,
    encode: (frames) => tf.tidy(() => encode(frames)),
    context: (x) => tf.tidy(() => context(x)),
    predict: (x, z) => tf.tidy(() => predictor.apply(context(x), z) as tf.Tensor2D),
    energy: (x, y, z) => tf.tidy(() => energyOf(context(x), encode(y))(z)),
    infer(x, y, io) {
      const [s, sy] = tf.tidy(() => [context(x), encode(y)]);
      try {
        return inferFrom(s, sy, io);
      } finally {
        tf.dispose([s, sy]);
      }
    },
    zStart,
    forward(batch: ContextFutureBatch): ForwardResult {
      if (!batch || !(batch.x instanceof tf.Tensor) || !(batch.y instanceof tf.Tensor)) {
        throw new TypeError(`${o.name}.forward: batch must be { x: [B, ${S}, ${S}, ${C}], y: [B, ${S}, ${S}, 1] } tensors`);
      }
      const { B } = checkShape(`${o.name}.forward`, "batch.x", batch.x, ["B", S, S, C]);
      checkShape(`${o.name}.forward`, "batch.y", batch.y, [B, S, S, 1]);
      const s = context(batch.x), sy = encode(batch.y); // [B, C·D], [B, D]
      const { z } = inferFrom(s, sy); // z* with the weights fixed; a constant for the gradient
      const p = predictor.apply(s, z); // [B, D]
      const v = vicregLoss(p, sy, { ...o.vicreg, validate: false });
      const w = withDefaults({ sim: 25, std: 25, cov: 1 }, o.vicreg, o.name);
      const loss = o.targetGradient ? v.loss : tf.addN([ // the invariance term against a constant copy of enc(y)
        tf.mul(w.sim, tf.mean(tf.square(tf.sub(p, detach(sy))))), tf.mul(w.std, v.variance), tf.mul(w.cov, v.covariance),
      ]) as tf.Scalar;
      return { loss, energy: tf.mul(v.invariance, D) as tf.Scalar, variance: v.variance, covariance: v.covariance, z };
    },
    variables: () => [...encoder.variables(), ...predictor.variables()],
    dispose() {
      encoder.dispose();
      predictor.dispose();
    },
  };
}

/** A copy with no link to the ops that made it: no gradient flows back through it. */
function detach(t: tf.Tensor): tf.Tensor {
  return tf.tensor(t.dataSync() as Float32Array, t.shape, "float32");
}

/** Options with defaults, checked (errors name `latentVariableJepa`). */
function latentVariableJepaInputs(opts: LatentVariableJepaOptions): LatentVariableJepa["options"] {
  const where = "latentVariableJepa";
  const o = withDefaults(latentVariableJepaDefaults, opts, where);
  checkNumber(where, "opts.imageSize", o.imageSize, { min: 1, integer: true });
  checkNumber(where, "opts.contextFrames", o.contextFrames, { min: 1, integer: true });
  checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.zDim", o.zDim, { min: 1, integer: true });
  checkNumber(where, "opts.sparsity", o.sparsity, { min: 0 });
  checkNumber(where, "opts.inferSteps", o.inferSteps, { min: 0, integer: true });
  checkNumber(where, "opts.inferLr", o.inferLr, { min: 0, exclusiveMin: true });
  for (const k of ["hidden", "predictorHidden"] as const) checkSizes(where, `opts.${k}`, o[k]);
  if (typeof o.low !== "number" || Number.isNaN(o.low)) throw new TypeError(`${where}: opts.low must be a number (-Infinity: unbounded), received ${String(o.low)}`);
  if (typeof o.high !== "number" || !(o.high > o.low)) throw new RangeError(`${where}: opts.high must be a number above opts.low = ${o.low}, received ${String(o.high)}`);
  const bounded = Number.isFinite(o.low) && Number.isFinite(o.high);
  const zInit = opts?.zInit ?? (bounded ? "uniform" : "zero");
  if (zInit !== "uniform" && zInit !== "zero") throw new Error(`${where}: opts.zInit must be "uniform" or "zero", received ${JSON.stringify(zInit)}`);
  if (zInit === "uniform" && !bounded) throw new Error(`${where}: opts.zInit "uniform" needs finite opts.low and opts.high, received [${o.low}, ${o.high}]`);
  return { ...o, zInit };
}
