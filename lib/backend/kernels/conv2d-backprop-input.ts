/**
 * `Conv2DBackpropInput` for the wasm backend (see ../wasm-training-kernels.ts; the backend is chosen
 * in notebooks/00-setup.ipynb). The stock kernel is a scalar loop; this one is a convolution on
 * XNNPACK through the stock `Conv2D` kernel:
 *   dx = conv(zeroInsert(dy, stride), rot180(W) with in/out channels swapped), stride 1,
 * padded so the result has the input's height and width.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, KernelImpl, release, reshape, run, transpose } from "./wasm-kernel-utils";

/** Attributes tfjs-core passes to `Conv2DBackpropInput`. */
interface Attrs {
  strides: [number, number] | number;
  pad: "valid" | "same" | number | tf.backend_util.ExplicitPadding;
  dataFormat: "NHWC" | "NCHW";
  dimRoundingMode?: "floor" | "round" | "ceil";
  inputShape: [number, number, number, number];
}

/** `Conv2DBackpropInput` kernel: inputs `dy: [B, OH, OW, Co]`, `filter: [KH, KW, Ci, Co]` -> `[B, H, W, Ci]`. */
export const conv2dBackpropInput: KernelImpl = ({ inputs, backend, attrs }) => {
  const { dy, filter } = inputs as { dy: Info; filter: Info };
  const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Attrs;
  if (dataFormat === "NCHW") {
    throw new Error("Conv2DBackpropInput (wasm): only dataFormat 'NHWC' (channelsLast) is supported, received 'NCHW'");
  }
  const info = tf.backend_util.computeConv2DInfo(
    inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode, false, "channelsLast");
  const { batchSize: B, inHeight: H, inWidth: W, outHeight: OH, outWidth: OW, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW, padInfo } = info;
  const top = KH - 1 - padInfo.top, left = KW - 1 - padInfo.left;
  if (top < 0 || left < 0) return run(backend, "Conv2DBackpropInput", inputs as never, attrs); // padding wider than the filter
  const temps: Info[] = [];
  // Flipped filter, channels swapped: [KH, KW, Co, Ci].
  const rev = run(backend, "Reverse", { x: filter }, { dims: [0, 1] });
  const wT = transpose(backend, rev, [0, 1, 3, 2]);
  temps.push(rev, wT);
  // dy with stride-1 zeros between rows/columns: [B, OH*sH, OW*sW, Co] (trailing zeros included).
  let dyz = dy;
  if (sH > 1 || sW > 1) {
    const d6 = reshape(backend, dy, [B, OH, 1, OW, 1, Co]);
    const padded = run(backend, "PadV2", { x: d6 }, {
      paddings: [[0, 0], [0, 0], [0, sH - 1], [0, 0], [0, sW - 1], [0, 0]], constantValue: 0,
    });
    dyz = reshape(backend, padded, [B, OH * sH, OW * sW, Co]);
    temps.push(d6, padded, dyz);
  }
  // The dilated dy has (OH-1)*sH+1 meaningful rows; pad so the output has H rows.
  const bottom = H + KH - 1 - ((OH - 1) * sH + 1) - top - (sH - 1); // minus the trailing zero rows present
  const right = W + KW - 1 - ((OW - 1) * sW + 1) - left - (sW - 1);
  let src = dyz;
  if (bottom < 0 || right < 0) {
    src = run(backend, "Slice", { x: dyz }, {
      begin: [0, 0, 0, 0], size: [-1, dyz.shape[1] + Math.min(0, bottom), dyz.shape[2] + Math.min(0, right), -1],
    });
    temps.push(src);
  }
  const dx = run(backend, "Conv2D", { x: src, filter: wT }, {
    strides: [1, 1], dilations: [1, 1], dataFormat: "NHWC", dimRoundingMode: undefined,
    pad: [[0, 0], [top, Math.max(0, bottom)], [left, Math.max(0, right)], [0, 0]],
  });
  release(backend, ...temps);
  return dx;
};
