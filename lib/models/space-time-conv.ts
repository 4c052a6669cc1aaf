/**
 * A residual space-time convolution block over a token grid [Tt, G, G] (time, rows, columns):
 * every token sees its 3x3 spatial neighbourhood at every time step of the clip. Introduced in
 * notebooks/07-video-jepa-and-surprise.ipynb (the masked video JEPA's predictor).
 *
 *   x <- keep * (x + Unfold(Conv1x1(ReLU(Conv3x3(Fold(LN(keep * x)))))))
 * Fold lays the tokens [B, Tt*G*G, D] out as an image [B, G, G, Tt*D] (the times of a patch side by
 * side as channels); Unfold is its inverse. `keep` [B, N] (1 = visible) zeroes hidden tokens before
 * and after, so they add nothing to any other token.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, checkSizes } from "../check";
import { conv2d } from "./conv2d";
import { normalizeFeatures } from "./mlp";
import { Module } from "./module";

/** Options of `spaceTimeConv`. */
export interface SpaceTimeConvOptions {
  /** Hidden channels as a multiple of Tt*D. Default 1. */
  ratio?: number;
  /** Spatial kernel side. Default 3. */
  kernel?: number;
  /** Variable name prefix. Default "stconv". */
  name?: string;
}

/** `apply(x [B, N, D], keep? [B, N]) -> [B, N, D]`. */
export interface SpaceTimeConv extends Module {
  apply(x: tf.Tensor, keep?: tf.Tensor): tf.Tensor;
}

export function spaceTimeConv(grid: [number, number, number], dim: number, opts: SpaceTimeConvOptions = {}): SpaceTimeConv {
  const where = "spaceTimeConv";
  const [Tt, G, G2] = checkSizes(where, "grid", grid, 3);
  const D = checkNumber(where, "dim", dim, { min: 1, integer: true });
  const name = opts.name ?? "stconv";
  const C = Tt * D;
  const hidden = Math.max(1, Math.round(C * (opts.ratio ?? 1)));
  const c1 = conv2d(C, hidden, { kernel: opts.kernel ?? 3, name: `${name}/conv` });
  const c2 = conv2d(hidden, C, { kernel: 1, name: `${name}/mix` });
  const N = Tt * G * G2;
  return {
    name,
    apply(x: tf.Tensor, keep?: tf.Tensor) {
      const { B } = checkShape(name, "x", x, ["B", N, D]);
      const k = keep ? keep.expandDims(2) : null;
      const hide = (t: tf.Tensor) => (k ? tf.mul(t, k) : t);
      const img = normalizeFeatures(hide(x)).reshape([B, Tt, G, G2, D]).transpose([0, 2, 3, 1, 4]).reshape([B, G, G2, C]);
      const y = c2.apply(tf.relu(c1.apply(img))); // [B, G, G, Tt*D]
      const back = y.reshape([B, G, G2, Tt, D]).transpose([0, 3, 1, 2, 4]).reshape([B, N, D]);
      return hide(tf.add(x, back));
    },
    variables: () => [...c1.variables(), ...c2.variables()],
    dispose: () => [c1, c2].forEach((m) => m.dispose()),
  };
}
