/**
 * Linear probe for classes: multinomial logistic regression on frozen embeddings. Introduced in
 * notebooks/04-masked-image-jepa.ipynb (MNIST digits from JEPA features vs raw pixels).
 *
 * Features are standardised with the training mean and std; weights start at zero and take
 * `steps` full-batch Adam steps on mean cross-entropy + l2/2 ||W||^2 (analytic gradient). Convex, zero
 * start, no sampling: the same inputs give the same result on the same backend.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { Dense, LabelsInput, RowsInput, sameWidth, toDense, toLabels } from "./dense";

/** Largest number of classes the probe accepts (a guard against passing values as labels). */
const MAX_CLASSES = 65536;

/** Options for `logisticProbe`. */
export interface LogisticProbeOptions {
  /** Full-batch optimiser steps. Default 300. */
  steps?: number;
  /** Adam learning rate. Default 0.05. */
  lr?: number;
  /** L2 penalty on the weights (not the biases). Default 1e-4. */
  l2?: number;
  /** Number of classes; default max label + 1 over train and test. */
  numClasses?: number;
}

/** Default options of `logisticProbe` (`numClasses` inferred). */
export const logisticProbeDefaults = { steps: 300, lr: 0.05, l2: 1e-4 };

/** What `logisticProbe` returns. */
export interface LogisticProbeResult {
  /** Fraction of test rows classified correctly, in [0, 1]. */
  accuracy: number;
  /** Fraction of training rows classified correctly. */
  trainAccuracy: number;
  /** Predicted class of each test row. */
  predictions: number[];
  /** Final training loss (mean cross-entropy, nats, without the penalty). */
  trainLoss: number;
}

/**
 * Logistic-regression probe. trainX [N, D], trainY [N] class ids; testX [M, D], testY [M]
 * (tf.Tensor or arrays). Returns test accuracy and predictions.
 */
export function logisticProbe(
  trainX: RowsInput,
  trainY: LabelsInput,
  testX: RowsInput,
  testY: LabelsInput,
  opts: LogisticProbeOptions = {},
): LogisticProbeResult {
  const where = "logisticProbe";
  const o = withDefaults(logisticProbeDefaults, opts, where);
  checkNumber(where, "opts.steps", o.steps, { min: 0, integer: true });
  checkNumber(where, "opts.lr", o.lr, { min: 0, exclusiveMin: true });
  checkNumber(where, "opts.l2", o.l2, { min: 0 });
  const xtr = toDense(where, "trainX", trainX);
  const xte = toDense(where, "testX", testX);
  sameWidth(where, "trainX", xtr, "testX", xte);
  const ytr = toLabels(where, "trainY", trainY, xtr.n);
  const yte = toLabels(where, "testY", testY, xte.n);
  const maxLabel = ytr.concat(yte).reduce((a, v) => Math.max(a, v), 0);
  if (maxLabel >= MAX_CLASSES) throw new RangeError(`${where}: class ids must be below ${MAX_CLASSES}, received ${maxLabel}`);
  const c = o.numClasses === undefined ? maxLabel + 1 : checkNumber(where, "opts.numClasses", o.numClasses, { min: maxLabel + 1, integer: true });
  const { mean, std } = columnStats(xtr);
  const [W, b, trainLoss] = fit(standardise(xtr, mean, std), ytr, Math.max(c, 2), o); // [D, C], [C]
  try {
    const trainPred = predict(standardise(xtr, mean, std), W, b);
    const predictions = predict(standardise(xte, mean, std), W, b);
    const acc = (p: number[], y: number[]) => p.reduce((s, v, i) => s + (v === y[i] ? 1 : 0), 0) / y.length;
    return { accuracy: acc(predictions, yte), trainAccuracy: acc(trainPred, ytr), predictions, trainLoss };
  } finally {
    tf.dispose([W, b]);
  }
}

/** Adam on softmax regression from zero; returns weights [D, C], biases [C] and the last loss. */
function fit(x: Float32Array, y: number[], c: number, o: typeof logisticProbeDefaults): [tf.Tensor2D, tf.Tensor1D, number] {
  const n = y.length;
  const d = x.length / n;
  const [beta1, beta2, epsAdam] = [0.9, 0.999, 1e-8];
  const X = tf.tensor2d(x, [n, d]);
  const Xt = tf.tidy(() => tf.transpose(X)); // [D, N], transposed once (fast path on wasm)
  const Y = tf.tidy(() => tf.oneHot(tf.tensor1d(y, "int32"), c).toFloat()); // [N, C]
  let state = { W: tf.zeros([d, c]), b: tf.zeros([c]), mW: tf.zeros([d, c]), vW: tf.zeros([d, c]), mb: tf.zeros([c]), vb: tf.zeros([c]) };
  let loss = NaN;
  for (let step = 1; step <= o.steps; step++) {
    const prev = state;
    const out = tf.tidy(() => {
      const logits = tf.add(tf.matMul(X, prev.W), prev.b); // [N, C]
      const g = tf.div(tf.sub(tf.softmax(logits), Y), n); // [N, C]
      const gW = tf.add(tf.matMul(Xt, g), tf.mul(o.l2, prev.W));
      const gb = tf.sum(g, 0);
      const corr1 = 1 - beta1 ** step;
      const corr2 = 1 - beta2 ** step;
      const adam = (p: tf.Tensor, m: tf.Tensor, v: tf.Tensor, grad: tf.Tensor) => {
        const m2 = tf.add(tf.mul(beta1, m), tf.mul(1 - beta1, grad));
        const v2 = tf.add(tf.mul(beta2, v), tf.mul(1 - beta2, tf.square(grad)));
        const upd = tf.div(tf.div(m2, corr1), tf.add(tf.sqrt(tf.div(v2, corr2)), epsAdam));
        return [tf.sub(p, tf.mul(o.lr, upd)), m2, v2];
      };
      const [W, mW, vW] = adam(prev.W, prev.mW, prev.vW, gW);
      const [b, mb, vb] = adam(prev.b, prev.mb, prev.vb, gb);
      const lossT = step === o.steps ? tf.neg(tf.mean(tf.sum(tf.mul(Y, tf.logSoftmax(logits)), 1))) : tf.scalar(NaN);
      return { W, b, mW, vW, mb, vb, lossT };
    });
    loss = out.lossT.dataSync()[0];
    out.lossT.dispose();
    tf.dispose(Object.values(prev));
    state = { W: out.W, b: out.b, mW: out.mW, vW: out.vW, mb: out.mb, vb: out.vb };
  }
  if (o.steps === 0) loss = Math.log(c);
  tf.dispose([X, Xt, Y, state.mW, state.vW, state.mb, state.vb]);
  return [state.W as tf.Tensor2D, state.b as tf.Tensor1D, loss];
}

/** Argmax class of each standardised row. */
function predict(x: Float32Array, W: tf.Tensor2D, b: tf.Tensor1D): number[] {
  const d = W.shape[0];
  return tf.tidy(() => Array.from(tf.argMax(tf.add(tf.matMul(tf.tensor2d(x, [x.length / d, d]), W), b), 1).dataSync()));
}

/** Column means and stds (a constant column gets std 1, so it stays 0 after standardising). */
function columnStats(m: Dense): { mean: Float64Array; std: Float64Array } {
  const mean = new Float64Array(m.d);
  const std = new Float64Array(m.d);
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.d; j++) mean[j] += m.data[i * m.d + j] / m.n;
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.d; j++) std[j] += (m.data[i * m.d + j] - mean[j]) ** 2 / m.n;
  for (let j = 0; j < m.d; j++) std[j] = std[j] > 1e-24 ? Math.sqrt(std[j]) : 1;
  return { mean, std };
}

function standardise(m: Dense, mean: Float64Array, std: Float64Array): Float32Array {
  const out = new Float32Array(m.n * m.d);
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.d; j++) out[i * m.d + j] = (m.data[i * m.d + j] - mean[j]) / std[j];
  return out;
}
