/**
 * Reading a position out of an image: the intensity-weighted centre of its bright blob. The probe
 * of the pixel model in notebooks/01-autoregressive-contrast.ipynb (a predicted frame -> where the
 * dot is), chosen to be generous to that model: it needs no training, ignores a uniform grey
 * background, and on real noisy frames is accurate to a fraction of a pixel.
 *
 * Per image: threshold = (mean + max) / 2; weights = max(pixel - threshold, 0); position = weighted
 * mean of the pixel centres, x = (col + 0.5) / W, y = 1 - (row + 0.5) / H (y up, as the worlds draw).
 * A flat image (max = mean) gives the centre (0.5, 0.5).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../check";

/** Options of `brightCentroid`. */
export interface BrightCentroidOptions {
  /** For [N, H, W, C] input: the channel to read. Default C - 1 (the newest of stacked frames). */
  channel?: number;
}

/** Positions (x, y) of the bright blob of each image: [N, H, W] or [N, H, W, C] -> [N, 2]. Caller disposes. */
export function brightCentroid(images: tf.Tensor, opts: BrightCentroidOptions = {}): tf.Tensor2D {
  const where = "brightCentroid";
  if (!(images instanceof tf.Tensor) || (images.rank !== 3 && images.rank !== 4)) {
    throw new Error(`${where}: images must be a tf.Tensor [N, H, W] or [N, H, W, C], received ${images instanceof tf.Tensor ? `[${images.shape.join(", ")}]` : typeof images}`);
  }
  const [N, H, W] = images.shape;
  const C = images.rank === 4 ? images.shape[3]! : 1;
  const channel = opts.channel ?? C - 1;
  checkNumber(where, "opts.channel", channel, { min: 0, max: C - 1, integer: true });
  return tf.tidy(() => {
    const img = (images.rank === 4 ? images.slice([0, 0, 0, channel], [N, H, W, 1]) : images).reshape([N, H * W]); // [N, H*W]
    const threshold = tf.add(img.mean(1, true), img.max(1, true)).div(2); // [N, 1]
    const w = tf.relu(tf.sub(img, threshold)).reshape([N, H, W]);
    const total = w.sum([1, 2]); // [N]
    const cols = tf.range(0, W).add(0.5).div(W); // x of each column
    const rows = tf.scalar(1).sub(tf.range(0, H).add(0.5).div(H)); // y of each row
    const flat = total.equal(0);
    const safe = tf.where(flat, tf.onesLike(total), total);
    const x = tf.where(flat, tf.fill([N], 0.5), w.sum(1).mul(cols).sum(1).div(safe));
    const y = tf.where(flat, tf.fill([N], 0.5), w.sum(2).mul(rows).sum(1).div(safe));
    return tf.stack([x, y], 1) as tf.Tensor2D; // [N, 2]
  });
}
