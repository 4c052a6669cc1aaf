/**
 * `Conv2D`, `FusedConv2D` and both gradients (`Conv2DBackpropInput`, `Conv2DBackpropFilter`) on
 * oneDNN convolution primitives (see ../native-kernels.ts; the backend is chosen in
 * notebooks/00-setup.ipynb). Activations stay NHWC and filters HWIO on the wasm heap, as tfjs lays
 * them out; oneDNN picks its own filter layout and the addon reorders the (small) filter into it.
 * Primitives are built once per shape and cached in the addon.
 *
 * Falls back to the wasm kernels for NCHW, PReLU, a bias that is not one value per output channel,
 * and paddings oneDNN cannot express (an output size that needs negative padding).
 */
import * as tf from "@tensorflow/tfjs";
import { conv2dBackpropFilter } from "../kernels/conv2d-backprop-filter";
import { conv2dBackpropInput } from "../kernels/conv2d-backprop-input";
import { Info, KernelImpl, WasmBackend, run, sizeOf } from "../kernels/wasm-kernel-utils";
import { activationCode } from "./activation";
import { NativeAddon } from "./addon";
import { heapOf, offsetOf, paramBlock } from "./heap";

type Pad = "valid" | "same" | number | tf.backend_util.ExplicitPadding;
type Rounding = "floor" | "round" | "ceil" | undefined;

/** Attributes tfjs-core passes to the conv kernels (each uses some). */
interface ConvAttrs {
  strides: [number, number] | number;
  pad: Pad;
  dataFormat: "NHWC" | "NCHW";
  dilations?: [number, number] | number;
  dimRoundingMode?: Rounding;
  inputShape?: [number, number, number, number];
  filterShape?: [number, number, number, number];
  activation?: string;
  leakyreluAlpha?: number;
}

/** Which of the three native conv computations. */
const enum Kind { Forward = 0, InputGradient = 1, FilterGradient = 2 }

/** The parameter block of `addon.conv` (layout in native/mini_jepa_native.cc); null when oneDNN cannot express it. */
export function convParams(p: Float64Array, info: tf.backend_util.Conv2DInfo): Float64Array | null {
  const { batchSize: B, inHeight: H, inWidth: W, inChannels: Ci, outHeight: OH, outWidth: OW, outChannels: Co } = info;
  const { filterHeight: KH, filterWidth: KW, strideHeight: sH, strideWidth: sW, dilationHeight: dH, dilationWidth: dW } = info;
  const { top, left } = info.padInfo;
  // oneDNN wants OH = floor((H + top + bottom - span) / stride) + 1: the padding that reaches the last
  // window ("same" pads past the end), none when rows are left over (fewer than a stride: "valid").
  const bottom = Math.max(0, (OH - 1) * sH + (KH - 1) * dH + 1 - H - top);
  const right = Math.max(0, (OW - 1) * sW + (KW - 1) * dW + 1 - W - left);
  if (top < 0 || left < 0 || !fits(H, KH, dH, sH, top, bottom, OH) || !fits(W, KW, dW, sW, left, right, OW) || Ci * Co === 0) return null;
  p.set([B, H, W, Ci, OH, OW, Co, KH, KW, sH, sW, dH, dW, top, left, bottom, right]);
  return p;
}

/** Whether oneDNN's output-size formula gives `o` for this size, kernel, dilation, stride and padding. */
function fits(n: number, k: number, d: number, s: number, lo: number, hi: number, o: number): boolean {
  return Math.floor((n + lo + hi - (k - 1) * d - 1) / s) + 1 === o;
}

function conv2dInfo(xShape: number[], filterShape: number[], a: ConvAttrs, dilations: ConvAttrs["dilations"] = 1): tf.backend_util.Conv2DInfo {
  return tf.backend_util.computeConv2DInfo(xShape as [number, number, number, number], filterShape as [number, number, number, number],
    a.strides, dilations, a.pad, a.dimRoundingMode, false, "channelsLast");
}

/** Runs one native conv: x/w/y are (x, w, y), (dx, w, dy) or (x, dw, dy) by kind. */
function execute(addon: NativeAddon, backend: WasmBackend, p: Float64Array, kind: Kind, x: Info, w: Info, y: Info, bias: Info | undefined, act: number, alpha: number): void {
  p[17] = bias ? offsetOf(backend, bias) : -1;
  p[18] = offsetOf(backend, x); p[19] = offsetOf(backend, w); p[20] = offsetOf(backend, y);
  p[21] = act; p[22] = alpha; p[23] = kind;
  addon.conv(heapOf(backend), p);
}

/** `Conv2D` and `FusedConv2D` (bias per output channel, activations other than PReLU). */
export function nativeConv2D(addon: NativeAddon, name: "Conv2D" | "FusedConv2D"): KernelImpl {
  const p = paramBlock(24);
  return (args) => {
    const { x, filter, bias, preluActivationWeights } = args.inputs as Record<string, Info | undefined>;
    const a = args.attrs as unknown as ConvAttrs;
    const act = name === "Conv2D" ? 0 : activationCode(a.activation);
    if (x!.dtype !== "float32" || a.dataFormat === "NCHW" || preluActivationWeights || act === null) return run(args.backend, name, args.inputs as never, a);
    const co = filter!.shape[3];
    const badBias = !!bias && (bias.dtype !== "float32" || sizeOf(bias.shape) !== co || bias.shape[bias.shape.length - 1] !== co);
    const info = badBias ? null : conv2dInfo(x!.shape, filter!.shape, a, a.dilations);
    if (!info || !convParams(p, info)) return run(args.backend, name, args.inputs as never, a);
    const out = args.backend.makeOutput(info.outShape, "float32");
    if (sizeOf(info.outShape) === 0) return out;
    execute(addon, args.backend, p, Kind.Forward, x!, filter!, out, bias, act, a.leakyreluAlpha ?? 0.2);
    return out;
  };
}

/** `Conv2DBackpropInput`: dy [B, OH, OW, Co], filter [KH, KW, Ci, Co] -> dx [B, H, W, Ci]. */
export function nativeConv2DBackpropInput(addon: NativeAddon): KernelImpl {
  const p = paramBlock(24);
  return (args) => {
    const { dy, filter } = args.inputs as { dy: Info; filter: Info };
    const a = args.attrs as unknown as ConvAttrs;
    if (dy.dtype !== "float32" || a.dataFormat === "NCHW") return conv2dBackpropInput(args);
    const info = conv2dInfo(a.inputShape!, filter.shape, a);
    if (!convParams(p, info)) return conv2dBackpropInput(args);
    const dx = args.backend.makeOutput(info.inShape, "float32");
    if (sizeOf(info.inShape) === 0) return dx;
    if (sizeOf(dy.shape) === 0) return zeros(args.backend, dx);
    execute(addon, args.backend, p, Kind.InputGradient, dx, filter, dy, undefined, 0, 0);
    return dx;
  };
}

/** `Conv2DBackpropFilter`: x [B, H, W, Ci], dy [B, OH, OW, Co] -> dw [KH, KW, Ci, Co]. */
export function nativeConv2DBackpropFilter(addon: NativeAddon): KernelImpl {
  const p = paramBlock(24);
  return (args) => {
    const { x, dy } = args.inputs as { x: Info; dy: Info };
    const a = args.attrs as unknown as ConvAttrs;
    if (x.dtype !== "float32" || a.dataFormat === "NCHW") return conv2dBackpropFilter(args);
    const info = conv2dInfo(x.shape, a.filterShape!, a);
    if (!convParams(p, info)) return conv2dBackpropFilter(args);
    const dw = args.backend.makeOutput(a.filterShape!, "float32");
    if (sizeOf(a.filterShape!) === 0) return dw;
    if (sizeOf(x.shape) === 0 || sizeOf(dy.shape) === 0) return zeros(args.backend, dw);
    execute(addon, args.backend, p, Kind.FilterGradient, x, dw, dy, undefined, 0, 0);
    return dw;
  };
}

function zeros(backend: WasmBackend, out: Info): Info {
  backend.typedArrayFromHeap(out).fill(0);
  return out;
}
