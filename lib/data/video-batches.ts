/**
 * Training batches for the video JEPA: random (context, next) windows, each with its own tube mask.
 * Introduced inline in notebooks/07-video-jepa-and-surprise.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { randInt, rng } from "../random";
import { checkNumber } from "../check";
import { FrameWindows } from "./frame-windows";
import { tubeMask } from "./masks";
import { gridToPixelMask } from "./pixel-mask";

/** Options of `videoBatches`. */
export interface VideoBatchOptions {
  /** Windows per batch. Default 64. */
  batch?: number;
  /** Hide tube-masked blocks of the context. Default true. */
  mask?: boolean;
  /** Side of the mask grid (the frame side must be a multiple). Default 4. */
  grid?: number;
}

/** A batch function for `train`: `(step) => { context, next, mask? }` drawn from `windows`. */
export function videoBatches(windows: Pick<FrameWindows, "context" | "next">, opts: VideoBatchOptions = {}) {
  const { batch = 64, mask = true, grid = 4 } = opts;
  checkNumber("videoBatches", "opts.batch", batch, { min: 1, integer: true });
  const n = windows.context.shape[0];
  const size = windows.context.shape[1];
  return () => {
    const r = rng("batches");
    const idx = tf.tensor1d(Array.from({ length: batch }, () => randInt(r, n)), "int32");
    const out = { context: tf.gather(windows.context, idx) as tf.Tensor4D, next: tf.gather(windows.next, idx) as tf.Tensor4D };
    if (!mask) return out;
    return { ...out, mask: gridToPixelMask(tubeMask(batch, 1, grid, grid).reshape([batch, grid, grid]) as tf.Tensor3D, size) };
  };
}
