/**
 * Adam with one fused update per variable on the wasm backend: `fusedAdam(lr)` is a drop-in
 * `tf.train.adam(lr)` (same class, same state, same checkpoints; `train()` uses it). Introduced
 * with the backend in notebooks/00-setup.ipynb.
 *
 * tfjs's Adam dispatches ~14 kernels per variable per step (scale and add both moments, square,
 * two bias corrections, sqrt, add, div, mul, add, three assigns) plus two for the beta powers: on
 * a model with 30 variables that is ~400 dispatches at ~20 µs, often more than the model itself.
 * Here each variable is one pass over the wasm heap (in the native addon when it is loaded, else a
 * JavaScript loop), with the same float32 arithmetic in the same order:
 *
 *   m <- b1 m + (1 - b1) g,   v <- b2 v + (1 - b2) g^2,
 *   w <- w - lr (m / (1 - b1^t)) / (sqrt(v / (1 - b2^t)) + eps)
 *
 * The moments are updated in place when nothing else holds their storage. The weights always get
 * fresh storage (as `assign` would): the wasm backend caches XNNPACK operators with the packed
 * weights of a tensor by its id, so weights must never change in place. On other backends
 * (tensorflow, cpu) it is tfjs's Adam unchanged.
 */
import * as tf from "@tensorflow/tfjs";
import { Info, WasmBackend } from "./kernels/wasm-kernel-utils";
import { activeNativeAddon } from "./native-kernels";
import { heapOf, offsetOf } from "./native/heap";

/** An optimiser slot as tfjs's Optimizer keeps it. */
interface Slot {
  originalName: string;
  variable: tf.Variable;
}

/** The private state of tfjs's AdamOptimizer that the fused step reads and writes. */
interface AdamState {
  accBeta1: tf.Variable;
  accBeta2: tf.Variable;
  accumulatedFirstMoment: Slot[];
  accumulatedSecondMoment: Slot[];
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  incrementIterations(): void;
}

/** tfjs's `AdamOptimizer` with a fused `applyGradients` on the wasm backend. */
export class FusedAdamOptimizer extends tf.AdamOptimizer {
  /** Kept so models and checkpoints see the class name tfjs uses. */
  static override get className(): string {
    return "Adam";
  }

  override applyGradients(variableGradients: Parameters<tf.AdamOptimizer["applyGradients"]>[0]): void {
    const list = Array.isArray(variableGradients)
      ? variableGradients.map((v) => ({ name: v.name, grad: v.tensor }))
      : Object.keys(variableGradients).map((name) => ({ name, grad: variableGradients[name] }));
    const vars = tf.engine().registeredVariables;
    const fusable = tf.getBackend() === "wasm" &&
      list.every(({ name, grad }) => !grad || (grad.dtype === "float32" && vars[name]?.dtype === "float32"));
    if (!fusable) return super.applyGradients(variableGradients);
    fusedStep(this as unknown as AdamState, tf.backend() as unknown as WasmBackend, list, vars);
  }
}

/** `tf.train.adam` with the fused update (same defaults: beta1 0.9, beta2 0.999, the backend's epsilon). */
export function fusedAdam(learningRate = 0.001, beta1 = 0.9, beta2 = 0.999, epsilon: number | null = null): FusedAdamOptimizer {
  return new FusedAdamOptimizer(learningRate, beta1, beta2, epsilon as number);
}

const params = new Float64Array(14);

function fusedStep(s: AdamState, backend: WasmBackend, list: { name: string; grad: tf.Tensor | undefined }[], vars: Record<string, tf.Variable>): void {
  const addon = activeNativeAddon();
  const accB1 = scalarOf(backend, s.accBeta1), accB2 = scalarOf(backend, s.accBeta2);
  // The same float32 values tfjs computes: sub(1, accBeta) and the scalars (1 - beta) of mul().
  const c1 = Math.fround(1 - accB1), c2 = Math.fround(1 - accB2);
  const k = { lr: Math.fround(s.learningRate), b1: Math.fround(s.beta1), b2: Math.fround(s.beta2), eps: Math.fround(s.epsilon),
    a1: Math.fround(1 - s.beta1), a2: Math.fround(1 - s.beta2), c1, c2 };
  list.forEach(({ name, grad }, i) => {
    const value = vars[name];
    s.accumulatedFirstMoment[i] ??= { originalName: `${name}/m`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    s.accumulatedSecondMoment[i] ??= { originalName: `${name}/v`, variable: tf.tidy(() => tf.zerosLike(value).variable(false)) };
    if (!grad) return;
    const m = owned(backend, s.accumulatedFirstMoment[i].variable), v = owned(backend, s.accumulatedSecondMoment[i].variable);
    const out = backend.makeOutput(value.shape, "float32");
    if (addon) {
      params.set([value.size, offsetOf(backend, value), offsetOf(backend, grad), offsetOf(backend, m), offsetOf(backend, v),
        offsetOf(backend, out), k.lr, k.b1, k.b2, k.eps, c1, c2, k.a1, k.a2]);
      addon.adam(heapOf(backend), params);
    } else {
      adamLoop(backend, value, grad, m, v, out, k);
    }
    const t = tf.engine().makeTensorFromTensorInfo(out);
    value.assign(t);
    t.dispose();
  });
  setScalar(backend, s.accBeta1, Math.fround(accB1 * k.b1));
  setScalar(backend, s.accBeta2, Math.fround(accB2 * k.b2));
  s.incrementIterations();
}

/** The update in JavaScript on Float32Array views (when the addon is not loaded). */
function adamLoop(backend: WasmBackend, w: Info, g: Info, m: Info, v: Info, out: Info,
  k: { lr: number; b1: number; b2: number; eps: number; a1: number; a2: number; c1: number; c2: number }): void {
  const W = view(backend, w), G = view(backend, g), Mo = view(backend, m), V = view(backend, v), O = view(backend, out);
  const f = Math.fround;
  for (let j = 0; j < W.length; j++) {
    const gj = G[j];
    const mj = f(f(Mo[j] * k.b1) + f(gj * k.a1));
    const vj = f(f(V[j] * k.b2) + f(f(gj * gj) * k.a2));
    Mo[j] = mj;
    V[j] = vj;
    O[j] = f(f(f(f(mj / k.c1) / f(f(Math.sqrt(f(vj / k.c2))) + k.eps)) * -k.lr) + W[j]);
  }
}

function view(backend: WasmBackend, x: Info): Float32Array {
  return backend.typedArrayFromHeap(x) as Float32Array;
}

/**
 * A moment variable whose storage nothing else shares (reference count 1), to update in place;
 * if something shares it (a clone kept by the caller), it gets a private copy first.
 */
function owned(backend: WasmBackend, variable: tf.Variable): tf.Variable {
  if (backend.dataIdMap.get(variable.dataId).refCount === 1) return variable;
  const copy = backend.makeOutput(variable.shape, "float32");
  view(backend, copy).set(view(backend, variable));
  const t = tf.engine().makeTensorFromTensorInfo(copy);
  variable.assign(t);
  t.dispose();
  return variable;
}

function scalarOf(backend: WasmBackend, x: tf.Variable): number {
  return view(backend, x)[0];
}

function setScalar(backend: WasmBackend, x: tf.Variable, value: number): void {
  view(backend, owned(backend, x))[0] = value;
}
