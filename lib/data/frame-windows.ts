/**
 * Sliding windows over clips: k consecutive frames stacked as channels, and the window one step
 * later. Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../check";

/** Windows of k frames: `context[i]` holds frames t-k+1..t, `next[i]` frames t-k+2..t+1. */
export interface FrameWindows {
  /** [N * (T - k), H, W, k]. */
  context: tf.Tensor4D;
  /** [N * (T - k), H, W, k]. */
  next: tf.Tensor4D;
  /** The time t+1 of the newest frame in `next`, per window (same order). */
  time: number[];
  /** The clip of each window. */
  clip: number[];
}

/** All windows of clips [N, T, H, W, 1] (T > k). */
export function frameWindows(clips: tf.Tensor5D, k: number): FrameWindows {
  const where = "frameWindows";
  checkShape(where, "clips", clips, [null, null, null, null, 1]);
  const [N, T, H, W] = clips.shape;
  checkNumber(where, "k", k, { min: 1, max: T - 1, integer: true });
  const time: number[] = [];
  const clip: number[] = [];
  const [context, next] = tf.tidy(() => {
    const frames = clips.reshape([N, T, H, W]).transpose([0, 2, 3, 1]) as tf.Tensor4D; // [N, H, W, T]
    const ctx: tf.Tensor4D[] = [];
    const nxt: tf.Tensor4D[] = [];
    for (let t = k - 1; t < T - 1; t++) {
      ctx.push(frames.slice([0, 0, 0, t - k + 1], [N, H, W, k]));
      nxt.push(frames.slice([0, 0, 0, t - k + 2], [N, H, W, k]));
    }
    // order: clip-major (all windows of clip 0, then clip 1, ...)
    const stackClipMajor = (ws: tf.Tensor4D[]) => tf.stack(ws, 1).reshape([N * ws.length, H, W, k]) as tf.Tensor4D;
    return [stackClipMajor(ctx), stackClipMajor(nxt)];
  });
  for (let n = 0; n < N; n++) for (let t = k - 1; t < T - 1; t++) { time.push(t + 1); clip.push(n); }
  return { context, next, time, clip };
}
