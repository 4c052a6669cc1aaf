/**
 * `assertClose`: a lesson writes its mechanism out in a few lines, then checks that its own version
 * and the library's agree before using the library. A failing check throws, so the notebook stops
 * (and fails in CI). Introduced in notebooks/01-autoregressive-contrast.ipynb (the next-token and
 * latent losses, written out and checked); every lesson after it checks its mechanism this way.
 *
 *   assertClose(myVicreg(x, y), vicregLoss(x, y).loss, { tol: 1e-5, what: "VICReg loss" });
 *
 * Passes when |actual - expected| <= tol * max(1, |expected|) for every element (relative for large
 * values, absolute near zero). Prints one line saying what agreed and by how much.
 */
import * as tf from "@tensorflow/tfjs";
import { withDefaults } from "./check";

/** Options of `assertClose`. */
export interface AssertCloseOptions {
  /** Largest allowed difference, relative to max(1, |expected|) element by element. Default 1e-5. */
  tol?: number;
  /** What is compared, named in the message ("VICReg loss (mine vs vicregLoss)"). Default "values". */
  what?: string;
  /** Print "✓ <what>: max difference ..." on success. Default true. */
  verbose?: boolean;
}

/** Default options of `assertClose`. */
export const assertCloseDefaults: Required<AssertCloseOptions> = { tol: 1e-5, what: "values", verbose: true };

/** A value `assertClose` compares: a tensor, a number, or (nested) arrays of numbers. */
export type Comparable = tf.Tensor | number | ArrayLike<number> | Comparable[];

/**
 * Throws unless `actual` and `expected` have the same shape and agree within `tol` (see the file
 * header); the error names `what`, both values (or the first element that differs) and the tolerance.
 * Returns the largest scaled difference. Reads tensors back; does not dispose them.
 */
export function assertClose(actual: Comparable, expected: Comparable, opts: AssertCloseOptions = {}): number {
  const o = withDefaults(assertCloseDefaults, opts, "assertClose");
  const a = flatten("actual", actual, o.what);
  const e = flatten("expected", expected, o.what);
  if (a.shape.join() !== e.shape.join()) {
    throw new Error(`assertClose: ${o.what}: shapes differ, actual [${a.shape.join(", ")}] vs expected [${e.shape.join(", ")}]`);
  }
  let worst = 0;
  let at = -1;
  for (let i = 0; i < e.values.length; i++) {
    const d = Math.abs(a.values[i] - e.values[i]) / Math.max(1, Math.abs(e.values[i]));
    if (Number.isNaN(d) || d > worst) {
      worst = d;
      at = i;
      if (Number.isNaN(d)) break; // NaN or Infinity on one side: report it
    }
  }
  if (!(worst <= o.tol)) {
    const where = e.values.length === 1 ? "" : ` at element ${at} of ${e.values.length}`;
    throw new Error(`assertClose: ${o.what} differ${where}: actual ${a.values[at]} vs expected ${e.values[at]} (difference ${fmt(worst)} relative to max(1, |expected|), tolerance ${o.tol})`);
  }
  if (o.verbose) console.log(`✓ ${o.what}: agree within ${fmt(worst)} (tolerance ${o.tol})`);
  return worst;
}

function flatten(arg: string, v: Comparable, what: string): { values: number[]; shape: number[] } {
  if (v instanceof tf.Tensor) {
    if (v.isDisposed) throw new Error(`assertClose: ${what}: ${arg} was already disposed`);
    return { values: Array.from(v.dataSync()), shape: v.shape };
  }
  if (typeof v === "number") return { values: [v], shape: [] };
  if (v && typeof (v as ArrayLike<number>).length === "number") {
    const items = Array.from(v as ArrayLike<Comparable>);
    const parts = items.map((x) => flatten(arg, x, what));
    const inner = parts.length ? parts[0].shape : [];
    if (parts.some((p) => p.shape.join() !== inner.join())) throw new Error(`assertClose: ${what}: ${arg} is a ragged array`);
    return { values: parts.flatMap((p) => p.values), shape: [items.length, ...inner] };
  }
  throw new TypeError(`assertClose: ${what}: ${arg} must be a tf.Tensor, a number or an array of numbers, received ${v === null ? "null" : typeof v}`);
}

function fmt(x: number): string {
  return Number.isFinite(x) ? x.toExponential(1) : String(x);
}
