/**
 * The mini JEPA of notebook 03: an MLP encoder of Two Rooms images and an action-conditioned
 * predictor, trained with VICReg. Built here once so notebooks 03, 06, 08, 09, `npm run train` and the
 * benchmark use the same model. Introduced in notebooks/03-mini-jepa.ipynb.
 *
 *   encoder    o [B, S, S, 1] -> z [B, D]          MLP S²→hidden→hidden→D
 *   predictor  (z_t, a_t) -> z_t + f(z_t, a_t)      MLP (D+A)→hidden→hidden→D, last layer starts at 0
 */
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkSizes, withDefaults } from "../check";
import { actionPredictor } from "../models/action-predictor";
import { mlp } from "../models/mlp";
import { Module } from "../models/module";
import { Regularizer, transitionJepa, TransitionJepa } from "../models/transition-jepa";
import { Row } from "../table/row";
import { loadCheckpoint, readCheckpoint, saveCheckpoint } from "../train/checkpoint";

/** Builds the model: encoder [B, S, S, 1] -> [B, D] (MLP), predictor (z, a) -> z'. */
export function miniJepa(opts: MiniJepaOptions = {}): MiniJepa {
  const where = "miniJepa";
  const o: Required<MiniJepaOptions> = withDefaults(miniJepaDefaults, opts, where);
  o.vicreg = withDefaults(miniJepaDefaults.vicreg, opts?.vicreg, where);
  checkNumber(where, "opts.imageSize", o.imageSize, { min: 1, integer: true });
  checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.actionDim", o.actionDim, { min: 1, integer: true });
  checkNumber(where, "opts.actionScale", o.actionScale, { min: 0, exclusiveMin: true });
  checkSizes(where, "opts.hidden", o.hidden);
  const encoderOf = (name: string) => mlp([o.imageSize * o.imageSize, ...o.hidden, o.embedDim], { name });
  const inner = actionPredictor({ embedDim: o.embedDim, actionDim: o.actionDim, hidden: o.hidden });
  if (o.zeroInitPredictor) tf.tidy(() => inner.variables().slice(-2).forEach((v) => v.assign(tf.zerosLike(v)))); // last layer [w, b]
  const predictor: Module<[tf.Tensor, tf.Tensor]> = o.actionScale === 1 ? inner : {
    ...inner,
    apply: (z: tf.Tensor, a: tf.Tensor) => inner.apply(z, tf.mul(a, o.actionScale)), // [B, D]
  };
  const model = transitionJepa({
    encoder: encoderOf("encoder"),
    targetEncoder: o.regularizer === "ema" ? encoderOf("target") : undefined,
    predictor,
    regularizer: o.regularizer,
    vicreg: o.vicreg,
  });
  return Object.assign(model, { options: o });
}

/** Options of `miniJepa`. */
export interface MiniJepaOptions {
  /** Image side of the Two Rooms renders. Default 16. */
  imageSize?: number;
  /** Embedding width D. Default 32. */
  embedDim?: number;
  /** Hidden layer sizes of the encoder and of the predictor. Default [256, 256]. */
  hidden?: number[];
  /** Action size. Default 2 (dx, dy). */
  actionDim?: number;
  /** Anti-collapse method. Default "vicreg". */
  regularizer?: Regularizer;
  /** Actions are multiplied by this before entering the predictor, so they are on the scale of the embedding (Two Rooms moves are at most 0.08: 12.5 maps them to [-1, 1]). Callers still pass raw actions. Default 1. */
  actionScale?: number;
  /** Start the predictor at "no change" (its last layer zero, so z' = z at step 0): long training rollouts then start stable. Default true. */
  zeroInitPredictor?: boolean;
  /** VICReg weights { sim, std, cov } (regularizer "vicreg"). Default { sim: 25, std: 25, cov: 1 }. */
  vicreg?: { sim?: number; std?: number; cov?: number };
}

/** Default options of `miniJepa`. */
export const miniJepaDefaults: Required<MiniJepaOptions> = {
  imageSize: 16, embedDim: 32, hidden: [256, 256], actionDim: 2, regularizer: "vicreg", actionScale: 1, zeroInitPredictor: true,
  vicreg: { sim: 25, std: 25, cov: 1 },
};

/** The mini JEPA: a transition JEPA that remembers the options it was built with (saved with it). */
export interface MiniJepa extends TransitionJepa {
  /** The options in use (defaults filled in). */
  readonly options: Required<MiniJepaOptions>;
}

/** The shipped checkpoint (trained by `npm run train`), relative to the package root. */
export const miniJepaCheckpoint = path.join("data", "checkpoints", "mini-jepa.json");

/**
 * Saves a trained mini JEPA for `loadMiniJepa`: its variables and options only (no optimiser state,
 * so the file stays small), plus the training history and anything in `meta` (metrics, recipe).
 */
export async function saveMiniJepa(model: MiniJepa, file: string, extra: { step?: number; history?: Row[]; meta?: Record<string, unknown> } = {}): Promise<void> {
  if (!model || !model.options || typeof model.stateVariables !== "function") throw new TypeError("saveMiniJepa: model must be built by miniJepa()");
  await saveCheckpoint(file, {
    model: model.name, step: extra.step ?? 0, variables: model.stateVariables(), history: extra.history ?? [],
    meta: { ...extra.meta, options: model.options },
  });
}

/**
 * A trained mini JEPA from a checkpoint (default: the shipped one), rebuilt with the options saved
 * in it (`meta.options`). Random streams are left as they are.
 */
export async function loadMiniJepa(file: string = miniJepaCheckpoint): Promise<MiniJepa> {
  const model = miniJepa(savedOptions(readCheckpoint(file).meta.options));
  await loadCheckpoint(file, model.stateVariables!(), { restoreRandom: false });
  return model;
}

/** Saved options, with the names of checkpoints written before lib/README.md's vocabulary (latentDim, hidden: number, regulariser). */
function savedOptions(saved: unknown): MiniJepaOptions {
  const { latentDim, hidden, regulariser, ...rest } = (saved ?? {}) as MiniJepaOptions & { latentDim?: number; regulariser?: Regularizer; hidden?: number | number[] };
  return {
    ...rest,
    ...(latentDim !== undefined && rest.embedDim === undefined ? { embedDim: latentDim } : {}),
    ...(regulariser !== undefined && rest.regularizer === undefined ? { regularizer: regulariser } : {}),
    ...(hidden !== undefined ? { hidden: typeof hidden === "number" ? [hidden, hidden] : hidden } : {}),
  };
}
