/**
 * Input conversion for the diagnostics (not re-exported from lib/): a tf.Tensor or plain arrays in,
 * a checked dense row-major matrix out. Every error names the calling function and the argument.
 */
import * as tf from "@tensorflow/tfjs";
import { Matrix } from "ml-matrix";

/** A matrix or tensor of rows: tf.Tensor [N, D] (or [B, T, D] where a function allows it) or number[][]. */
export type RowsInput = tf.Tensor | number[][];

/** Class labels: number[] or a tf.Tensor1D of non-negative integers. */
export type LabelsInput = number[] | tf.Tensor;

/** A checked dense matrix: n rows of d values, row-major, float64. */
export interface Dense {
  n: number;
  d: number;
  data: Float64Array;
}

/**
 * Reads `x` as an [N, D] matrix. `flatten`: a tensor of rank > 2 becomes [prod(leading), D].
 * Throws unless it is rectangular, non-empty and finite.
 */
export function toDense(where: string, arg: string, x: unknown, flatten = false): Dense {
  if (x instanceof tf.Tensor) {
    if (x.isDisposed) throw new Error(`${where}: ${arg} was already disposed`);
    const s = x.shape as number[];
    if (s.length < 2 || (s.length > 2 && !flatten)) {
      const want = flatten ? "rank >= 2 [N, D]" : "rank 2 [N, D]";
      throw new Error(`${where}: ${arg} must have ${want}, received shape [${s.join(", ")}]`);
    }
    const d = s[s.length - 1];
    const n = s.slice(0, -1).reduce((a, b) => a * b, 1);
    if (n === 0 || d === 0) throw new Error(`${where}: ${arg} must not be empty, received shape [${s.join(", ")}]`);
    if (x.dtype === "string" || x.dtype === "complex64") throw new TypeError(`${where}: ${arg} must be a numeric tensor, received dtype ${x.dtype}`);
    return finite(where, arg, { n, d, data: Float64Array.from(x.dataSync() as Float32Array) });
  }
  if (!Array.isArray(x)) throw new TypeError(`${where}: ${arg} must be a tf.Tensor [N, D] or number[][], received ${describe(x)}`);
  const n = x.length;
  const d = n > 0 && Array.isArray(x[0]) ? x[0].length : 0;
  if (n === 0 || d === 0) throw new Error(`${where}: ${arg} must be a non-empty number[][] [N, D], received ${describe(x)}`);
  const data = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const row = x[i];
    if (!Array.isArray(row) || row.length !== d) {
      throw new Error(`${where}: ${arg} must be a rectangular number[][] [N, D] with D = ${d}, received row ${i} of ${describe(row)}`);
    }
    for (let j = 0; j < d; j++) data[i * d + j] = typeof row[j] === "number" ? row[j] : NaN;
  }
  return finite(where, arg, { n, d, data });
}

/** Reads targets as [N, K]: a number[] or 1-D tensor becomes [N, 1]. */
export function toTargets(where: string, arg: string, y: unknown): Dense {
  if (y instanceof tf.Tensor && y.rank === 1 && !y.isDisposed) {
    if (y.size === 0) throw new Error(`${where}: ${arg} must not be empty, received shape [0]`);
    return finite(where, arg, { n: y.size, d: 1, data: Float64Array.from(y.dataSync() as Float32Array) });
  }
  if (Array.isArray(y) && y.length > 0 && !Array.isArray(y[0])) return toDense(where, arg, y.map((v) => [v]));
  return toDense(where, arg, y);
}

/** Reads class labels: non-negative integers, one per row. */
export function toLabels(where: string, arg: string, y: unknown, n: number): number[] {
  let vals: number[];
  if (y instanceof tf.Tensor) {
    if (y.isDisposed) throw new Error(`${where}: ${arg} was already disposed`);
    if (y.rank !== 1) throw new Error(`${where}: ${arg} must be a 1-D tensor [N] of class ids, received shape [${y.shape.join(", ")}]`);
    vals = Array.from(y.dataSync() as Float32Array);
  } else if (Array.isArray(y)) {
    vals = y as number[];
  } else {
    throw new TypeError(`${where}: ${arg} must be number[] or a tf.Tensor1D of class ids, received ${describe(y)}`);
  }
  if (vals.length !== n) throw new Error(`${where}: ${arg} must have one label per row (N = ${n}), received ${vals.length}`);
  const i = vals.findIndex((v) => typeof v !== "number" || !Number.isInteger(v) || v < 0);
  if (i >= 0) throw new RangeError(`${where}: ${arg} must hold non-negative integer class ids, received ${String(vals[i])} at index ${i}`);
  return vals;
}

/** Throws unless two matrices have the same number of columns. */
export function sameWidth(where: string, argA: string, a: Dense, argB: string, b: Dense): void {
  if (a.d !== b.d) throw new Error(`${where}: ${argB} must have D = ${a.d} columns like ${argA}, received [${b.n}, ${b.d}]`);
}

/** Throws unless two arguments have the same number of rows. */
export function sameRows(where: string, argA: string, na: number, argB: string, nb: number): void {
  if (na !== nb) throw new Error(`${where}: ${argB} must have N = ${na} rows like ${argA}, received ${nb}`);
}

/** The Dense as an ml-matrix Matrix (copy). */
export function toMatrix(m: Dense): Matrix {
  const out = new Matrix(m.n, m.d);
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.d; j++) out.set(i, j, m.data[i * m.d + j]);
  return out;
}

function finite(where: string, arg: string, m: Dense): Dense {
  const i = m.data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) {
    throw new RangeError(`${where}: ${arg} must hold finite numbers, received ${m.data[i]} at [${Math.floor(i / m.d)}, ${i % m.d}]`);
  }
  return m;
}

function describe(v: unknown): string {
  if (v instanceof tf.Tensor) return `tensor [${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? "null" : typeof v;
}
