/**
 * A world model in pixel space: the generative counterpart of the mini JEPA. Same action-conditioned
 * predictor (`actionPredictor`), but its "latent" is the image itself, S×S pixels flattened, and it
 * is trained to predict the next image's pixels. Introduced in notebooks/06-planning.ipynb, where the
 * same planner searches actions with it (cost = pixel distance to the goal image) beside the JEPA.
 *
 * A batch is a set of short trajectories, as for `transitionJepa`: obs [B, T+1, S, S, 1], actions
 * [B, T, A]. With x_t = the flattened image o_t and the predictor unrolled open-loop from x_0
 * (x̂_1 = pred(x_0, a_0), x̂_{t+1} = pred(x̂_t, a_t)):
 *   loss = predError = mean over b, t of ||x̂_t - x_t||² / S²,   t = 1..T
 * No encoder to learn and nothing can collapse: the targets are the pixels. `encode` only flattens,
 * so the model has the JEPA's planning interface (`encode`, `predict`) and the planners in lib/plan
 * use it unchanged, with D = S² pixels.
 *
 * Choosing the defaults (Two Rooms 16×16, the mini JEPA's 3000 training episodes, seed 1, batch 64;
 * held-out pixel MSE of the open-loop rollout at 1 / 5 / 10 / 20 steps; copying the first frame
 * scores 4.3e-3 / 1.13e-2 / 1.12e-2 / 1.14e-2):
 *   actionScale 1,    window 12, 2000 steps:            3.5e-3 / 3.8e-3 / 3.5e-3 / 3.7e-3 (a blur that hardly moves)
 *   actionScale 12.5, window 1,  3000 steps:            1.2e-3 / 4.4e-3 / 7.9e-3 / 1.6e-2 (one step good, rollouts drift)
 *   actionScale 12.5, window 1,  3000 steps, [512, 512]: 6.2e-4 / 2.5e-3 / 4.7e-3 / 9.2e-3 (3x the training time)
 *   actionScale 12.5, window 4,  3000 steps:            1.6e-3 / 2.1e-3 / 2.9e-3 / 4.6e-3 (notebook 06's recipe)
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance } from "../losses/latent-distance";
import { checkNumber, checkShape, withDefaults } from "../check";
import { actionPredictor } from "./action-predictor";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";
import { rollout } from "./rollout";
import type { TrajectoryBatch } from "./transition-jepa";

/** Options of `pixelWorldModel`. */
export interface PixelWorldModelOptions {
  /** Side S of the square grey images. Default 16. */
  imageSize?: number;
  /** Action size A. Default 2 (dx, dy). */
  actionDim?: number;
  /** Hidden layer sizes of the predictor. Default [256, 256] (the mini JEPA's). */
  hidden?: number[];
  /** Actions are multiplied by this before entering the predictor, so they weigh like pixels in [0, 1] (Two Rooms moves are at most 0.08: 12.5 maps them to [-1, 1]). Callers pass raw actions. Default 12.5 (measured: see the file header). */
  actionScale?: number;
  /** Start the predictor at "no change" (last layer zero, so x̂_{t+1} = x_t at step 0). Default true. */
  zeroInitPredictor?: boolean;
}

/** Default options of `pixelWorldModel`. */
export const pixelWorldModelDefaults: Required<PixelWorldModelOptions> = {
  imageSize: 16, actionDim: 2, hidden: [256, 256], actionScale: 12.5, zeroInitPredictor: true,
};

/** The pixel world model: `train(model, ...)` trains it; `encode`, `predict`, `decode` use it. */
export interface PixelWorldModel extends Model<TrajectoryBatch> {
  /** The options in use (defaults filled in); saved with a checkpoint's meta by the caller if wanted. */
  readonly options: Required<PixelWorldModelOptions>;
  /** The predictor: (x [B, S²], a [B, A]) -> x + f(x, a) [B, S²]. */
  readonly predictor: Module<[tf.Tensor, tf.Tensor]>;
  /** Images [B, S, S, 1] -> their pixels, flattened [B, S²] (the model's "latent"). */
  encode(obs: tf.Tensor): tf.Tensor2D;
  /** One predicted step in pixel space: x [B, S²], a [B, A] -> [B, S²]. */
  predict(x: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D;
  /** Flattened pixels [B, S²] (or [B, T, S²]) back to images [B, S, S, 1] (or [B, T, S, S, 1]). */
  decode(x: tf.Tensor): tf.Tensor;
}

/** Builds the pixel world model (residual MLP predictor on S² pixels and the action). */
export function pixelWorldModel(opts: PixelWorldModelOptions = {}): PixelWorldModel {
  const where = "pixelWorldModel";
  const o = withDefaults(pixelWorldModelDefaults, opts, where);
  const S = checkNumber(where, "opts.imageSize", o.imageSize, { min: 1, integer: true });
  const A = checkNumber(where, "opts.actionDim", o.actionDim, { min: 1, integer: true });
  if (!Array.isArray(o.hidden) || o.hidden.length === 0) throw new TypeError(`${where}: opts.hidden must be a non-empty number[] of layer sizes (e.g. [256, 256]), received ${JSON.stringify(o.hidden)}`);
  const predictor = actionPredictor({ embedDim: S * S, actionDim: A, hidden: o.hidden, name: "pixel-predictor" });
  if (o.zeroInitPredictor) tf.tidy(() => predictor.variables().slice(-2).forEach((v) => v.assign(tf.zerosLike(v)))); // last layer [w, b]
  const flatten = (obs: tf.Tensor) => {
    checkShape(`${where}.encode`, "obs", obs, [null, S, S, 1]);
    return obs.reshape([obs.shape[0], S * S]) as tf.Tensor2D; // [B, S²]
  };
  checkNumber(where, "opts.actionScale", o.actionScale, { min: 0, exclusiveMin: true });
  const predict = (x: tf.Tensor2D, a: tf.Tensor2D) => predictor.apply(x, tf.mul(a, o.actionScale)) as tf.Tensor2D; // [B, S²]
  return {
    name: "pixel-world-model",
    options: o,
    predictor,
    encode: (obs) => tf.tidy(() => flatten(obs)),
    predict: (x, a) => tf.tidy(() => predict(x, a)),
    decode: (x) => tf.tidy(() => x.reshape([...x.shape.slice(0, -1), S, S, 1])),
    forward(batch: TrajectoryBatch): ForwardResult {
      const obs = batch?.obs;
      const actions = batch?.actions;
      if (!(obs instanceof tf.Tensor) || obs.rank !== 5 || obs.shape[1]! < 2) {
        throw new Error(`${where}.forward: batch.obs must be [B, T+1, ${S}, ${S}, 1] with T+1 >= 2, received ${obs instanceof tf.Tensor ? `[${obs.shape.join(", ")}]` : typeof obs}`);
      }
      const { B, T1 } = checkShape(`${where}.forward`, "batch.obs", obs, ["B", "T1", S, S, 1]);
      checkShape(`${where}.forward`, "batch.actions", actions, [B, T1 - 1, A]);
      const x = obs.reshape([B, T1, S * S]); // [B, T+1, S²]
      const x0 = x.slice([0, 0, 0], [B, 1, S * S]).reshape([B, S * S]) as tf.Tensor2D; // [B, S²]
      const pred = rollout(predict, x0, actions as tf.Tensor3D); // [B, T, S²]
      const target = x.slice([0, 1, 0], [B, T1 - 1, S * S]); // [B, T, S²]
      const predError = latentDistance(pred, target, { validate: false });
      return { loss: predError, predError };
    },
    variables: () => predictor.variables(),
    dispose: () => predictor.dispose(),
  };
}
