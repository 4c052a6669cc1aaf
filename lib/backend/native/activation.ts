/**
 * Activation codes the native kernels apply after a product (the "fused" part of `_FusedMatMul`
 * and `FusedConv2D`); must match `activate`/`postOps` in native/mini_jepa_native.cc. Introduced
 * with the native tier in notebooks/00-setup.ipynb, where the backend is chosen.
 */

/** tfjs fused activation name -> native code; names not here (prelu) stay on the wasm kernels. */
const CODES: Record<string, number> = { linear: 0, relu: 1, relu6: 2, leakyrelu: 3, sigmoid: 4, elu: 5 };

/** The native code of a tfjs fused activation, or null when the native kernels do not do it. */
export function activationCode(name: string | undefined): number | null {
  const code = CODES[name ?? "linear"];
  return code === undefined ? null : code;
}
