/**
 * Training kernels for the wasm backend (see ../backend.ts). Placeholder until the kernels land:
 * registers nothing and returns the list of patches applied.
 */
export function registerWasmTrainingKernels(): string[] {
  return [];
}
