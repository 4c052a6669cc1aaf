/**
 * `Sum` and `Mean` over non-innermost axes for the wasm backend (see ../wasm-training-kernels.ts;
 * the backend is chosen in notebooks/00-setup.ipynb). The stock kernels transpose the reduced
 * axes to the end first (a full copy through the slow transpose): that is every bias gradient,
 * `sum(dy, 0)` on `[batch, features]`. When the reduced axes are one contiguous block, this sums
 * in place on the wasm heap, row by row, in float64 accumulators. Other cases go to stock.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, KernelImpl, WasmBackend, run, sizeOf } from "./wasm-kernel-utils";

/** `x` viewed as [pre, red, post] with the reduced axes in the middle; null if they are not contiguous. */
function blocks(shape: number[], axes: number[]): { pre: number; red: number; post: number } | null {
  const sorted = axes.slice().sort((a, b) => a - b);
  for (let i = 1; i < sorted.length; i++) if (sorted[i] !== sorted[i - 1] + 1) return null;
  const lo = sorted[0], hi = sorted[sorted.length - 1];
  return { pre: sizeOf(shape.slice(0, lo)), red: sizeOf(shape.slice(lo, hi + 1)), post: sizeOf(shape.slice(hi + 1)) };
}

function reduceKernel(name: "Sum" | "Mean"): KernelImpl {
  return ({ inputs, backend, attrs }) => {
    const { x } = inputs as { x: Info };
    const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
    const axes = tf.util.parseAxisParam(axis, x.shape);
    const b = axes.length ? blocks(x.shape, axes) : null;
    if (!b || b.post === 1 || x.dtype !== "float32" || b.red === 0) return run(backend, name, { x }, attrs ?? {});
    const outShape = keepDims ? x.shape.map((d, i) => (axes.includes(i) ? 1 : d)) : x.shape.filter((_, i) => !axes.includes(i));
    const out = backend.makeOutput(outShape, "float32");
    sumMiddle(backend, x, out, b.pre, b.red, b.post, name === "Mean" ? 1 / b.red : 1);
    return out;
  };
}

/** out[p, q] = scale * sum_r x[p, r, q]. */
function sumMiddle(backend: WasmBackend, x: Info, out: Info, pre: number, red: number, post: number, scale: number): void {
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  const acc = new Float64Array(post);
  for (let p = 0; p < pre; p++) {
    acc.fill(0);
    let r = 0;
    for (; r + 4 <= red; r += 4) { // four rows per pass: a quarter of the accumulator traffic
      const b0 = (p * red + r) * post, b1 = b0 + post, b2 = b1 + post, b3 = b2 + post;
      for (let q = 0; q < post; q++) acc[q] += (src[b0 + q] + src[b1 + q]) + (src[b2 + q] + src[b3 + q]);
    }
    for (; r < red; r++) {
      const base = (p * red + r) * post;
      for (let q = 0; q < post; q++) acc[q] += src[base + q];
    }
    const o = p * post;
    for (let q = 0; q < post; q++) dst[o + q] = acc[q] * scale;
  }
}

/** `Sum` kernel. */
export const sumKernel = reduceKernel("Sum");
/** `Mean` kernel. */
export const meanKernel = reduceKernel("Mean");
