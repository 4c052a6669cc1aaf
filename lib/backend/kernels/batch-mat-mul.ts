/**
 * Fast `BatchMatMul` and `_FusedMatMul` for the wasm backend (see ../wasm-training-kernels.ts;
 * the backend is chosen in notebooks/00-setup.ipynb).
 *
 * The stock wasm kernel sends a matmul to XNNPACK only when neither side is transposed and there
 * is no batch dimension; everything else (every matmul in a gradient) runs a scalar triple loop
 * that is ~13x slower. Here we make every common case hit XNNPACK:
 * - `transposeA/B`: transpose explicitly (a cheap copy), then a plain matmul;
 * - `a: [batch, M, K]` times an unbatched `b: [K, N]` (a dense layer on a sequence): fold the batch
 *   into the rows, `[batch*M, K] @ [K, N]`;
 * - truly batched products: stock loop, with operands laid out so its inner loop reads both
 *   contiguously (`a` plain, `b` transposed), which is its fast arrangement.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, KernelImpl, WasmBackend, release, reshape, run, sizeOf, transpose } from "./wasm-kernel-utils";

/** Inputs/attributes shared by both matmul kernels. */
interface MatMulArgs {
  a: Info;
  b: Info;
  transposeA: boolean;
  transposeB: boolean;
  /** Fused extras (only for `_FusedMatMul`). */
  fused?: { bias?: Info; prelu?: Info; activation: string; leakyreluAlpha?: number };
}

/** `BatchMatMul` kernel. */
export const batchMatMul: KernelImpl = ({ inputs, backend, attrs }) => {
  const { a, b } = inputs as { a: Info; b: Info };
  const { transposeA = false, transposeB = false } = (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean };
  return matMul(backend, { a, b, transposeA, transposeB }, "BatchMatMul", { inputs, backend, attrs });
};

/** `_FusedMatMul` kernel (bias + activation after the product, e.g. `tf.layers.dense`). */
export const fusedMatMul: KernelImpl = ({ inputs, backend, attrs }) => {
  const { a, b, bias, preluActivationWeights } = inputs as Record<string, Info | undefined>;
  const { transposeA = false, transposeB = false, activation = "linear", leakyreluAlpha } =
    (attrs ?? {}) as { transposeA?: boolean; transposeB?: boolean; activation?: string; leakyreluAlpha?: number };
  const fused = { bias, prelu: preluActivationWeights, activation, leakyreluAlpha };
  return matMul(backend, { a: a!, b: b!, transposeA, transposeB, fused }, "_FusedMatMul", { inputs, backend, attrs });
};

function matMul(backend: WasmBackend, m: MatMulArgs, stockName: string, original: Parameters<KernelImpl>[0]): Info {
  const { a, b, transposeA, transposeB } = m;
  const ra = a.shape.length, rb = b.shape.length;
  if (a.dtype !== "float32" || b.dtype !== "float32" || ra < 2 || rb < 2) return run(backend, stockName, original.inputs as never, original.attrs);
  const K = transposeA ? a.shape[ra - 2] : a.shape[ra - 1];
  const M = transposeA ? a.shape[ra - 1] : a.shape[ra - 2];
  const N = transposeB ? b.shape[rb - 2] : b.shape[rb - 1];
  const kb = transposeB ? b.shape[rb - 1] : b.shape[rb - 2];
  if (K !== kb) {
    throw new Error(`matMul: inner shapes (${K}) and (${kb}) of tensors with shapes [${a.shape}] and [${b.shape}] ` +
      `and transposeA=${transposeA} and transposeB=${transposeB} must match`);
  }
  const batchA = sizeOf(a.shape.slice(0, -2)), batchB = sizeOf(b.shape.slice(0, -2));
  const outBatch = tf.backend_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  const outShape = [...outBatch, M, N];
  const fusedOk = !m.fused || (!m.fused.prelu && (!m.fused.bias || m.fused.bias.shape.length === 1));
  if (batchB === 1 && fusedOk) return folded(backend, m, batchA, M, K, N, outShape);
  if ((batchA === batchB || batchA === 1) && !m.fused) return batched(backend, m, batchA, batchB, M, K, N, outShape);
  return run(backend, stockName, original.inputs as never, original.attrs);
}

/** Rough costs per element (measured, ns): a tiled transpose, XNNPACK packing a weight operand. */
const TRANSPOSE_NS = 2.5, PACK_NS = 4;

/**
 * Whether `op(a) @ op(b)` is cheaper as `(op(b)^T @ op(a)^T)^T`: XNNPACK re-packs its weight operand
 * (the right one) on every call and wants both operands untransposed, so pick the arrangement
 * that copies the fewest elements. E.g. the embedding gradient `x^T @ dy` with x [6272, 16] and
 * dy [6272, 64] packs the small x instead of the big dy.
 */
function swapIsCheaper(M: number, K: number, N: number, tA: boolean, tB: boolean): boolean {
  const direct = (tA ? M * K * TRANSPOSE_NS : 0) + (tB ? K * N * TRANSPOSE_NS : 0) + K * N * PACK_NS;
  const swapped = (tB ? 0 : K * N * TRANSPOSE_NS) + (tA ? 0 : M * K * TRANSPOSE_NS) + K * M * PACK_NS + M * N * TRANSPOSE_NS;
  return swapped < direct;
}

/** `[batchA*M, K] @ [K, N]` on XNNPACK: every operand made plain (untransposed) first. */
function folded(backend: WasmBackend, m: MatMulArgs, batchA: number, M: number, K: number, N: number, outShape: number[]): Info {
  const { a, b, transposeA, transposeB } = m;
  if (batchA === 1 && !m.fused && swapIsCheaper(M, K, N, transposeA, transposeB)) return swapped(backend, m, M, K, N, outShape);
  const temps: Info[] = [];
  let a3: Info;
  if (transposeA) {
    const at = reshape(backend, a, [batchA, K, M]);
    temps.push(at);
    a3 = transpose(backend, at, [0, 2, 1]); // [batchA, M, K]
    temps.push(a3);
    a3 = reshape(backend, a3, [1, batchA * M, K]);
  } else {
    a3 = reshape(backend, a, [1, batchA * M, K]);
  }
  temps.push(a3);
  const b3 = plainOperand(backend, b, transposeB, N, K, temps); // [1, K, N]
  const out = plainMatMul(backend, a3, b3, m.fused);
  release(backend, ...temps);
  const shaped = reshape(backend, out, outShape);
  release(backend, out);
  return shaped;
}

/** `x` as an untransposed `[1, rows, cols]` operand; `stored` says x holds its transpose `[cols, rows]`. */
function plainOperand(backend: WasmBackend, x: Info, stored: boolean, cols: number, rows: number, temps: Info[]): Info {
  if (!stored) {
    const r = reshape(backend, x, [1, rows, cols]);
    temps.push(r);
    return r;
  }
  const xt = reshape(backend, x, [cols, rows]);
  const p = transpose(backend, xt, [1, 0]);
  const r = reshape(backend, p, [1, rows, cols]);
  temps.push(xt, p, r);
  return r;
}

/** `(op(b)^T @ op(a)^T)^T` for 2-D operands: [N, K] @ [K, M] -> [N, M] -> [M, N]. */
function swapped(backend: WasmBackend, m: MatMulArgs, M: number, K: number, N: number, outShape: number[]): Info {
  const temps: Info[] = [];
  const bt = plainOperand(backend, m.b, !m.transposeB, K, N, temps); // op(b)^T as [1, N, K]
  const at = plainOperand(backend, m.a, !m.transposeA, M, K, temps); // op(a)^T as [1, K, M]
  const outT = plainMatMul(backend, bt, at, undefined); // [1, N, M]
  temps.push(outT);
  const o2 = reshape(backend, outT, [N, M]);
  temps.push(o2);
  const out = transpose(backend, o2, [1, 0]); // [M, N]
  release(backend, ...temps);
  const shaped = reshape(backend, out, outShape);
  release(backend, out);
  return shaped;
}

/** Untransposed `[1, M, K] @ [1, K, N]` through the stock kernels' XNNPACK path. */
function plainMatMul(backend: WasmBackend, a3: Info, b3: Info, fused: MatMulArgs["fused"]): Info {
  if (!fused) return run(backend, "BatchMatMul", { a: a3, b: b3 }, { transposeA: false, transposeB: false });
  const inputs: Record<string, Info> = { a: a3, b: b3 };
  if (fused.bias) inputs.bias = fused.bias;
  return run(backend, "_FusedMatMul", inputs, {
    transposeA: false, transposeB: false, activation: fused.activation, leakyreluAlpha: fused.leakyreluAlpha,
  });
}

/**
 * A real batch of products (attention scores and the like): the stock loop, fed `a` plain and `b`
 * transposed so both inner reads are contiguous. A batch-1 `a` is tiled to match `b`.
 */
function batched(backend: WasmBackend, m: MatMulArgs, batchA: number, batchB: number, M: number, K: number, N: number, outShape: number[]): Info {
  const { a, b, transposeA, transposeB } = m;
  const temps: Info[] = [];
  let a3 = reshape(backend, a, transposeA ? [batchA, K, M] : [batchA, M, K]);
  temps.push(a3);
  if (transposeA) { a3 = transpose(backend, a3, [0, 2, 1]); temps.push(a3); }
  if (batchA === 1 && batchB > 1) { a3 = run(backend, "Tile", { x: a3 }, { reps: [batchB, 1, 1] }); temps.push(a3); }
  let b3 = reshape(backend, b, transposeB ? [batchB, N, K] : [batchB, K, N]);
  temps.push(b3);
  if (!transposeB) { b3 = transpose(backend, b3, [0, 2, 1]); temps.push(b3); } // [batch, N, K]
  const out = run(backend, "BatchMatMul", { a: a3, b: b3 }, { transposeA: false, transposeB: true });
  release(backend, ...temps);
  const shaped = reshape(backend, out, outShape);
  release(backend, out);
  return shaped;
}
