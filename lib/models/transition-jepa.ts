/**
 * A JEPA world model on transitions: encode observations, predict the next embedding from the
 * current one and the action, measure the error in embedding space. Introduced in
 * notebooks/02-energy-and-collapse.ipynb (four ways to stop collapse) and
 * notebooks/03-mini-jepa.ipynb (the headline model); planners use its encoder and predictor.
 *
 * A batch is a set of short trajectories: obs [B, T+1, ...obsShape], actions [B, T, A] (T = 1 is a
 * single transition). The predictor is unrolled from the first embedding for T steps (multi-step
 * training makes long rollouts stable) and compared with the encoded observations.
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance, sigregLoss, vicregLoss } from "../losses";
import { nextSeed } from "../random";
import { checkNumber } from "../shape";
import { copyVariables, updateEma } from "./ema";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";

/** How the model is kept from collapsing (notebook 02 compares them). */
export type Regulariser = "none" | "ema" | "vicreg" | "sigreg";

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
  regulariser?: Regulariser;
  /** For "ema": a second encoder of the same architecture (its weights are overwritten by the online encoder's). */
  targetEncoder?: Module;
  /** For "ema": momentum of the target update. Default 0.99. */
  momentum?: number;
  /** For "vicreg": weights { sim, std, cov }. Default { sim: 25, std: 25, cov: 1 }. */
  vicreg?: { sim?: number; std?: number; cov?: number };
  /** For "sigreg": weight of the SIGReg term added to the prediction error. Default 1. */
  sigregWeight?: number;
  /** For "sigreg": random directions per step. Default 64. */
  sigregSlices?: number;
}

/** Default options of `transitionJepa`. */
export const transitionJepaDefaults = { regulariser: "vicreg" as Regulariser, momentum: 0.99, sigregWeight: 1, sigregSlices: 64 };

/** The world model: trains with `train(model, ...)`; `encode`, `predict`, `rollout` for use. */
export interface TransitionJepa extends Model<TrajectoryBatch> {
  readonly encoder: Module;
  readonly predictor: Module<[tf.Tensor, tf.Tensor]>;
  readonly regulariser: Regulariser;
  /** Embeddings of observations [B, ...obsShape] -> [B, D]. */
  encode(obs: tf.Tensor): tf.Tensor2D;
  /** One predicted step: z [B, D], a [B, A] -> [B, D]. */
  predict(z: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D;
  /** Unrolls the predictor: z0 [B, D], actions [B, T, A] -> [B, T, D]. */
  rollout(z0: tf.Tensor2D, actions: tf.Tensor3D): tf.Tensor3D;
}

/** Builds the JEPA world model around an encoder and a predictor. */
export function transitionJepa(opts: TransitionJepaOptions): TransitionJepa {
  const o = { ...transitionJepaDefaults, ...opts };
  const where = "transitionJepa";
  if (!o.encoder || typeof o.encoder.apply !== "function") throw new TypeError(`${where}: opts.encoder must be a Module`);
  if (!o.predictor || typeof o.predictor.apply !== "function") throw new TypeError(`${where}: opts.predictor must be a Module`);
  if (!["none", "ema", "vicreg", "sigreg"].includes(o.regulariser)) throw new Error(`${where}: opts.regulariser must be none, ema, vicreg or sigreg, received ${JSON.stringify(o.regulariser)}`);
  checkNumber(where, "opts.momentum", o.momentum, { min: 0, max: 1 });
  if (o.regulariser === "ema") {
    if (!o.targetEncoder) throw new Error(`${where}: regulariser "ema" needs opts.targetEncoder (a second encoder of the same architecture)`);
    copyVariables(o.targetEncoder.variables(), o.encoder.variables());
  }
  const encode = (obs: tf.Tensor) => o.encoder.apply(obs) as tf.Tensor2D;
  const predict = (z: tf.Tensor2D, a: tf.Tensor2D) => o.predictor.apply(z, a) as tf.Tensor2D;
  const rollout = (z0: tf.Tensor2D, actions: tf.Tensor3D) => {
    const steps: tf.Tensor2D[] = [];
    let z = z0;
    for (let t = 0; t < actions.shape[1]; t++) {
      z = predict(z, actions.slice([0, t, 0], [-1, 1, -1]).squeeze([1]) as tf.Tensor2D);
      steps.push(z);
    }
    return tf.stack(steps, 1) as tf.Tensor3D; // [B, T, D]
  };
  return {
    name: `transition-jepa(${o.regulariser})`,
    encoder: o.encoder,
    predictor: o.predictor,
    regulariser: o.regulariser,
    encode,
    predict,
    rollout,
    forward(batch: TrajectoryBatch): ForwardResult {
      const { obs, actions } = checkBatch(batch);
      const [B, T1] = obs.shape;
      const T = T1 - 1;
      const flat = obs.reshape([B * T1, ...obs.shape.slice(2)]);
      const zAll = encode(flat); // [B*(T+1), D]
      const D = zAll.shape[1];
      const z = zAll.reshape([B, T1, D]);
      const target = o.regulariser === "ema"
        ? (encodeTarget(o.targetEncoder!, flat).reshape([B, T1, D]) as tf.Tensor3D)
        : z;
      const acts = actions ?? tf.zeros([B, T, 0]) as tf.Tensor3D;
      const pred = rollout(z.slice([0, 0, 0], [-1, 1, -1]).squeeze([1]) as tf.Tensor2D, acts); // [B, T, D]
      const future = target.slice([0, 1, 0], [-1, T, -1]); // [B, T, D]
      const predFlat = pred.reshape([B * T, D]);
      const futureFlat = future.reshape([B * T, D]);
      const predError = latentDistance(predFlat, futureFlat, { validate: false }) as tf.Scalar;
      if (o.regulariser === "vicreg") {
        const v = vicregLoss(predFlat, futureFlat, { ...o.vicreg, validate: false });
        return { loss: v.loss, predError, variance: v.variance, covariance: v.covariance };
      }
      if (o.regulariser === "sigreg") {
        const s = sigregLoss(zAll, { slices: o.sigregSlices, seed: nextSeed("sigreg"), validate: false });
        return { loss: tf.add(predError, tf.mul(o.sigregWeight, s)) as tf.Scalar, predError, sigreg: s };
      }
      return { loss: predError, predError };
    },
    variables: () => [...o.encoder.variables(), ...o.predictor.variables()],
    stateVariables: () => [...o.encoder.variables(), ...o.predictor.variables(), ...(o.targetEncoder?.variables() ?? [])],
    afterStep() {
      if (o.regulariser === "ema") updateEma(o.targetEncoder!.variables(), o.encoder.variables(), o.momentum);
    },
    dispose() {
      o.encoder.dispose();
      o.predictor.dispose();
      o.targetEncoder?.dispose();
    },
  };
}

/**
 * The EMA branch. Its variables are not in `variables()`, so the optimiser gets no gradient through
 * it: that is the stop-gradient.
 */
function encodeTarget(target: Module, obs: tf.Tensor): tf.Tensor2D {
  return target.apply(obs) as tf.Tensor2D;
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
