/**
 * `Transpose` for the wasm backend (see ../wasm-training-kernels.ts; the backend is chosen in
 * notebooks/00-setup.ipynb). The stock kernel walks a 2-D transpose column by column; with
 * power-of-two sizes (a [512, 256] activation, every matmul gradient) each write lands in the same
 * cache set and it runs at ~6-12 ns an element. Permutations that are a (batched) 2-D transpose
 * after merging axes that move together are done here in cache-sized tiles on the wasm heap
 * (~2 ns an element); every other permutation goes to the stock kernel.
 */
import { Info, KernelImpl, WasmBackend, reshape, run, sizeOf } from "./wasm-kernel-utils";

const TILE = 32;

/** Merges size-1 axes away and joins axes that stay adjacent: returns the reduced shape and perm. */
export function simplifyPermutation(shape: readonly number[], perm: readonly number[]): { shape: number[]; perm: number[] } {
  const keep = perm.filter((p) => shape[p] !== 1);
  // Groups of input axes that stay consecutive (in order) in the output.
  const groups: number[][] = [];
  for (const p of keep) {
    const last = groups[groups.length - 1];
    if (last && last[last.length - 1] + 1 === p) last.push(p);
    else groups.push([p]);
  }
  // Renumber groups by their input order.
  const order = groups.map((g) => g[0]).slice().sort((a, b) => a - b);
  const outPerm = groups.map((g) => order.indexOf(g[0]));
  const inShape = order.map((first) => sizeOf(groups.find((g) => g[0] === first)!.map((a) => shape[a])));
  return { shape: inShape, perm: outPerm };
}

/** `Transpose` kernel: `x` with attribute `perm`. */
export const transposeKernel: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: Info };
  const { perm } = attrs as unknown as { perm: number[] };
  const outShape = perm.map((p) => x.shape[p]);
  const s = simplifyPermutation(x.shape, perm);
  // Only size-1 axes move: copy like stock (a shared id could meet a stale XNNPACK operator cached for another shape).
  if (s.perm.every((p, i) => p === i)) return reshape(backend, run(backend, "Identity", { x }), outShape, true);
  const batched2d = (s.perm.length === 2) || (s.perm.length === 3 && s.perm[0] === 0 && s.perm[1] === 2);
  if (!batched2d || x.dtype === "string" || x.dtype === "complex64") return run(backend, "Transpose", { x }, { perm });
  const [B, R, C] = s.perm.length === 2 ? [1, s.shape[0], s.shape[1]] : s.shape;
  const out = backend.makeOutput(outShape, x.dtype);
  transposeOnHeap(backend, x, out, B, R, C);
  return out;
};

/** out[b, c, r] = x[b, r, c], tile by tile. */
function transposeOnHeap(backend: WasmBackend, x: Info, out: Info, B: number, R: number, C: number): void {
  // Views taken after the output was allocated (allocation may grow and detach the heap).
  const src = backend.typedArrayFromHeap(x);
  const dst = backend.typedArrayFromHeap(out);
  const plane = R * C;
  for (let b = 0; b < B; b++) {
    const base = b * plane;
    for (let c0 = 0; c0 < C; c0 += TILE) {
      const c1 = Math.min(C, c0 + TILE);
      for (let r0 = 0; r0 < R; r0 += TILE) {
        const r1 = Math.min(R, r0 + TILE);
        for (let c = c0; c < c1; c++) {
          const d = base + c * R;
          for (let r = r0; r < r1; r++) dst[d + r] = src[base + r * C + c];
        }
      }
    }
  }
}
