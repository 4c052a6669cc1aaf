/**
 * Sliding windows over clips: every run of k consecutive frames, as a short clip of its own.
 * Introduced in notebooks/07-video-jepa-and-surprise.ipynb, where the masked video JEPA reads
 * windows of k = 4 frames and its surprise at frame t is measured on the window that ends at t.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../check";

/** The windows of a batch of clips, clip-major (all windows of clip 0, then clip 1, ...). */
export interface FrameWindows {
  /** Window i holds frames time[i]-k+1 .. time[i] of clip clip[i]. [N * (T - k + 1), k, H, W, C]. */
  windows: tf.Tensor5D;
  /** The newest frame of each window. */
  time: number[];
  /** The clip of each window. */
  clip: number[];
}

/** All windows of k frames of clips [N, T, H, W, C] (1 <= k <= T). The caller disposes `windows`. */
export function frameWindows(clips: tf.Tensor5D, k: number): FrameWindows {
  const where = "frameWindows";
  checkShape(where, "clips", clips, [null, null, null, null, null]);
  const [N, T, H, W, C] = clips.shape;
  checkNumber(where, "k", k, { min: 1, max: T, integer: true });
  const windows = tf.tidy(() => {
    const starts = Array.from({ length: T - k + 1 }, (_, s) => clips.slice([0, s], [N, k])); // each [N, k, H, W, C]
    return tf.stack(starts, 1).reshape([N * starts.length, k, H, W, C]) as tf.Tensor5D; // clip-major
  });
  const time: number[] = [];
  const clip: number[] = [];
  for (let n = 0; n < N; n++) for (let t = k - 1; t < T; t++) { time.push(t); clip.push(n); }
  return { windows, time, clip };
}
