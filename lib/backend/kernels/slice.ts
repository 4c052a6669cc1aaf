/**
 * `Slice` and `SplitV` for the wasm backend (see ../wasm-training-kernels.ts; the backend is chosen
 * in notebooks/00-setup.ipynb). The stock `Slice` first copies the WHOLE input out of the wasm heap
 * (`readSync`) and then the slice; `SplitV` (the gradient of `concat`) does that once per part.
 * These copy only the slice, run by run, straight from heap to heap.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, KernelImpl, WasmBackend, run, sizeOf } from "./wasm-kernel-utils";

/** Copies x[begin : begin + size] into a new tensor. */
function sliceInfo(backend: WasmBackend, x: Info, begin: number[], size: number[]): Info {
  const out = backend.makeOutput(size, x.dtype);
  const n = sizeOf(size);
  if (n === 0) return out;
  const bytes = x.dtype === "bool" ? 1 : 4;
  const heap = backend.wasm.HEAPU8; // after makeOutput: the heap may have grown
  const xOff = backend.dataIdMap.get(x.dataId).memoryOffset;
  const oOff = backend.dataIdMap.get(out.dataId).memoryOffset;
  const rank = x.shape.length;
  // Merge trailing axes that are taken whole into one contiguous run.
  let inner = rank - 1;
  while (inner > 0 && size[inner] === x.shape[inner]) inner--;
  const strides = tf.util.computeStrides(x.shape); // elements
  const run_ = size[inner] * (inner + 1 < rank ? strides[inner] : 1) * bytes;
  const start = (inner + 1 < rank ? begin[inner] * strides[inner] : begin[inner]) * bytes;
  const outer = sizeOf(size.slice(0, inner));
  const idx = new Array(inner).fill(0);
  let dst = oOff;
  for (let i = 0; i < outer; i++) {
    let src = xOff + start;
    for (let d = 0; d < inner; d++) src += (begin[d] + idx[d]) * strides[d] * bytes;
    heap.copyWithin(dst, src, src + run_);
    dst += run_;
    for (let d = inner - 1; d >= 0; d--) { // odometer over the outer axes
      if (++idx[d] < size[d]) break;
      idx[d] = 0;
    }
  }
  return out;
}

/** `Slice` kernel: attributes `begin`, `size` (-1 = to the end). */
export const sliceKernel: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: Info };
  if (x.dtype === "string" || x.dtype === "complex64") return run(backend, "Slice", { x }, attrs ?? {});
  const { begin, size } = attrs as unknown as { begin: number | number[]; size: number | number[] };
  const [b, s] = tf.slice_util.parseSliceParams(x as unknown as tf.Tensor, begin, size);
  return sliceInfo(backend, x, b, s);
};

/** `SplitV` kernel: attributes `numOrSizeSplits`, `axis`. */
export const splitVKernel: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: Info };
  if (x.dtype === "string" || x.dtype === "complex64") return run(backend, "SplitV", { x }, attrs ?? {});
  const { numOrSizeSplits, axis } = attrs as unknown as { numOrSizeSplits: number | number[]; axis: number };
  const a = tf.util.parseAxisParam(axis, x.shape)[0];
  const sizes = tf.backend_util.prepareSplitSize(x as unknown as tf.Tensor, numOrSizeSplits, a);
  const begin = new Array(x.shape.length).fill(0);
  const parts = sizes.map((n) => {
    const size = x.shape.slice();
    size[a] = n;
    const part = sliceInfo(backend, x, begin.slice(), size);
    begin[a] += n;
    return part;
  });
  return parts as unknown as Info; // multi-output kernel
};
