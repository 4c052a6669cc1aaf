/**
 * A 2-D convolution layer with seeded He initialisation. Used by the patch-grid
 * encoders of notebooks/04-masked-image-jepa.ipynb and the video model of notebook 07.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../random";
import { checkNumber, checkShape, withDefaults } from "../check";
import { ownedVariable } from "./linear";
import { Module } from "./module";

/** Options of `conv2d`. */
export interface Conv2dOptions {
  /** Square kernel size. Default 3. */
  kernel?: number;
  /** Stride in both directions. Default 1. */
  stride?: number;
  /** "same" keeps H, W (divided by the stride); "valid" shrinks them. Default "same". */
  padding?: "same" | "valid";
  /** Variable name prefix. Default "conv". */
  name?: string;
}

/** Default options of `conv2d`. */
export const conv2dDefaults: Required<Conv2dOptions> = { kernel: 3, stride: 1, padding: "same", name: "conv" };

/** `apply(x: [B, H, W, inChannels]) -> [B, H', W', outChannels]` (no activation). */
export function conv2d(inChannels: number, outChannels: number, opts: Conv2dOptions = {}): Module {
  const o = withDefaults(conv2dDefaults, opts, "conv2d");
  checkNumber("conv2d", "inChannels", inChannels, { min: 1, integer: true });
  checkNumber("conv2d", "outChannels", outChannels, { min: 1, integer: true });
  checkNumber("conv2d", "opts.kernel", o.kernel, { min: 1, integer: true });
  checkNumber("conv2d", "opts.stride", o.stride, { min: 1, integer: true });
  const fanIn = o.kernel * o.kernel * inChannels;
  const w = ownedVariable(tf.randomNormal([o.kernel, o.kernel, inChannels, outChannels], 0, Math.sqrt(2 / fanIn), "float32", nextSeed("init")), `${o.name}/w`);
  const b = ownedVariable(tf.zeros([outChannels]), `${o.name}/b`);
  return {
    name: o.name,
    apply(x: tf.Tensor) {
      checkShape(o.name, "x", x, [null, null, null, inChannels]);
      return tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, o.stride, o.padding), b);
    },
    variables: () => [w, b],
    dispose() {
      w.dispose();
      b.dispose();
    },
  };
}
