/**
 * Elementwise kernels and reductions on the native addon (see ../native-kernels.ts; the backend is
 * chosen in notebooks/00-setup.ipynb): Add, Sub, Multiply, RealDiv, SquaredDifference with the
 * broadcasts layers use (same shape, one value, a bias row, a column), AddN (gradient sums), the
 * unary ops of activations and losses (Tanh by the same rational approximation as
 * ../kernels/tanh.ts), Sum/Mean over one block of adjacent axes (bias gradients, means over the
 * batch), and UnsortedSegmentSum (the embedding gradient). tfjs's wasm kernels call an operator per element through a
 * function pointer; the native loops are vectorised. Everything else (int32, other broadcasts)
 * goes to the kernel registered before (tfjs's, or ../kernels/reduce-leading.ts for Sum/Mean).
 */
import * as tf from "@tensorflow/tfjs";
import { meanKernel, sumKernel } from "../kernels/reduce-leading";
import { tanhKernel } from "../kernels/tanh";
import { unsortedSegmentSum } from "../kernels/unsorted-segment-sum";
import { Info, KernelImpl, run, sizeOf } from "../kernels/wasm-kernel-utils";
import { NativeAddon } from "./addon";
import { heapOf, offsetOf, paramBlock } from "./heap";

/** How an operand covers the output's M x N grid: 0 all of it, 1 a row repeated down, 2 a column repeated across, 3 one value. */
export type Mode = 0 | 1 | 2 | 3;

/** The operand's mode when the output's axes are split into [0, k) and [k, rank); null when it is none of the four. */
export function modeAt(shape: readonly number[], out: readonly number[], k: number): Mode | null {
  // Plain loops, no closures: this runs on every elementwise dispatch.
  const pad = out.length - shape.length;
  if (pad < 0) return null;
  let leadFull = true, leadOnes = true, trailFull = true, trailOnes = true;
  for (let i = 0; i < out.length; i++) {
    const d = i < pad ? 1 : shape[i - pad];
    if (i < k) {
      if (d !== out[i]) leadFull = false;
      if (d !== 1) leadOnes = false;
    } else {
      if (d !== out[i]) trailFull = false;
      if (d !== 1) trailOnes = false;
    }
  }
  if (leadFull && trailFull) return 0;
  if (leadOnes && trailOnes) return 3;
  if (leadOnes && trailFull) return 1;
  if (leadFull && trailOnes) return 2;
  return null;
}

/** The split of the output's axes at which both operands have a mode, as a grid [M, N] and the modes; null if none. */
export function binaryGrid(a: readonly number[], b: readonly number[], out: readonly number[]): { M: number; N: number; am: Mode; bm: Mode } | null {
  for (let k = 0; k <= out.length; k++) {
    const am = modeAt(a, out, k), bm = modeAt(b, out, k);
    if (am === null || bm === null) continue;
    let M = 1, N = 1;
    for (let i = 0; i < out.length; i++) if (i < k) M *= out[i]; else N *= out[i];
    return { M, N, am, bm };
  }
  return null;
}

const BINARY = { Add: 0, Sub: 1, Multiply: 2, RealDiv: 3, SquaredDifference: 4 } as const;
const UNARY = { Relu: 0, Step: 1, Square: 2, Neg: 3, Sqrt: 4, Exp: 5, Log: 6, Abs: 7, Sigmoid: 8, Relu6: 9, Tanh: 10 } as const;

/** Names of the kernels this file provides. */
export const ELEMENTWISE_KERNEL_NAMES = [...Object.keys(BINARY), ...Object.keys(UNARY), "AddN", "Sum", "Mean", "UnsortedSegmentSum"];

function binaryKernel(addon: NativeAddon, name: keyof typeof BINARY): KernelImpl {
  const p = paramBlock(8);
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    if (a.dtype !== "float32" || b.dtype !== "float32") return run(args.backend, name, args.inputs as never, args.attrs);
    const outShape = tf.backend_util.assertAndGetBroadcastShape(a.shape, b.shape);
    const grid = binaryGrid(a.shape, b.shape, outShape);
    if (!grid) return run(args.backend, name, args.inputs as never, args.attrs);
    const out = args.backend.makeOutput(outShape, "float32");
    if (grid.M * grid.N === 0) return out;
    p[0] = BINARY[name]; p[1] = grid.M; p[2] = grid.N;
    p[3] = offsetOf(args.backend, a); p[4] = grid.am; p[5] = offsetOf(args.backend, b); p[6] = grid.bm; p[7] = offsetOf(args.backend, out);
    addon.binary(heapOf(args.backend), p);
    return out;
  };
}

function unaryKernel(addon: NativeAddon, name: keyof typeof UNARY): KernelImpl {
  const p = paramBlock(5);
  return (args) => {
    const { x } = args.inputs as { x: Info };
    if (x.dtype !== "float32") return name === "Tanh" ? tanhKernel(args) : run(args.backend, name, args.inputs as never, args.attrs);
    const out = args.backend.makeOutput(x.shape, "float32");
    const n = sizeOf(x.shape);
    if (n === 0) return out;
    p[0] = UNARY[name]; p[1] = n; p[2] = offsetOf(args.backend, x); p[3] = offsetOf(args.backend, out);
    p[4] = name === "Step" ? (args.attrs as unknown as { alpha?: number }).alpha ?? 0 : 0;
    addon.unary(heapOf(args.backend), p);
    return out;
  };
}

function addNKernel(addon: NativeAddon): KernelImpl {
  return (args) => {
    const xs = Object.values(args.inputs) as Info[];
    if (!xs.length || xs.some((x) => x.dtype !== "float32" || x.shape.join() !== xs[0].shape.join())) return run(args.backend, "AddN", args.inputs as never, args.attrs);
    const out = args.backend.makeOutput(xs[0].shape, "float32");
    const n = sizeOf(xs[0].shape);
    if (n === 0) return out;
    const p = new Float64Array(3 + xs.length);
    p[0] = n; p[1] = xs.length; p[2] = offsetOf(args.backend, out);
    xs.forEach((x, i) => { p[3 + i] = offsetOf(args.backend, x); });
    addon.addN(heapOf(args.backend), p);
    return out;
  };
}

/** `UnsortedSegmentSum` (the embedding gradient) for float32 x and int32 ids; others go to ../kernels/unsorted-segment-sum.ts. */
function segmentSumKernel(addon: NativeAddon): KernelImpl {
  const p = paramBlock(6);
  return (args) => {
    const { x, segmentIds } = args.inputs as { x: Info; segmentIds: Info };
    const { numSegments } = args.attrs as unknown as { numSegments: number };
    const idRank = segmentIds.shape.length;
    if (x.dtype !== "float32" || segmentIds.dtype !== "int32" || x.shape.slice(0, idRank).join() !== segmentIds.shape.join()) return unsortedSegmentSum(args);
    const out = args.backend.makeOutput([numSegments, ...x.shape.slice(idRank)], "float32");
    const inner = sizeOf(x.shape.slice(idRank));
    if (numSegments * inner === 0) return out;
    p[0] = sizeOf(segmentIds.shape); p[1] = inner; p[2] = numSegments;
    p[3] = offsetOf(args.backend, x); p[4] = offsetOf(args.backend, segmentIds); p[5] = offsetOf(args.backend, out);
    addon.segmentSum(heapOf(args.backend), p);
    return out;
  };
}

/** Sum/Mean over one block of adjacent axes (x viewed as [pre, red, post]); other cases go to `fallback`. */
function reduceKernel(addon: NativeAddon, mean: boolean, fallback: KernelImpl): KernelImpl {
  const p = paramBlock(6);
  return (args) => {
    const { x } = args.inputs as { x: Info };
    const { axis, keepDims } = args.attrs as unknown as { axis: number | number[]; keepDims: boolean };
    if (x.dtype !== "float32") return fallback(args);
    const axes = tf.util.parseAxisParam(axis, x.shape).slice().sort((u, v) => u - v);
    if (axes.some((ax, i) => i > 0 && ax !== axes[i - 1] + 1)) return fallback(args);
    const lo = axes.length ? axes[0] : 0, hi = axes.length ? axes[axes.length - 1] + 1 : 0;
    const pre = sizeOf(x.shape.slice(0, lo)), red = sizeOf(x.shape.slice(lo, hi)), post = sizeOf(x.shape.slice(hi));
    const outShape = keepDims ? x.shape.map((d, i) => (i >= lo && i < hi ? 1 : d)) : x.shape.filter((_, i) => i < lo || i >= hi);
    const out = args.backend.makeOutput(outShape, "float32");
    if (pre * post === 0) return out;
    p[0] = pre; p[1] = red; p[2] = post; p[3] = offsetOf(args.backend, x); p[4] = offsetOf(args.backend, out);
    p[5] = mean ? 1 / red : 1; // mean of nothing: 0 * (1/0) = NaN, as tfjs
    if (red === 0) { args.backend.typedArrayFromHeap(out).fill(mean ? NaN : 0); return out; }
    addon.reduce(heapOf(args.backend), p);
    return out;
  };
}

/** The elementwise and reduction kernels by tfjs kernel name. */
export function nativeElementwiseKernels(addon: NativeAddon): Record<string, KernelImpl> {
  const k: Record<string, KernelImpl> = {};
  for (const n of Object.keys(BINARY) as (keyof typeof BINARY)[]) k[n] = binaryKernel(addon, n);
  for (const n of Object.keys(UNARY) as (keyof typeof UNARY)[]) k[n] = unaryKernel(addon, n);
  k.AddN = addNKernel(addon);
  k.Sum = reduceKernel(addon, false, sumKernel);
  k.Mean = reduceKernel(addon, true, meanKernel);
  k.UnsortedSegmentSum = segmentSumKernel(addon);
  return k;
}
