/**
 * `Identity` and same-dtype `Cast` for the wasm backend (see ../wasm-training-kernels.ts; the
 * backend is chosen in notebooks/00-setup.ipynb). While a gradient tape records, tfjs clones every
 * tensor a gradient will need through `Identity`; stock wasm copies the whole buffer each time
 * (~70 copies of a [128, 7, 7, 64] activation per conv-JEPA step). Tensors are immutable, so these
 * share the storage and bump its reference count instead, as the cpu backend and wasm's own
 * `Reshape` do. Casts between different dtypes convert through the stock kernel, except to bool:
 * stock copies the bytes (2 -> 2, -1 -> 255, 0.5 -> 0) where tfjs means `x != 0`.
 */
import { Info, KernelImpl, run } from "./wasm-kernel-utils";

/** Same storage, one more reference. */
function share(backend: Parameters<KernelImpl>[0]["backend"], x: Info): Info {
  (backend as unknown as { incRef(id: object): void }).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape.slice(), dtype: x.dtype };
}

/** `Identity` kernel. */
export const identityKernel: KernelImpl = ({ inputs, backend }) => {
  const { x } = inputs as { x: Info };
  if (x.dtype === "string") return run(backend, "Identity", { x });
  return share(backend, x);
};

/** `Cast` kernel: free when the dtype does not change. */
export const castKernel: KernelImpl = ({ inputs, backend, attrs }) => {
  const { x } = inputs as { x: Info };
  const { dtype } = attrs as unknown as { dtype: string };
  if (dtype === "bool" && (x.dtype === "float32" || x.dtype === "int32")) {
    const out = backend.makeOutput(x.shape, "bool");
    const src = backend.typedArrayFromHeap(x), dst = backend.typedArrayFromHeap(out);
    for (let i = 0; i < src.length; i++) dst[i] = src[i] !== 0 ? 1 : 0; // NaN counts as true, as on cpu
    return out;
  }
  if (dtype !== x.dtype || x.dtype === "string") return run(backend, "Cast", { x }, attrs ?? {});
  return share(backend, x);
};
