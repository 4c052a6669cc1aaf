/**
 * A JEPA world model on transitions: encode observations, predict the next embedding from the
 * current one and the action, measure the error in embedding space, and keep the embeddings from
 * collapsing. Written out by hand in notebooks/02-energy-and-collapse.ipynb (four ways to stop
 * collapse) and notebooks/03-mini-jepa.ipynb (the loss of one window, one training step), then
 * imported from here; planners use its encoder and predictor.
 *
 * A batch is a set of short trajectories: obs [B, T+1, ...obsShape], actions [B, T, A]. With
 * z_t = enc(o_t) and the predictor unrolled from z_0 (ẑ_1 = pred(z_0, a_0), ẑ_{t+1} = pred(ẑ_t, a_t)):
 *   predError = mean over b, t of ||ẑ_t - y_t||² / D,   t = 1..T,   y_t = z_t (or the EMA encoder's)
 *   loss      = predError                                           regularizer "none" or "ema"
 *             = vicregLoss(ẑ, y).loss                               "vicreg" (its invariance is predError)
 *             = predError + weight * sigregLoss(z).loss             "sigreg" (on every encoded frame)
 * With "ema" the targets y come from a slow copy of the encoder that is not among `variables()`:
 * no gradient reaches it (the stop-gradient), and `afterStep` moves it towards the online encoder.
 * Multi-step training (T > 1) keeps long rollouts stable.
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance } from "../losses/latent-distance";
import { sigregLoss } from "../losses/sigreg";
import { vicregLoss } from "../losses/vicreg";
import { nextSeed } from "../random";
import { checkNumber, withDefaults } from "../check";
import { copyVariables, updateEma } from "./ema";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";
import { rollout } from "./rollout";

/** Builds the JEPA world model around an encoder and a predictor. */
export function transitionJepa(opts: TransitionJepaOptions): TransitionJepa {
  const o = transitionJepaInputs(opts);
  const encode = (obs: tf.Tensor) => o.encoder.apply(obs) as tf.Tensor2D; // [B, ...obsShape] -> [B, D]
  const predict = (z: tf.Tensor2D, a: tf.Tensor2D) => o.predictor.apply(z, a) as tf.Tensor2D; // [B, D], [B, A] -> [B, D]
  const unroll = (z0: tf.Tensor2D, actions: tf.Tensor3D) => rollout(predict, z0, actions); // [B, T, D]
  const forward = (batch: TrajectoryBatch): ForwardResult => {
    const { obs, actions } = checkBatch(batch);
    const [B, T1] = obs.shape;
    const flat = obs.reshape([B * T1, ...obs.shape.slice(2)]); // [B*(T+1), ...obsShape]
    const zAll = encode(flat); // [B*(T+1), D]
    const D = zAll.shape[1];
    const z = zAll.reshape([B, T1, D]);
    const y = o.regularizer === "ema" ? o.targetEncoder!.apply(flat).reshape([B, T1, D]) : z; // targets
    const pred = unroll(z.slice([0, 0, 0], [-1, 1, -1]).reshape([B, D]) as tf.Tensor2D, actions ?? (tf.zeros([B, T1 - 1, 0]) as tf.Tensor3D));
    const predFlat = pred.reshape([B * (T1 - 1), D]); // ẑ_1..T
    const yFlat = y.slice([0, 1, 0], [-1, T1 - 1, -1]).reshape([B * (T1 - 1), D]); // y_1..T
    const predError = latentDistance(predFlat, yFlat, { validate: false });
    if (o.regularizer === "vicreg") {
      const v = vicregLoss(predFlat, yFlat, { ...o.vicreg, validate: false });
      return { loss: v.loss, predError, variance: v.variance, covariance: v.covariance };
    }
    if (o.regularizer === "sigreg") {
      const s = sigregLoss(zAll, { slices: o.sigreg.slices, seed: nextSeed("sigreg"), validate: false }).loss;
      return { loss: tf.add(predError, tf.mul(o.sigreg.weight, s)) as tf.Scalar, predError, sigreg: s };
    }
    return { loss: predError, predError };
  };
  return {
    name: `transition-jepa(${o.regularizer})`,
    encoder: o.encoder,
    predictor: o.predictor,
    regularizer: o.regularizer,
    encode: (obs) => tf.tidy(() => encode(obs)),
    predict: (z, a) => tf.tidy(() => predict(z, a)),
    rollout: (z0, actions) => tf.tidy(() => unroll(z0, actions)),
    forward,
    variables: () => [...o.encoder.variables(), ...o.predictor.variables()],
    stateVariables: () => [...o.encoder.variables(), ...o.predictor.variables(), ...(o.targetEncoder?.variables() ?? [])],
    afterStep() {
      if (o.regularizer === "ema") updateEma(o.targetEncoder!.variables(), o.encoder.variables(), o.momentum);
    },
    dispose() {
      o.encoder.dispose();
      o.predictor.dispose();
      o.targetEncoder?.dispose();
    },
  };
}

/** How a joint-embedding model is kept from collapsing (notebook 02 compares them). */
export type Regularizer = "none" | "ema" | "vicreg" | "sigreg";

/** A batch of trajectories. */
export interface TrajectoryBatch {
  /** Observations [B, T+1, ...obsShape]. */
  obs: tf.Tensor;
  /** Actions [B, T, A] (A may be 0 for passive worlds: pass a [B, T, 0] tensor or omit). */
  actions?: tf.Tensor3D;
}

/** Options of `transitionJepa`. */
export interface TransitionJepaOptions {
  /** Observations [B, ...obsShape] -> embeddings [B, D]. Required. */
  encoder: Module;
  /** (z [B, D], a [B, A]) -> next z [B, D]. Required. */
  predictor: Module<[tf.Tensor, tf.Tensor]>;
  /** Anti-collapse method. Default "vicreg". */
  regularizer?: Regularizer;
  /** For "ema": a second encoder of the same architecture (its weights are overwritten by the online encoder's). */
  targetEncoder?: Module;
  /** For "ema": momentum of the target update. Default 0.99. */
  momentum?: number;
  /** For "vicreg": weights { sim, std, cov } of `vicregLoss`. Default { sim: 25, std: 25, cov: 1 }. */
  vicreg?: { sim?: number; std?: number; cov?: number };
  /** For "sigreg": `weight` of the SIGReg term added to the prediction error, and random `slices` per step. Default { weight: 1, slices: 64 }. */
  sigreg?: { weight?: number; slices?: number };
}

/** Default options of `transitionJepa`. */
export const transitionJepaDefaults = {
  regularizer: "vicreg" as Regularizer, momentum: 0.99, vicreg: {} as { sim?: number; std?: number; cov?: number },
  sigreg: { weight: 1, slices: 64 },
};

/** The world model: trains with `train(model, ...)`; `encode`, `predict`, `rollout` for use (each returns one fresh tensor). */
export interface TransitionJepa extends Model<TrajectoryBatch> {
  readonly encoder: Module;
  readonly predictor: Module<[tf.Tensor, tf.Tensor]>;
  readonly regularizer: Regularizer;
  /** Embeddings of observations [B, ...obsShape] -> [B, D]. */
  encode(obs: tf.Tensor): tf.Tensor2D;
  /** One predicted step: z [B, D], a [B, A] -> [B, D]. */
  predict(z: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D;
  /** Unrolls the predictor: z0 [B, D], actions [B, T, A] -> [B, T, D]. */
  rollout(z0: tf.Tensor2D, actions: tf.Tensor3D): tf.Tensor3D;
}

/** Options with defaults, checked (errors name `transitionJepa`); the EMA copy starts equal to the encoder. */
function transitionJepaInputs(opts: TransitionJepaOptions) {
  const where = "transitionJepa";
  const o = withDefaults(transitionJepaDefaults, opts, where);
  const sigreg = withDefaults(transitionJepaDefaults.sigreg, opts?.sigreg, where);
  if (!o.encoder || typeof o.encoder.apply !== "function") throw new TypeError(`${where}: opts.encoder must be a Module`);
  if (!o.predictor || typeof o.predictor.apply !== "function") throw new TypeError(`${where}: opts.predictor must be a Module`);
  if (!["none", "ema", "vicreg", "sigreg"].includes(o.regularizer)) throw new Error(`${where}: opts.regularizer must be none, ema, vicreg or sigreg, received ${JSON.stringify(o.regularizer)}`);
  checkNumber(where, "opts.momentum", o.momentum, { min: 0, max: 1 });
  checkNumber(where, "opts.sigreg.weight", sigreg.weight, { min: 0 });
  checkNumber(where, "opts.sigreg.slices", sigreg.slices, { min: 1, integer: true });
  if (o.regularizer === "ema") {
    if (!o.targetEncoder) throw new Error(`${where}: regularizer "ema" needs opts.targetEncoder (a second encoder of the same architecture)`);
    copyVariables(o.targetEncoder.variables(), o.encoder.variables());
  }
  return { ...o, sigreg };
}

function checkBatch(batch: TrajectoryBatch): { obs: tf.Tensor; actions?: tf.Tensor3D } {
  const where = "transitionJepa.forward";
  if (!batch || !(batch.obs instanceof tf.Tensor)) throw new TypeError(`${where}: batch.obs must be a tf.Tensor [B, T+1, ...obsShape]`);
  const obs = batch.obs;
  if (obs.rank < 3 || obs.shape[1]! < 2) throw new Error(`${where}: batch.obs must have shape [B, T+1, ...obsShape] with T+1 >= 2, received [${obs.shape.join(", ")}]`);
  const a = batch.actions;
  if (a !== undefined) {
    const ok = a instanceof tf.Tensor && a.rank === 3 && a.shape[0] === obs.shape[0] && a.shape[1] === obs.shape[1]! - 1;
    if (!ok) {
      throw new Error(`${where}: batch.actions must have shape [B=${obs.shape[0]}, T=${obs.shape[1]! - 1}, A], received ${a instanceof tf.Tensor ? `[${a.shape.join(", ")}]` : typeof a}`);
    }
  }
  return { obs, actions: a };
}
