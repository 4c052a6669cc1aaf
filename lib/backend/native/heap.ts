/**
 * Where a tensor lives on the wasm heap, for the native kernels (./addon.ts). Introduced with the
 * native tier in notebooks/00-setup.ipynb, where the backend is chosen.
 */
import { Info, WasmBackend } from "../kernels/wasm-kernel-utils";

/** Byte offset of a tensor's storage in the wasm heap. */
export function offsetOf(backend: WasmBackend, x: Info): number {
  return backend.dataIdMap.get(x.dataId).memoryOffset;
}

/**
 * The heap as bytes. Read it after the last allocation of a kernel: growing the heap replaces the
 * buffer, and the native side takes its pointer from the array handed to it.
 */
export function heapOf(backend: WasmBackend): Uint8Array {
  return backend.wasm.HEAPU8;
}

/** One reusable parameter block per kernel (the native calls read numbers from a Float64Array). */
export function paramBlock(n: number): Float64Array {
  return new Float64Array(n);
}
