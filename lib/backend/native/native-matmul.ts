/**
 * `BatchMatMul` and `_FusedMatMul` on oneDNN's sgemm (see ../native-kernels.ts; the backend is
 * chosen in notebooks/00-setup.ipynb). The operands stay where they are on the wasm heap: the
 * transpose flags go to sgemm as they are (no transposed copies), a batch is a loop of sgemm calls
 * with per-operand strides (stride 0 repeats an unbatched operand), and the fused bias and
 * activation run over the output in the same native call.
 *
 * Falls back to the wasm kernels (../kernels/batch-mat-mul.ts) for what this does not cover:
 * non-float32, batch shapes that broadcast other than "same" or "one of them 1", a bias that is not
 * one value per column, PReLU.
 */
import * as tf from "@tensorflow/tfjs";
import { batchMatMul, fusedMatMul } from "../kernels/batch-mat-mul";
import { Info, KernelImpl, WasmBackend, sizeOf } from "../kernels/wasm-kernel-utils";
import { activationCode } from "./activation";
import { NativeAddon } from "./addon";
import { heapOf, offsetOf, paramBlock } from "./heap";

/** What a product needs besides its operands. */
interface Epilogue {
  bias?: Info;
  act: number;
  alpha: number;
}

/** `BatchMatMul` on the addon. */
export function nativeBatchMatMul(addon: NativeAddon): KernelImpl {
  const p = paramBlock(15);
  return (args) => {
    const { a, b } = args.inputs as { a: Info; b: Info };
    const { transposeA = false, transposeB = false } = (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
    return gemm(addon, p, args.backend, a, b, transposeA, transposeB, { act: 0, alpha: 0 }) ?? batchMatMul(args);
  };
}

/** `_FusedMatMul` on the addon (bias per column, activations other than PReLU). */
export function nativeFusedMatMul(addon: NativeAddon): KernelImpl {
  const p = paramBlock(15);
  return (args) => {
    const { a, b, bias, preluActivationWeights } = args.inputs as Record<string, Info | undefined>;
    const { transposeA = false, transposeB = false, activation, leakyreluAlpha } =
      (args.attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean; activation?: string; leakyreluAlpha?: number };
    const act = activationCode(activation);
    if (preluActivationWeights || act === null) return fusedMatMul(args);
    return gemm(addon, p, args.backend, a!, b!, transposeA, transposeB, { bias, act, alpha: leakyreluAlpha ?? 0.2 }) ?? fusedMatMul(args);
  };
}

/** op(a) @ op(b) on the addon; null when this case is left to the wasm kernels. */
function gemm(addon: NativeAddon, p: Float64Array, backend: WasmBackend, a: Info, b: Info, tA: boolean, tB: boolean, e: Epilogue): Info | null {
  const ra = a.shape.length, rb = b.shape.length;
  if (a.dtype !== "float32" || b.dtype !== "float32" || ra < 2 || rb < 2) return null;
  const M = tA ? a.shape[ra - 1] : a.shape[ra - 2], K = tA ? a.shape[ra - 2] : a.shape[ra - 1];
  const kb = tB ? b.shape[rb - 1] : b.shape[rb - 2], N = tB ? b.shape[rb - 2] : b.shape[rb - 1];
  if (K !== kb) {
    throw new Error(`matMul: inner shapes (${K}) and (${kb}) of tensors with shapes [${a.shape}] and [${b.shape}] ` +
      `and transposeA=${tA} and transposeB=${tB} must match`);
  }
  const outBatch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const batch = sizeOf(outBatch), batchA = sizeOf(a.shape.slice(0, -2)), batchB = sizeOf(b.shape.slice(0, -2));
  if ((batchA !== batch && batchA !== 1) || (batchB !== batch && batchB !== 1)) return null;
  if (e.bias && (e.bias.dtype !== "float32" || sizeOf(e.bias.shape) !== N || e.bias.shape[e.bias.shape.length - 1] !== N)) return null;
  const out = backend.makeOutput([...outBatch, M, N], "float32");
  if (batch * M * N === 0) return out;
  p[0] = tA ? 1 : 0; p[1] = tB ? 1 : 0; p[2] = M; p[3] = N; p[4] = K;
  p[5] = offsetOf(backend, a); p[6] = offsetOf(backend, b); p[7] = offsetOf(backend, out);
  p[8] = batch; p[9] = batchA === 1 ? 0 : M * K; p[10] = batchB === 1 ? 0 : K * N; p[11] = M * N;
  p[12] = e.bias ? offsetOf(backend, e.bias) : -1; p[13] = e.act; p[14] = e.alpha;
  addon.gemm(heapOf(backend), p);
  return out;
}
