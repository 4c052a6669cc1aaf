/**
 * Glue for writing wasm-backend kernels out of other wasm kernels (used by
 * ../wasm-training-kernels.ts, introduced in notebooks/00-setup.ipynb where the backend is chosen).
 *
 * Kernels here work on `TensorInfo`s (dataId + shape + dtype) below the tfjs engine: no tape, no
 * tidy, no per-op bookkeeping. Every `TensorInfo` a call returns must be released with `release`.
 */
import * as tf from "@tensorflow/tfjs";

/** A tensor as kernels see it: storage id, shape and dtype. */
export type Info = tf.TensorInfo;

/** The parts of the wasm backend (`BackendWasm`) these kernels use. */
export interface WasmBackend {
  /** Per-tensor storage records: wasm-side id and heap offset. */
  dataIdMap: { get(dataId: object): { id: number; memoryOffset: number; shape: number[]; refCount: number } };
  /** Allocates an output tensor on the wasm heap (contents are NOT zeroed). */
  makeOutput(shape: number[], dtype: tf.DataType): Info;
  /** Decrements the reference count and frees the storage at zero. */
  disposeData(dataId: object, force?: boolean): boolean;
  /** Float32Array/Int32Array view of a tensor's storage (invalidated when the heap grows). */
  typedArrayFromHeap(info: Info): Float32Array | Int32Array | Uint8Array;
  /** The Emscripten module. */
  wasm: { cwrap(name: string, ret: null | string, args: string[]): (...a: unknown[]) => void; HEAPU8: Uint8Array };
}

/** A kernel implementation: what `tf.registerKernel` calls. */
export type KernelImpl = (args: { inputs: tf.NamedTensorInfoMap; backend: WasmBackend; attrs?: tf.NamedAttrMap }) => Info;

const originals = new Map<string, KernelImpl>();
/** Kernels this package registered, by name (to tell ours from stock when restoring). */
const ours = new Map<string, KernelImpl>();

/**
 * The wasm kernel tfjs shipped for `name`, captured before this package replaced it (so replacing
 * twice never wraps our own kernel). Throws when wasm has no such kernel.
 */
export function stockKernel(name: string): KernelImpl {
  const saved = originals.get(name);
  if (saved) return saved;
  const cfg = tf.getKernel(name, "wasm");
  const fn = cfg?.kernelFunc as unknown as KernelImpl | undefined;
  if (!fn || fn === ours.get(name)) throw new Error(`wasm-training-kernels: the wasm backend has no stock '${name}' kernel to build on`);
  originals.set(name, fn);
  return fn;
}

/** Remembers the stock kernels we rely on before anything is replaced. */
export function captureStockKernels(names: string[]): void {
  for (const n of names) if (isStock(n)) stockKernel(n);
}

/** True when the kernel registered now for `name` is tfjs's own. */
function isStock(name: string): boolean {
  const cfg = tf.getKernel(name, "wasm");
  return !!cfg && (cfg.kernelFunc as unknown) !== ours.get(name);
}

/** Runs a stock wasm kernel on TensorInfos. */
export function run(backend: WasmBackend, name: string, inputs: Record<string, Info>, attrs: object = {}): Info {
  return stockKernel(name)({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap });
}

/** Releases intermediate results (skips nulls and the tensors in `keep`). */
export function release(backend: WasmBackend, ...infos: (Info | null | undefined)[]): void {
  for (const t of infos) if (t) backend.disposeData(t.dataId);
}

/** Runs whatever wasm kernel is registered now for `name` (ours if replaced, else stock). */
export function runCurrent(backend: WasmBackend, name: string, inputs: Record<string, Info>, attrs: object = {}): Info {
  const cfg = tf.getKernel(name, "wasm");
  if (!cfg) throw new Error(`wasm-training-kernels: no wasm kernel '${name}'`);
  return (cfg.kernelFunc as unknown as KernelImpl)({ inputs: inputs as tf.NamedTensorInfoMap, backend, attrs: attrs as tf.NamedAttrMap });
}

/**
 * Same storage, new shape (no copy; release it like any other result). With `consume`, `x` is
 * released here (for reshaping a temporary).
 */
export function reshape(backend: WasmBackend, x: Info, shape: number[], consume = false): Info {
  const r = run(backend, "Reshape", { x }, { shape });
  if (consume) backend.disposeData(x.dataId);
  return r;
}

/** Permutes axes (a copy; identity permutations are a cheap reshape), with the registered Transpose. */
export function transpose(backend: WasmBackend, x: Info, perm: number[]): Info {
  if (perm.every((p, i) => p === i)) return reshape(backend, x, x.shape.slice());
  return runCurrent(backend, "Transpose", { x }, { perm });
}

/** Replaces (or adds) the wasm kernel `kernelName`; returns the name for the patch list. */
export function replaceKernel(kernelName: string, kernelFunc: KernelImpl): string {
  if (isStock(kernelName)) stockKernel(kernelName); // remember the original before it goes
  if (tf.getKernel(kernelName, "wasm")) tf.unregisterKernel(kernelName, "wasm");
  tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  ours.set(kernelName, kernelFunc);
  return kernelName;
}

/** Puts back the stock kernel `kernelName` (or removes ours if wasm had none); false if untouched. */
export function restoreKernel(kernelName: string): boolean {
  const cfg = tf.getKernel(kernelName, "wasm");
  if (!cfg || (cfg.kernelFunc as unknown) !== ours.get(kernelName)) return false; // not ours
  const stock = originals.get(kernelName);
  tf.unregisterKernel(kernelName, "wasm");
  ours.delete(kernelName);
  if (stock) tf.registerKernel({ kernelName, backendName: "wasm", kernelFunc: stock as unknown as tf.KernelFunc });
  return true;
}

/** Number of elements of a shape. */
export function sizeOf(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}
