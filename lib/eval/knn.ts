/**
 * k-nearest-neighbour accuracy with cosine similarity: a probe with no training at all. Introduced
 * in notebooks/04-masked-image-jepa.ipynb.
 *
 * Each test row takes the k training rows of highest cosine similarity and votes; a tie goes to the
 * class with the larger summed similarity, then to the smaller class id. A zero row has similarity 0
 * to everything.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { Dense, LabelsInput, RowsInput, sameWidth, toDense, toLabels } from "./dense";

/** Test rows scored per matmul: bounds memory at chunk x Ntrain floats. */
const CHUNK = 256;

/** Options for `knnProbe`. */
export interface KnnProbeOptions {
  /** Neighbours that vote, an integer in [1, N]. Default 20. */
  k?: number;
}

/** Default options of `knnProbe`. */
export const knnProbeDefaults: Required<KnnProbeOptions> = { k: 20 };

/** What `knnProbe` returns. */
export interface KnnProbeResult {
  /** Test accuracy in [0, 1]. */
  accuracy: number;
  /** Predicted class of each test row. */
  predictions: number[];
}

/**
 * A cosine kNN classifier scored on test rows. trainX [N, D], trainY [N] class ids; testX [M, D],
 * testY [M] (tf.Tensor or arrays).
 */
export function knnProbe(trainX: RowsInput, trainY: LabelsInput, testX: RowsInput, testY: LabelsInput, opts: KnnProbeOptions = {}): KnnProbeResult {
  const where = "knnProbe";
  const { k } = withDefaults(knnProbeDefaults, opts, where);
  const xtr = toDense(where, "trainX", trainX);
  const xte = toDense(where, "testX", testX);
  sameWidth(where, "trainX", xtr, "testX", xte);
  const ytr = toLabels(where, "trainY", trainY, xtr.n);
  const yte = toLabels(where, "testY", testY, xte.n);
  checkNumber(where, "opts.k", k, { min: 1, max: xtr.n, integer: true });
  const trainT = tf.tidy(() => tf.transpose(tf.tensor2d(unitRows(xtr), [xtr.n, xtr.d]))); // [D, N]
  const predictions: number[] = [];
  try {
    for (let start = 0; start < xte.n; start += CHUNK) {
      const rows = Math.min(CHUNK, xte.n - start);
      const chunk = unitRows(xte).subarray(start * xte.d, (start + rows) * xte.d);
      const { values, indices } = tf.tidy(() => {
        const sims = tf.matMul(tf.tensor2d(chunk, [rows, xte.d]), trainT); // [rows, N]
        const top = tf.topk(sims, k);
        return { values: top.values.dataSync(), indices: top.indices.dataSync() };
      });
      for (let r = 0; r < rows; r++) {
        predictions.push(vote(indices.subarray(r * k, (r + 1) * k), values.subarray(r * k, (r + 1) * k), ytr));
      }
    }
  } finally {
    trainT.dispose();
  }
  const accuracy = predictions.filter((p, i) => p === yte[i]).length / xte.n;
  return { accuracy, predictions };
}

/** Majority class among the neighbours; ties by summed similarity, then the smaller id. */
function vote(idx: ArrayLike<number>, sims: ArrayLike<number>, labels: number[]): number {
  const count = new Map<number, number>();
  const weight = new Map<number, number>();
  for (let i = 0; i < idx.length; i++) {
    const c = labels[idx[i]];
    count.set(c, (count.get(c) ?? 0) + 1);
    weight.set(c, (weight.get(c) ?? 0) + sims[i]);
  }
  let best = -1;
  for (const c of count.keys()) {
    if (best < 0) { best = c; continue; }
    const dc = count.get(c)! - count.get(best)!;
    const dw = weight.get(c)! - weight.get(best)!;
    if (dc > 0 || (dc === 0 && (dw > 0 || (dw === 0 && c < best)))) best = c;
  }
  return best;
}

/** Rows scaled to unit length in float32 (zero rows stay zero). Cached per Dense. */
const unitCache = new WeakMap<Dense, Float32Array>();
function unitRows(m: Dense): Float32Array {
  const cached = unitCache.get(m);
  if (cached) return cached;
  const out = new Float32Array(m.n * m.d);
  for (let i = 0; i < m.n; i++) {
    let ss = 0;
    let mx = 0;
    for (let j = 0; j < m.d; j++) mx = Math.max(mx, Math.abs(m.data[i * m.d + j]));
    for (let j = 0; j < m.d; j++) ss += (m.data[i * m.d + j] / (mx || 1)) ** 2;
    const norm = Math.sqrt(ss) * mx; // scaled so huge values do not overflow
    for (let j = 0; j < m.d; j++) out[i * m.d + j] = norm > 0 ? m.data[i * m.d + j] / norm : 0;
  }
  unitCache.set(m, out);
  return out;
}
