/**
 * Argument checks and option defaults: the first lines of every public function. Introduced in
 * notebooks/00-setup.ipynb.
 *
 * Every check throws an Error that names the function the caller called (`where`), the argument,
 * what was expected and what was received: `checkShape("vicregLoss", "x", x, ["N", "D"])`.
 * Shapes are arrays where `null` means "any size" and a string names a dimension that must agree
 * across arguments.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * `{ ...defaults, ...opts }`, except that a field passed as `undefined` keeps its default. Throws
 * (naming `where`) unless `opts` is undefined or a plain object.
 */
export function withDefaults<D extends object, O extends object>(defaults: D, opts: O | undefined, where = "withDefaults"): D & O {
  checkOptions(where, opts);
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(opts ?? {})) if (v !== undefined) out[k] = v;
  return out as D & O;
}

/** Throws unless `opts` is undefined or a plain options object. */
export function checkOptions(where: string, opts: unknown): void {
  if (opts !== undefined && (opts === null || typeof opts !== "object" || Array.isArray(opts))) {
    throw new TypeError(`${where}: opts must be an options object or undefined, received ${Array.isArray(opts) ? "an array" : String(opts)}`);
  }
}

/** One dimension of an expected shape: a size, a name that must agree across calls, or null (any). */
export type Dim = number | string | null;

/** Dimension names bound so far, so `x: [B, D]` and `y: [B, D]` must agree. */
export type ShapeBindings = Record<string, number>;

const fmt = (s: readonly Dim[]) => `[${s.map((d) => (d === null ? "*" : String(d))).join(", ")}]`;

/**
 * Throws `Error("<where>: <arg> must have shape [B, D], received [3, 4, 5]")` unless `t` matches.
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

/** Throws unless `t` is a live float32 tensor of rank >= minRank with no zero-sized axis. */
export function checkTensor(where: string, arg: string, t: unknown, minRank: number): void {
  if (!(t instanceof tf.Tensor)) {
    throw new TypeError(`${where}: ${arg} must be a tf.Tensor of rank >= ${minRank}, received ${describe(t)}`);
  }
  if (t.isDisposed) throw new Error(`${where}: ${arg} was already disposed`);
  if (t.rank < minRank) {
    throw new Error(`${where}: ${arg} must have rank >= ${minRank}, received shape [${t.shape.join(", ")}]`);
  }
  if ((t.shape as number[]).some((d) => d === 0)) {
    throw new Error(`${where}: ${arg} must not have an empty axis, received shape [${t.shape.join(", ")}]`);
  }
  if (t.dtype !== "float32") {
    throw new TypeError(`${where}: ${arg} must have dtype float32, received ${t.dtype}`);
  }
}

/** Throws unless `a` and `b` are float32 tensors of the same shape with rank >= minRank and no empty axis. */
export function checkSameShape(where: string, argA: string, a: unknown, argB: string, b: unknown, minRank: number): void {
  checkTensor(where, argA, a, minRank);
  checkTensor(where, argB, b, minRank);
  const sa = (a as tf.Tensor).shape;
  const sb = (b as tf.Tensor).shape;
  if (sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) {
    throw new Error(`${where}: ${argA} and ${argB} must have the same shape, received [${sa.join(", ")}] and [${sb.join(", ")}]`);
  }
}

/** Throws unless `n` is a finite number in [min, max] (and an integer when asked). */
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

/** An integer >= min (and <= max). */
export function checkInt(where: string, arg: string, n: unknown, min = 1, max = Infinity): number {
  return checkNumber(where, arg, n, { min, max, integer: true });
}

/**
 * Throws unless `sizes` is an array of integers >= 1: layer widths (`hidden`), or a grid of
 * `length` entries. The one check for both; `mlp` checks its own `sizes` the same way.
 */
export function checkSizes(where: string, arg: string, sizes: unknown, length?: number): number[] {
  const ok = Array.isArray(sizes) && (length === undefined || sizes.length === length)
    && sizes.every((n) => Number.isInteger(n) && n >= 1);
  if (!ok) {
    const what = length === undefined ? "an array of layer sizes (integers >= 1, e.g. [128, 128])" : `an array of ${length} integers >= 1`;
    throw new TypeError(`${where}: ${arg} must be ${what}, received ${Array.isArray(sizes) ? JSON.stringify(sizes) : describe(sizes)}`);
  }
  return sizes as number[];
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
