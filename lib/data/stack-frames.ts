/**
 * Stacking consecutive frames as channels, so one observation shows motion (a single frame shows
 * where the dot is, two frames also show where it is going). Introduced in
 * notebooks/01-autoregressive-contrast.ipynb (the pixel predictor and the JEPA both see two frames).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../check";

/**
 * frames [N, T, H, W, 1] -> [N, T-k+1, H, W, k]: observation t holds frames t .. t+k-1 as channels
 * (the newest last). Its state is the state of its newest frame: `states.slice([0, k - 1])`.
 * Caller disposes.
 */
export function stackFrames(frames: tf.Tensor, k = 2): tf.Tensor5D {
  const where = "stackFrames";
  if (!(frames instanceof tf.Tensor) || frames.rank !== 5 || frames.shape[4] !== 1) {
    throw new Error(`${where}: frames must be a tf.Tensor [N, T, H, W, 1], received ${frames instanceof tf.Tensor ? `[${frames.shape.join(", ")}]` : typeof frames}`);
  }
  const [N, T] = frames.shape as number[];
  checkNumber(where, "k", k, { min: 1, max: T, integer: true });
  return tf.tidy(() => {
    const views = Array.from({ length: k }, (_, j) => frames.slice([0, j], [N, T - k + 1]));
    return tf.concat(views, 4) as tf.Tensor5D; // [N, T-k+1, H, W, k]
  });
}
