/**
 * Training kernels for the tfjs wasm backend (4.22), registered by ../backend.ts after
 * `tf.setBackend('wasm')`. Used by `initBackend` (lib/backend.ts), which notebooks/00-setup.ipynb calls first.
 *
 * Stock wasm cannot train convolutions (no `Conv2DBackpropFilter`) or embeddings (no
 * `UnsortedSegmentSum`, the gradient of `tf.gather`), and runs every gradient matmul (they all
 * transpose an operand) on a scalar loop ~13x slower than its XNNPACK path. Each kernel here is
 * built from existing wasm kernels so the heavy lifting stays in XNNPACK; one file per kernel in
 * ./kernels/.
 */
import * as tf from "@tensorflow/tfjs";
import { batchMatMul, fusedMatMul } from "./kernels/batch-mat-mul";
import { conv2dBackpropFilter } from "./kernels/conv2d-backprop-filter";
import { conv2dBackpropInput } from "./kernels/conv2d-backprop-input";
import { gatherV2 } from "./kernels/gather-v2";
import { castKernel, identityKernel } from "./kernels/identity";
import { meanKernel, sumKernel } from "./kernels/reduce-leading";
import { sliceKernel, splitVKernel } from "./kernels/slice";
import { tanhKernel } from "./kernels/tanh";
import { transposeKernel } from "./kernels/transpose";
import { unsortedSegmentSum } from "./kernels/unsorted-segment-sum";
import { KernelImpl, captureStockKernels, replaceKernel, restoreKernel } from "./kernels/wasm-kernel-utils";

/** Every kernel this package registers for wasm, by tfjs kernel name. */
export const wasmTrainingKernels: Readonly<Record<string, KernelImpl>> = {
  Conv2DBackpropFilter: conv2dBackpropFilter,
  Conv2DBackpropInput: conv2dBackpropInput,
  UnsortedSegmentSum: unsortedSegmentSum,
  BatchMatMul: batchMatMul,
  _FusedMatMul: fusedMatMul,
  Transpose: transposeKernel,
  Sum: sumKernel,
  Mean: meanKernel,
  GatherV2: gatherV2,
  Identity: identityKernel,
  Cast: castKernel,
  Slice: sliceKernel,
  SplitV: splitVKernel,
  Tanh: tanhKernel,
};

/** Options for `registerWasmTrainingKernels`. */
export interface WasmKernelOptions {
  /** Register only these kernels (names from `wasmTrainingKernels`). Default: all of them. */
  only?: string[];
}

/** Stock kernels ours call into; captured before any replacement. */
const BUILDING_BLOCKS = ["BatchMatMul", "_FusedMatMul", "Conv2D", "Conv2DBackpropInput", "Transpose", "Reshape",
  "Slice", "PadV2", "Reverse", "Tile", "Identity", "Sum", "Mean", "GatherV2", "Cast", "SplitV", "Tanh"];

/**
 * Registers the training kernels on the wasm backend (call after `tf.setBackend('wasm')`; calling
 * again is harmless) and returns the names of the kernels registered or replaced.
 */
export function registerWasmTrainingKernels(opts: WasmKernelOptions = {}): string[] {
  const names = opts.only ?? Object.keys(wasmTrainingKernels);
  const unknown = names.filter((n) => !(n in wasmTrainingKernels));
  if (unknown.length) {
    throw new Error(`registerWasmTrainingKernels: unknown kernel(s) ${unknown.join(", ")}; ` +
      `expected some of ${Object.keys(wasmTrainingKernels).join(", ")}`);
  }
  if (!tf.getKernel("Conv2D", "wasm")) {
    throw new Error("registerWasmTrainingKernels: no wasm kernels are registered; import '@tensorflow/tfjs-backend-wasm' first");
  }
  captureStockKernels(BUILDING_BLOCKS);
  return names.map((n) => replaceKernel(n, wasmTrainingKernels[n]));
}

/**
 * Puts back the kernels tfjs shipped (and removes the ones it lacked); returns their names. For
 * measuring what the patches buy (bench/run.ts); training convs or embeddings fails afterwards.
 */
export function restoreStockWasmKernels(): string[] {
  return Object.keys(wasmTrainingKernels).filter((n) => restoreKernel(n));
}
