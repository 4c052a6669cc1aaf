/**
 * Patch-grid masks to pixel masks: [B, gridH, gridW] (1 = masked) -> [B, H, W, 1] by nearest-
 * neighbour upsampling. Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../check";

/** Upsamples a grid mask [B, gh, gw] to pixels [B, H, W, 1] (H, W multiples of gh, gw). */
export function gridToPixelMask(grid: tf.Tensor3D, height: number, width = height): tf.Tensor4D {
  const where = "gridToPixelMask";
  checkShape(where, "grid", grid, [null, null, null]);
  checkNumber(where, "height", height, { min: 1, integer: true });
  checkNumber(where, "width", width, { min: 1, integer: true });
  const [, gh, gw] = grid.shape;
  if (height % gh || width % gw) throw new Error(`${where}: height ${height} and width ${width} must be multiples of the grid [${gh}, ${gw}]`);
  return tf.tidy(() => tf.image.resizeNearestNeighbor(grid.expandDims(3) as tf.Tensor4D, [height, width]));
}
