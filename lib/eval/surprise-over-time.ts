/**
 * Surprise along whole clips: at every frame t, the video model predicts the newest frame of the
 * window that ends at t from the frames before it, and `surprise` scores that prediction.
 * Introduced in notebooks/07-video-jepa-and-surprise.ipynb, where it spikes at teleports and
 * vanishings.
 */
import * as tf from "@tensorflow/tfjs";
import { frameWindows } from "../data/frame-windows";
import { checkNumber, checkShape } from "../check";
import { surprise, SurpriseOptions } from "./surprise";

/** A model that predicts the embeddings of a window's newest frame (e.g. `maskedVideoJepa`). */
export interface SurpriseModel {
  /** k, the frames per window. */
  options: { frames: number };
  /** clips [B, k, H, W, C] -> prediction and target [B, R, D] for the R regions of the newest frame. */
  predictNext(clips: tf.Tensor): { prediction: tf.Tensor; target: tf.Tensor };
}

/** Options of `surpriseOverTime`: those of `surprise`, plus how many windows go through the model at once. */
export interface SurpriseOverTimeOptions extends SurpriseOptions {
  /** Windows per call of the model (bounds memory). Default 256. */
  batchSize?: number;
}

/**
 * Surprise per clip and frame: clips [N, T, H, W, C] -> number[N][T]; entry t scores the window
 * of frames t-k+1..t (NaN for the first k-1 frames, which have no full window).
 */
export function surpriseOverTime(model: SurpriseModel, clips: tf.Tensor5D, opts: SurpriseOverTimeOptions = {}): number[][] {
  const where = "surpriseOverTime";
  checkShape(where, "clips", clips, [null, null, null, null, null]);
  const { batchSize = 256, ...scoring } = opts;
  checkNumber(where, "opts.batchSize", batchSize, { min: 1, integer: true });
  const [N, T] = clips.shape;
  const k = model.options.frames;
  if (T < k) throw new Error(`${where}: clips must have at least k = ${k} frames, received T = ${T}`);
  const w = frameWindows(clips, k);
  const values: number[] = [];
  try {
    for (let i = 0; i < w.time.length; i += batchSize) {
      const n = Math.min(batchSize, w.time.length - i);
      const s = tf.tidy(() => {
        const { prediction, target } = model.predictNext(w.windows.slice(i, n));
        return surprise(prediction, target, scoring).dataSync();
      });
      values.push(...Array.from(s));
    }
  } finally {
    w.windows.dispose();
  }
  const out = Array.from({ length: N }, () => new Array<number>(T).fill(NaN));
  values.forEach((v, j) => { out[w.clip[j]][w.time[j]] = v; });
  return out;
}
