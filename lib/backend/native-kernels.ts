/**
 * The native kernel tier: the heavy kernels of the wasm backend replaced by oneDNN ones from the
 * optional addon (native/mini_jepa_native.cc, loaded by ./native/addon.ts), working in place on
 * the wasm heap. Registered by ../backend.ts after the wasm training kernels; every other kernel
 * stays on wasm. Introduced in notebooks/00-setup.ipynb, where the backend is chosen.
 *
 *   matmuls: BatchMatMul, _FusedMatMul        oneDNN sgemm, transposes as flags, bias+activation fused
 *   convs:   Conv2D, FusedConv2D, Conv2DBackpropInput, Conv2DBackpropFilter   oneDNN primitives
 *   elementwise and reductions: Add, Sub, Multiply, RealDiv, SquaredDifference, AddN, Relu, Step,
 *            Square, Neg, Sqrt, Exp, Log, Abs, Sigmoid, Relu6, Tanh, Sum, Mean, UnsortedSegmentSum   loops
 */
import { NativeAddon } from "./native/addon";
import { nativeBatchMatMul, nativeFusedMatMul } from "./native/native-matmul";
import { nativeConv2D, nativeConv2DBackpropFilter, nativeConv2DBackpropInput } from "./native/native-conv2d";
import { ELEMENTWISE_KERNEL_NAMES, nativeElementwiseKernels } from "./native/native-elementwise";
import { KernelImpl, captureStockKernels, replaceKernel, restoreKernel } from "./kernels/wasm-kernel-utils";
import { wasmTrainingKernels } from "./wasm-training-kernels";

/** The native kernels by tfjs kernel name, built for an addon. */
export function nativeKernels(addon: NativeAddon): Record<string, KernelImpl> {
  return {
    BatchMatMul: nativeBatchMatMul(addon),
    _FusedMatMul: nativeFusedMatMul(addon),
    Conv2D: nativeConv2D(addon, "Conv2D"),
    FusedConv2D: nativeConv2D(addon, "FusedConv2D"),
    Conv2DBackpropInput: nativeConv2DBackpropInput(addon),
    Conv2DBackpropFilter: nativeConv2DBackpropFilter(addon),
    ...nativeElementwiseKernels(addon),
  };
}

/** Names of the kernels the native tier replaces. */
export const NATIVE_KERNEL_NAMES = ["BatchMatMul", "_FusedMatMul", "Conv2D", "FusedConv2D", "Conv2DBackpropInput", "Conv2DBackpropFilter", ...ELEMENTWISE_KERNEL_NAMES];

let active: NativeAddon | null = null;

/**
 * Registers the native kernels on the wasm backend (after `registerWasmTrainingKernels`, which
 * they fall back to); returns their names. Calling again is harmless.
 */
export function registerNativeKernels(addon: NativeAddon): string[] {
  captureStockKernels(NATIVE_KERNEL_NAMES); // tfjs's kernels: the fallbacks for what the addon is not asked to do
  const kernels = nativeKernels(addon);
  active = addon;
  return Object.keys(kernels).map((n) => replaceKernel(n, kernels[n]));
}

/** Puts the wasm kernels back (ours where we have one, else tfjs's); returns the names. */
export function unregisterNativeKernels(): string[] {
  if (!active) return [];
  active = null;
  return NATIVE_KERNEL_NAMES.filter((n) => (n in wasmTrainingKernels ? !!replaceKernel(n, wasmTrainingKernels[n]) : restoreKernel(n)));
}

/** The addon whose kernels are registered now, or null (used by the fused Adam step). */
export function activeNativeAddon(): NativeAddon | null {
  return active;
}
