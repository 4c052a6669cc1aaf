/**
 * `Tanh` for the wasm backend (see ../wasm-training-kernels.ts; the backend is chosen in
 * notebooks/00-setup.ipynb). The stock kernel calls libm `tanh` element by element (~20 ns an
 * element here: 10% of the char model's step). This is the odd rational approximation Eigen and
 * XNNPACK use for float32 (degree 13/6, clamped at |x| = 7.9053; a few float32 ulps), evaluated in
 * a tight loop on the wasm heap. Used by tanh layers and by GELU's tanh form.
 */
import { Info, KernelImpl, run } from "./wasm-kernel-utils";

const A1 = 4.89352455891786e-3, A3 = 6.37261928875436e-4, A5 = 1.48572235717979e-5, A7 = 5.12229709037114e-8;
const A9 = -8.60467152213735e-11, A11 = 2.00018790482477e-13, A13 = -2.76076847742355e-16;
const B0 = 4.89352518554385e-3, B2 = 2.26843463243900e-3, B4 = 1.18534705686654e-4, B6 = 1.19825839466702e-6;
const CLAMP = 7.90531110763549805;

/** tanh(x) by the rational approximation (x itself near 0, exactly ±1 beyond |x| = 9). */
export function fastTanh(v: number): number {
  if (v !== v) return v; // NaN
  if (Math.abs(v) < 4e-4) return v;
  if (v >= 9) return 1; // float32 tanh is exactly ±1 out here
  if (v <= -9) return -1;
  const x = v > CLAMP ? CLAMP : v < -CLAMP ? -CLAMP : v;
  const x2 = x * x;
  const p = x * (((((((A13 * x2 + A11) * x2 + A9) * x2 + A7) * x2 + A5) * x2 + A3) * x2) + A1);
  const q = ((B6 * x2 + B4) * x2 + B2) * x2 + B0;
  return p / q;
}

/** `Tanh` kernel. */
export const tanhKernel: KernelImpl = ({ inputs, backend }) => {
  const { x } = inputs as { x: Info };
  if (x.dtype !== "float32") return run(backend, "Tanh", { x });
  const out = backend.makeOutput(x.shape, "float32");
  const src = backend.typedArrayFromHeap(x) as Float32Array;
  const dst = backend.typedArrayFromHeap(out) as Float32Array;
  for (let i = 0; i < src.length; i++) dst[i] = fastTanh(src[i]);
  return out;
};
