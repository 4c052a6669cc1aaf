/**
 * `Conv2DBackpropFilter` for the wasm backend, which ships none (so `tf.conv2d` could not train).
 * See ../wasm-training-kernels.ts; the backend is chosen in notebooks/00-setup.ipynb.
 *
 * The filter gradient is itself a convolution, run on XNNPACK through the stock `Conv2D` kernel:
 *   dW[kh, kw, ci, co] = sum_{b, oh, ow} x[b, oh*s + kh - pad, ow*s + kw - pad, ci] * dy[b, oh, ow, co]
 * Treat input channels as the batch and the batch as input channels:
 *   x' = x^T [Ci, H, W, B],  filter' = dy [OH, OW, B, Co],  dilation = stride, stride 1
 *   dW' = conv(x', filter') [Ci, KH, KW, Co]  ->  transpose to [KH, KW, Ci, Co].
 */
import * as tf from "@tensorflow/tfjs";
import { Info, KernelImpl, release, run, transpose } from "./wasm-kernel-utils";

/** Attributes tfjs-core passes to `Conv2DBackpropFilter`. */
interface Attrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  filterShape: [number, number, number, number];
}

/** `Conv2DBackpropFilter` kernel: inputs `x: [B, H, W, Ci]`, `dy: [B, OH, OW, Co]` -> `[KH, KW, Ci, Co]`. */
export const conv2dBackpropFilter: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x, dy } = inputs as { x: Info; dy: Info };
  const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Attrs;
  if (dataFormat === "NCHW") {
    throw new Error("Conv2DBackpropFilter (wasm): only dataFormat 'NHWC' (channelsLast) is supported, received 'NCHW'");
  }
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode, false, "channelsLast");
  const { inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, filterHeight: KH, filterWidth: KW } = info;
  const { strideHeight: sH, strideWidth: sW, padInfo } = info;
  // Rows of x the gradient reads: top padding, then (OH-1)*sH + KH rows in all.
  const needH = (OH - 1) * sH + KH - padInfo.top; // rows from x[0] (plus bottom padding if > H)
  const needW = (OW - 1) * sW + KW - padInfo.left;
  const temps: Info[] = [];
  let xs = x;
  if (needH < H || needW < W) {
    xs = run(backend, "Slice", { x }, { begin: [0, 0, 0, 0], size: [-1, Math.min(H, needH), Math.min(W, needW), -1] });
    temps.push(xs);
  }
  const xT = transpose(backend, xs, [3, 1, 2, 0]); // [Ci, H', W', B]
  const dyT = transpose(backend, dy, [1, 2, 0, 3]); // [OH, OW, B, Co]
  temps.push(xT, dyT);
  const padBottom = Math.max(0, needH - H), padRight = Math.max(0, needW - W);
  const dwT = run(backend, "Conv2D", { x: xT, filter: dyT }, {
    strides: [1, 1], dilations: [sH, sW], dataFormat: "NHWC", dimRoundingMode: undefined,
    pad: [[0, 0], [padInfo.top, padBottom], [padInfo.left, padRight], [0, 0]],
  }); // [Ci, KH, KW, Co]
  temps.push(dwT);
  const dw = transpose(backend, dwT, [1, 2, 0, 3]); // [KH, KW, Ci, Co]
  release(backend, ...temps);
  return dw;
};
