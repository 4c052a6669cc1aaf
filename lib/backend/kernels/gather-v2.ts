/**
 * `GatherV2` for the wasm backend (see ../wasm-training-kernels.ts; the backend is chosen in
 * notebooks/00-setup.ipynb): the embedding lookup. The stock kernel copies element by element
 * through stride arithmetic; this one copies whole slices (`copyWithin` on the heap) and checks
 * the indices in the same pass.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, KernelImpl, run } from "./wasm-kernel-utils";

/** `GatherV2` kernel: `x`, int32 `indices`, attributes `axis`, `batchDims`. */
export const gatherV2: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x, indices } = inputs as { x: Info; indices: Info };
  const { axis, batchDims } = attrs as unknown as { axis: number; batchDims: number };
  const bytes = x.dtype === "float32" || x.dtype === "int32" ? 4 : x.dtype === "bool" ? 1 : 0;
  if (!bytes || indices.dtype !== "int32") return run(backend, "GatherV2", inputs as never, attrs ?? {});
  const a = tf.util.parseAxisParam(axis, x.shape)[0];
  const info = tf.backend_util.segment_util.collectGatherOpShapeInfo(
    x as unknown as tf.TensorInfo & { shape: number[] } as never, indices as never, a, batchDims ?? 0);
  const { batchSize, outerSize, dimSize, sliceSize, outputShape } = info;
  const out = backend.makeOutput(outputShape, x.dtype);
  const ids = backend.typedArrayFromHeap(indices) as Int32Array;
  const perBatch = ids.length / batchSize;
  const heap = backend.wasm.HEAPU8;
  const xOff = backend.dataIdMap.get(x.dataId).memoryOffset;
  const oOff = backend.dataIdMap.get(out.dataId).memoryOffset;
  const sliceBytes = sliceSize * bytes;
  for (let b = 0; b < batchSize; b++) {
    for (let o = 0; o < outerSize; o++) {
      const srcBase = xOff + ((b * outerSize + o) * dimSize) * sliceBytes;
      const dstBase = oOff + ((b * outerSize + o) * perBatch) * sliceBytes;
      for (let i = 0; i < perBatch; i++) {
        const k = ids[b * perBatch + i];
        if (!(k >= 0 && k < dimSize)) {
          backend.disposeData(out.dataId);
          throw new Error(`GatherV2: the index value ${k} is not in [0, ${dimSize - 1}]`);
        }
        heap.copyWithin(dstBase + i * sliceBytes, srcBase + k * sliceBytes, srcBase + (k + 1) * sliceBytes);
      }
    }
  }
  return out;
};
