/**
 * Cross-entropy of class logits against labels: the loss of the auto-regressive (next-token)
 * baseline and of classifiers. Written out in notebooks/01-autoregressive-contrast.ipynb (the
 * next-token loss), then imported from here.
 *
 * logits: [..., C] (e.g. [B, C] or [B, T, C]); labels either class ids with the leading shape
 * (`[B]` / `[B, T]`, an int32 tensor or, for [B, C] logits, a number[]) or target probabilities
 * with the same shape as logits (float32). Returns mean over positions of -sum_c p_c log softmax(logits)_c,
 * in nats (divide by ln 2 for bits), as `{ loss }` like every loss. Uses log-softmax, so large logits
 * do not overflow.
 */
import * as tf from "@tensorflow/tfjs";
import { checkFinite, checkTensor, withDefaults } from "../check";

/** Options for `crossEntropy`. */
export interface CrossEntropyOptions {
  /** Check logits for NaN/Infinity and class ids for range (one read-back each). Default true. */
  validate?: boolean;
}

/** Default options of `crossEntropy`. */
export const crossEntropyDefaults: Required<CrossEntropyOptions> = { validate: true };

/** Mean cross-entropy (nats) of logits [..., C] against class ids [...] or probabilities [..., C]: `{ loss }`, differentiable in logits. */
export function crossEntropy(logits: tf.Tensor, labels: tf.Tensor | number[], opts: CrossEntropyOptions = {}): { loss: tf.Scalar } {
  const where = "crossEntropy";
  const o = withDefaults(crossEntropyDefaults, opts, where);
  checkTensor(where, "logits", logits, 2);
  if (o.validate) checkFinite(where, "logits", logits);
  const numClasses = logits.shape[logits.rank - 1];
  const target = targetProbs(where, logits.shape, numClasses, labels, o.validate); // [..., C]
  try {
    return { loss: tf.tidy(() => tf.neg(tf.mean(tf.sum(tf.mul(target, tf.logSoftmax(logits)), -1))) as tf.Scalar) };
  } finally {
    target.dispose();
  }
}

/** Labels as a float32 [..., C] tensor of probabilities (one-hot for ids); the caller disposes it. */
function targetProbs(where: string, shape: number[], c: number, labels: tf.Tensor | number[], validate: boolean): tf.Tensor {
  const lead = shape.slice(0, -1);
  const expect = `class ids [${lead.join(", ")}] or probabilities [${shape.join(", ")}]`;
  if (Array.isArray(labels)) {
    if (lead.length !== 1 || labels.length !== lead[0]) {
      throw new Error(`${where}: labels must be ${expect}, received an array of length ${labels.length}`);
    }
    checkIds(where, labels, c);
    return tf.tidy(() => oneHot(tf.tensor1d(labels, "int32"), c));
  }
  if (!(labels instanceof tf.Tensor) || labels.isDisposed) {
    throw new TypeError(`${where}: labels must be ${expect}, received ${labels === null ? "null" : typeof labels}`);
  }
  const same = (s: number[]) => labels.shape.length === s.length && labels.shape.every((d, i) => d === s[i]);
  if (same(shape) && labels.dtype === "float32") {
    if (validate) checkFinite(where, "labels", labels);
    return tf.clone(labels);
  }
  if (same(lead)) {
    if (labels.dtype !== "int32") throw new TypeError(`${where}: labels as class ids must have dtype int32, received ${labels.dtype}`);
    if (validate) checkIds(where, Array.from(labels.dataSync()), c);
    return tf.tidy(() => oneHot(labels, c));
  }
  throw new Error(`${where}: labels must be ${expect}, received ${labels.dtype} [${labels.shape.join(", ")}]`);
}

/** float32 one-hot of int32 ids [...] -> [..., C] (tf.oneHot refuses C = 1). */
function oneHot(ids: tf.Tensor, c: number): tf.Tensor {
  return tf.cast(tf.equal(tf.expandDims(ids, -1), tf.range(0, c, 1, "int32")), "float32");
}

function checkIds(where: string, ids: number[], c: number): void {
  const i = ids.findIndex((v) => typeof v !== "number" || !Number.isInteger(v) || v < 0 || v >= c);
  if (i >= 0) {
    throw new RangeError(`${where}: labels must be integer class ids in [0, ${c - 1}], received ${String(ids[i])} at index ${i}`);
  }
}
