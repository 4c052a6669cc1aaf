/**
 * The generative baseline's output head: a vector to an image with values in [0, 1]. Used by
 * `nextFramePredictor` (first in notebooks/01-autoregressive-contrast.ipynb).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { mlp } from "./mlp";
import { Module } from "./module";

/** Options of `pixelDecoder`. */
export interface PixelDecoderOptions {
  /** Input vector size. Required. */
  inDim: number;
  /** Output image shape [H, W, C]. Required. */
  outShape: [number, number, number];
  /** Hidden layer sizes. Default [256]. */
  hidden?: number[];
  /** Variable name prefix. Default "decoder". */
  name?: string;
}

/** Default options of `pixelDecoder`. */
export const pixelDecoderDefaults = { hidden: [256], name: "decoder" };

/** `apply(v: [B, inDim]) -> images [B, H, W, C]` in [0, 1] (sigmoid output). */
export function pixelDecoder(opts: PixelDecoderOptions): Module {
  const { inDim, outShape, hidden, name } = withDefaults(pixelDecoderDefaults, opts, "pixelDecoder");
  checkNumber("pixelDecoder", "opts.inDim", inDim, { min: 1, integer: true });
  if (!Array.isArray(outShape) || outShape.length !== 3) throw new Error(`pixelDecoder: opts.outShape must be [H, W, C], received ${JSON.stringify(outShape)}`);
  const [H, W, C] = outShape;
  const net = mlp([inDim, ...hidden, H * W * C], { finalActivation: "sigmoid", name });
  return {
    name,
    apply: (v: tf.Tensor) => net.apply(v).reshape([v.shape[0], H, W, C]),
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}
