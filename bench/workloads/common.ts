/**
 * Shared pieces of the benchmark workloads (bench/run.ts): parameters, dense and conv layers,
 * VICReg, the Adam training step. Plain tfjs ops on `tf.variable`s, the fastest way to train
 * (`variableGrads` + `applyGradients`, the step lib/train/train.ts takes too).
 */
import * as tf from "@tensorflow/tfjs";
import { fusedAdam } from "../../lib/backend/fused-adam";
import { nextSeed } from "../../lib/random";

/** One training workload: built on the current backend, stepped, disposed. */
export interface Workload {
  /** Short id used in tables and JSON (`mlp-jepa`, `conv-jepa`, `char-ar`). */
  name: string;
  /** Examples per step. */
  batch: number;
  /** Floating-point operations of one training step (forward + backward, counted analytically). */
  flopsPerStep: number;
  /** Runs one optimisation step; returns the loss (caller disposes). */
  step(): tf.Scalar;
  /** Frees variables, optimiser state and data. */
  dispose(): void;
}

/** How layers and the optimiser step are built; every variant computes the same function. */
export interface LayerOptions {
  /** Use tfjs fused kernels (`tf.fused.matMul` / `tf.fused.conv2d`: bias + relu inside the product). Default true. */
  fused: boolean;
  /** Adam with one fused update per variable (lib/backend/fused-adam.ts, what `train()` uses) instead of tfjs's. Default true. */
  fusedAdam: boolean;
}

/** Defaults for `LayerOptions`. */
export const layerDefaults: LayerOptions = { fused: true, fusedAdam: true };

/** The workloads' optimiser: Adam, fused or tfjs's own (`opts.fusedAdam`). */
export function adam(lr: number, opts: LayerOptions): tf.Optimizer {
  return opts.fusedAdam ? fusedAdam(lr) : tf.train.adam(lr);
}

/** Trainable parameters by name (the map `variableGrads` returns gradients for). */
export type Params = Record<string, tf.Variable>;

/** A weight with He-normal initialisation (std sqrt(2 / fanIn)), seeded from lib/random. */
export function weight(params: Params, name: string, shape: number[], fanIn: number): tf.Variable {
  const init = tf.randomNormal(shape, 0, Math.sqrt(2 / fanIn), "float32", nextSeed("bench"));
  const v = tf.variable(init, true); // auto name: several builds may live at once. Shares init's storage;
  init.dispose(); // so free the handle
  params[name] = v;
  return v;
}

/** A zero bias. */
export function bias(params: Params, name: string, n: number): tf.Variable {
  const init = tf.zeros([n]);
  const v = tf.variable(init, true);
  init.dispose();
  params[name] = v;
  return v;
}

/** Activation after a layer. */
export type Act = "relu" | "tanh" | "linear";

/** `act(x @ w + b)`: x [N, I], w [I, O], b [O] -> [N, O]. */
export function dense(x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D, act: Act, opts: LayerOptions): tf.Tensor2D {
  if (opts.fused) {
    const y = tf.fused.matMul({ a: x, b: w, bias: b, activation: act === "relu" ? "relu" : "linear" });
    return (act === "tanh" ? tf.tanh(y) : y) as tf.Tensor2D;
  }
  const y = tf.add(tf.matMul(x, w), b) as tf.Tensor2D;
  return act === "relu" ? tf.relu(y) : act === "tanh" ? tf.tanh(y) : y;
}

/** `act(conv3x3_same(x, w) + b)`: x [B, H, W, I], w [3, 3, I, O] -> [B, H, W, O]. */
export function conv(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D, act: Act, opts: LayerOptions): tf.Tensor4D {
  if (opts.fused && act !== "tanh") {
    return tf.fused.conv2d({ x, filter: w, strides: 1, pad: "same", bias: b, activation: act });
  }
  const y = tf.add(tf.conv2d(x, w, 1, "same"), b) as tf.Tensor4D;
  return act === "relu" ? tf.relu(y) : act === "tanh" ? tf.tanh(y) : y;
}

/** An MLP given as weight/bias names: relu between layers, linear output. */
export function mlp(params: Params, prefix: string, sizes: number[]): (x: tf.Tensor2D, opts: LayerOptions) => tf.Tensor2D {
  const layers = sizes.slice(1).map((o, i) => ({
    w: weight(params, `${prefix}.w${i}`, [sizes[i], o], sizes[i]) as tf.Variable<tf.Rank.R2>,
    b: bias(params, `${prefix}.b${i}`, o) as tf.Variable<tf.Rank.R1>,
  }));
  return (x, opts) => layers.reduce((h, l, i) => dense(h, l.w, l.b, i < layers.length - 1 ? "relu" : "linear", opts), x);
}

/** Multiply-accumulates of an MLP on one row, times 2 = FLOPs. */
export function mlpFlops(sizes: number[]): number {
  let macs = 0;
  for (let i = 1; i < sizes.length; i++) macs += sizes[i - 1] * sizes[i];
  return 2 * macs;
}

/**
 * VICReg variance + covariance terms of one embedding z [N, D] (Bardes et al. 2022):
 * mean(relu(1 - sqrt(var + 1e-4))) and sum of squared off-diagonal covariances / D.
 */
export function vicregTerms(z: tf.Tensor2D): { std: tf.Scalar; cov: tf.Scalar } {
  const [n, d] = z.shape;
  const zc = tf.sub(z, tf.mean(z, 0));
  const variance = tf.div(tf.sum(tf.square(zc), 0), n - 1);
  const std = tf.mean(tf.relu(tf.sub(1, tf.sqrt(tf.add(variance, 1e-4))))) as tf.Scalar;
  const cov = tf.div(tf.matMul(zc, zc, true, false), n - 1);
  const offDiag = tf.sub(tf.sum(tf.square(cov)), tf.sum(tf.square(variance)));
  return { std, cov: tf.div(offDiag, d) as tf.Scalar };
}

/** One Adam step on `loss()`; returns the loss value tensor. */
export function trainStep(optimizer: tf.Optimizer, params: Params, loss: () => tf.Scalar): tf.Scalar {
  const { value, grads } = tf.variableGrads(loss, Object.values(params));
  optimizer.applyGradients(grads);
  tf.dispose(grads);
  return value;
}

/** Disposes variables, the optimiser's state and extra tensors. */
export function disposeAll(params: Params, optimizer: tf.Optimizer, extra: tf.Tensor[]): void {
  tf.dispose(Object.values(params));
  optimizer.dispose();
  tf.dispose(extra);
}
