/**
 * `UnsortedSegmentSum` for the wasm backend, which ships none: it is the gradient of `tf.gather`,
 * so embeddings could not train. See ../wasm-training-kernels.ts; the backend is chosen in
 * notebooks/00-setup.ipynb.
 *
 *   out[s, ...] = sum over i with segmentIds[i] == s of x[i, ...]     (ids outside [0, n) are dropped)
 *
 * A plain loop over the wasm heap: one pass over `x`, no temporaries.
 */
import { Info, KernelImpl, sizeOf } from "./wasm-kernel-utils";

/** `UnsortedSegmentSum` kernel: `x: [N, ...rest]`, `segmentIds: [N]` int32 -> `[numSegments, ...rest]`. */
export const unsortedSegmentSum: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x, segmentIds } = inputs as { x: Info; segmentIds: Info };
  const { numSegments } = attrs as unknown as { numSegments: number };
  const idRank = segmentIds.shape.length;
  if (x.shape.slice(0, idRank).join(",") !== segmentIds.shape.join(",")) {
    throw new Error(`unsortedSegmentSum: segmentIds shape [${segmentIds.shape}] must be a prefix of x shape [${x.shape}]`);
  }
  if (x.dtype !== "float32" && x.dtype !== "int32") {
    throw new Error(`unsortedSegmentSum: x must be float32 or int32, received ${x.dtype}`);
  }
  const inner = sizeOf(x.shape.slice(idRank));
  const out = backend.makeOutput([numSegments, ...x.shape.slice(idRank)], x.dtype);
  // Views taken after the allocation: a growing heap detaches older views.
  const o = backend.typedArrayFromHeap(out) as Float32Array | Int32Array;
  const xs = backend.typedArrayFromHeap(x) as Float32Array | Int32Array;
  const ids = backend.typedArrayFromHeap(segmentIds) as Int32Array;
  o.fill(0);
  for (let i = 0; i < ids.length; i++) {
    const s = ids[i];
    if (s < 0 || s >= numSegments) continue;
    const src = i * inner, dst = s * inner;
    for (let j = 0; j < inner; j++) o[dst + j] += xs[src + j];
  }
  return out;
};
