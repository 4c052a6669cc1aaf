/**
 * A small convolutional encoder: images to embedding vectors. No lesson uses it
 * now: a starting point for your own image encoder (notebook 04 encodes a grid of patches instead).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { Activation, activate, checkActivation } from "./activation";
import { conv2d } from "./conv2d";
import { linear } from "./linear";
import { Module } from "./module";

/** Options of `convEncoder`. */
export interface ConvEncoderOptions {
  /** Input image shape [H, W, C]. Required. */
  inputShape: [number, number, number];
  /** Embedding width D. Default 32. */
  embedDim?: number;
  /** Channels of each conv layer. Default [16, 32]. */
  channels?: number[];
  /** Stride of each conv layer (same length as channels). Default 2 for every layer. */
  strides?: number[];
  /** Kernel size. Default 3. */
  kernel?: number;
  /** Activation after each conv. Default "relu". */
  activation?: Activation;
  /** Variable name prefix. Default "convEncoder". */
  name?: string;
}

/** Default options of `convEncoder` (inputShape has no default). */
export const convEncoderDefaults = { embedDim: 32, channels: [16, 32], kernel: 3, activation: "relu" as Activation, name: "convEncoder" };

/** `apply(images: [B, H, W, C]) -> [B, D]`: convs, flatten, linear. */
export function convEncoder(opts: ConvEncoderOptions): Module {
  const o = withDefaults(convEncoderDefaults, opts, "convEncoder");
  if (!Array.isArray(o.inputShape) || o.inputShape.length !== 3) throw new Error(`convEncoder: opts.inputShape must be [H, W, C], received ${JSON.stringify(o.inputShape)}`);
  o.inputShape.forEach((d, i) => checkNumber("convEncoder", `opts.inputShape[${i}]`, d, { min: 1, integer: true }));
  checkNumber("convEncoder", "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkActivation("convEncoder", "opts.activation", o.activation);
  const strides = o.strides ?? o.channels.map(() => 2);
  if (strides.length !== o.channels.length) throw new Error(`convEncoder: opts.strides must have ${o.channels.length} entries (one per channel count), received ${strides.length}`);
  const [H, W, C] = o.inputShape;
  const convs = o.channels.map((ch, i) => conv2d(i === 0 ? C : o.channels[i - 1], ch, { kernel: o.kernel, stride: strides[i], name: `${o.name}/c${i}` }));
  const outH = strides.reduce((h, s) => Math.ceil(h / s), H);
  const outW = strides.reduce((w, s) => Math.ceil(w / s), W);
  const head = linear(outH * outW * o.channels[o.channels.length - 1], o.embedDim, { name: `${o.name}/head`, init: "glorot" });
  return {
    name: o.name,
    apply(x: tf.Tensor) {
      checkShape(o.name, "images", x, [null, H, W, C]);
      let h = x;
      for (const c of convs) h = activate(c.apply(h), o.activation);
      return head.apply(h.reshape([x.shape[0], -1])); // [B, D]
    },
    variables: () => [...convs.flatMap((c) => c.variables()), ...head.variables()],
    dispose: () => [...convs, head].forEach((m) => m.dispose()),
  };
}
