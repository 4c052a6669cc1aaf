/**
 * Training batches for the masked video JEPA: random windows of k frames, each with its mask over
 * the token grid [k / tubelet, G, G]. Every mask hides the newest tubelet time (the model learns to
 * predict what comes next); a share of them also hides a V-JEPA tube (the same spatial blocks at
 * every time step, `tubeMask`). Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { randInt, rng } from "../random";
import { checkNumber, checkShape, withDefaults } from "../check";
import { nextFrameMask, tubeMask, TubeMaskOptions } from "./masks";

/** Options of `videoBatches`. */
export interface VideoBatchOptions {
  /** Windows per batch. Default 32. */
  batchSize: number;
  /** Patch side in pixels: the grid has G = S / patch patches a side. Default 4. */
  patch: number;
  /** Frames per tubelet: the grid has k / tubelet time steps. Default 1. */
  tubelet: number;
  /** Share of examples whose mask also hides a tube (the rest hide only the newest frame). Default 0.5. */
  tubeShare: number;
  /** Options of the tubes (`tubeMask`). Default { numBlocks: 2 }. */
  tube: Partial<TubeMaskOptions>;
  /** Random stream for the window indices and the tube choice. Default "data:video-batches". */
  stream: string;
}

/** Default options of `videoBatches`. */
export const videoBatchDefaults: VideoBatchOptions = {
  batchSize: 32, patch: 4, tubelet: 1, tubeShare: 0.5, tube: { numBlocks: 2 }, stream: "data:video-batches",
};

/**
 * A batch function for `train`: `(step) => { clips [B, k, S, S, 1], mask [B, k / tubelet, G, G] }`
 * drawn from `windows` [W, k, S, S, 1] (e.g. `frameWindows(clips, k).windows`).
 */
export function videoBatches(windows: tf.Tensor5D, opts: Partial<VideoBatchOptions> = {}) {
  const where = "videoBatches";
  checkShape(where, "windows", windows, [null, null, null, null, 1]);
  const o = withDefaults(videoBatchDefaults, opts, where);
  checkNumber(where, "opts.batchSize", o.batchSize, { min: 1, integer: true });
  checkNumber(where, "opts.tubeShare", o.tubeShare, { min: 0, max: 1 });
  const [W, k, S] = windows.shape;
  checkNumber(where, "opts.patch", o.patch, { min: 1, max: S, integer: true });
  checkNumber(where, "opts.tubelet", o.tubelet, { min: 1, max: k, integer: true });
  if (S % o.patch || k % o.tubelet) throw new RangeError(`${where}: the frame side ${S} must be a multiple of opts.patch ${o.patch} and k = ${k} of opts.tubelet ${o.tubelet}`);
  const [Tt, G, B] = [k / o.tubelet, S / o.patch, o.batchSize];
  return () => {
    const r = rng(o.stream);
    const idx = Array.from({ length: B }, () => randInt(r, W));
    const withTube = Array.from({ length: B }, () => (r() < o.tubeShare ? 1 : 0));
    const tubes = tubeMask(B, Tt, G, G, o.tube); // [B, Tt, G, G]
    const mask = tf.tidy(() => {
      const chosen = tf.mul(tubes, tf.tensor1d(withTube).reshape([B, 1, 1, 1]));
      return tf.maximum(chosen, nextFrameMask(B, Tt, G, G)) as tf.Tensor4D; // [B, Tt, G, G], 1 = hidden
    });
    tubes.dispose();
    const at = tf.tensor1d(idx, "int32");
    const clips = tf.gather(windows, at) as tf.Tensor5D; // [B, k, S, S, 1]
    at.dispose();
    return { clips, mask };
  };
}
