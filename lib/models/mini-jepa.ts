/**
 * The mini JEPA of notebook 03: an MLP encoder of Two Rooms images and an action-conditioned
 * predictor, trained with VICReg. Built here once so notebooks 03, 06, 08, `npm run train` and the
 * benchmark use the same model. Introduced in notebooks/03-mini-jepa.ipynb.
 */
import * as path from "path";
import { readCheckpoint, loadCheckpoint } from "../train/checkpoint";
import { actionPredictor } from "./action-predictor";
import { mlp } from "./mlp";
import { Regulariser, transitionJepa, TransitionJepa } from "./transition-jepa";

/** Options of `miniJepa`. */
export interface MiniJepaOptions {
  /** Image side of the Two Rooms renders. Default 16. */
  imageSize?: number;
  /** Embedding size D. Default 32. */
  latentDim?: number;
  /** Hidden width of encoder and predictor. Default 256. */
  hidden?: number;
  /** Action size. Default 2 (dx, dy). */
  actionDim?: number;
  /** Anti-collapse method. Default "vicreg". */
  regulariser?: Regulariser;
}

/** Default options of `miniJepa`. */
export const miniJepaDefaults: Required<MiniJepaOptions> = { imageSize: 16, latentDim: 32, hidden: 256, actionDim: 2, regulariser: "vicreg" };

/** The shipped checkpoint (trained by `npm run train`), relative to the package root. */
export const miniJepaCheckpoint = path.join("data", "checkpoints", "mini-jepa.json");

/** Builds the model: encoder [B, S, S, 1] -> [B, D] (MLP 256-256), predictor (z, a) -> z'. */
export function miniJepa(opts: MiniJepaOptions = {}): TransitionJepa {
  const o = { ...miniJepaDefaults, ...opts };
  const encoderOf = (name: string) => mlp([o.imageSize * o.imageSize, o.hidden, o.hidden, o.latentDim], { name });
  return transitionJepa({
    encoder: encoderOf("encoder"),
    targetEncoder: o.regulariser === "ema" ? encoderOf("target") : undefined,
    predictor: actionPredictor({ latentDim: o.latentDim, actionDim: o.actionDim, hidden: [o.hidden, o.hidden] }),
    regulariser: o.regulariser,
  });
}

/**
 * A trained mini JEPA from a checkpoint (default: the shipped one), rebuilt with the options saved
 * in it (`meta.options`). Random streams are left as they are.
 */
export async function loadMiniJepa(file: string = miniJepaCheckpoint): Promise<TransitionJepa> {
  const saved = (readCheckpoint(file).meta.options ?? {}) as MiniJepaOptions;
  const model = miniJepa(saved);
  await loadCheckpoint(file, model.stateVariables!(), { restoreRandom: false });
  return model;
}
