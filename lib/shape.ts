/**
 * Shape checks at public boundaries, with errors that name the argument. Introduced in
 * notebooks/00-setup.ipynb.
 *
 * Shapes are written as arrays where `null` means "any size" and a string names a dimension that
 * must agree across arguments: `checkShape("x", x, ["B", "D"])`.
 */
import * as tf from "@tensorflow/tfjs";

/** One dimension of an expected shape: a size, a name that must agree across calls, or null (any). */
export type Dim = number | string | null;

/** Dimension names bound so far, so `x: [B, D]` and `y: [B, D]` must agree. */
export type ShapeBindings = Record<string, number>;

const fmt = (s: readonly Dim[]) => `[${s.map((d) => (d === null ? "*" : String(d))).join(", ")}]`;

/**
 * Throws `Error("<fn>: <arg> must have shape [B, D], received [3, 4, 5]")` unless `t` matches.
 * Returns the bindings so several arguments can be checked against each other.
 */
export function checkShape(
  where: string,
  arg: string,
  t: tf.Tensor | undefined | null,
  expected: readonly Dim[],
  bindings: ShapeBindings = {},
): ShapeBindings {
  if (!(t instanceof tf.Tensor)) {
    throw new TypeError(`${where}: ${arg} must be a tf.Tensor of shape ${fmt(expected)}, received ${describe(t)}`);
  }
  if (t.isDisposed) throw new Error(`${where}: ${arg} was already disposed`);
  const got = t.shape;
  if (got.length !== expected.length) {
    throw new Error(`${where}: ${arg} must have rank ${expected.length} ${fmt(expected)}, received shape [${got.join(", ")}]`);
  }
  expected.forEach((d, i) => {
    if (d === null) return;
    if (typeof d === "number" && got[i] !== d) {
      throw new Error(`${where}: ${arg} must have shape ${fmt(expected)}, received [${got.join(", ")}] (dimension ${i} is ${got[i]}, expected ${d})`);
    }
    if (typeof d === "string") {
      if (d in bindings && bindings[d] !== got[i]) {
        throw new Error(`${where}: ${arg} must have shape ${fmt(expected)} with ${d}=${bindings[d]}, received [${got.join(", ")}]`);
      }
      bindings[d] = got[i];
    }
  });
  return bindings;
}

/** Throws unless `n` is a finite number in [lo, hi] (and an integer when asked). */
export function checkNumber(
  where: string,
  arg: string,
  n: unknown,
  opts: { min?: number; max?: number; integer?: boolean; exclusiveMin?: boolean } = {},
): number {
  const { min = -Infinity, max = Infinity, integer = false, exclusiveMin = false } = opts;
  const bad =
    typeof n !== "number" || !Number.isFinite(n) || (integer && !Number.isInteger(n)) ||
    (exclusiveMin ? n <= min : n < min) || n > max;
  if (bad) {
    const range = `${exclusiveMin ? "(" : "["}${min}, ${max}]`;
    throw new RangeError(`${where}: ${arg} must be ${integer ? "an integer" : "a finite number"} in ${range}, received ${describe(n)}`);
  }
  return n as number;
}

/** Throws if a tensor holds NaN or ±Inf (reads it back: use at boundaries, not in inner loops). */
export function checkFinite(where: string, arg: string, t: tf.Tensor): void {
  const ok = tf.tidy(() => tf.all(tf.isFinite(t)).dataSync()[0]);
  if (!ok) throw new RangeError(`${where}: ${arg} contains NaN or Infinity`);
}

function describe(v: unknown): string {
  if (v instanceof tf.Tensor) return `tensor [${v.shape.join(", ")}]`;
  if (Array.isArray(v)) return `array of length ${v.length}`;
  if (typeof v === "number") return String(v);
  return v === null ? "null" : typeof v;
}
