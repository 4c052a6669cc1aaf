/**
 * Small input checks shared by the losses (not re-exported from lib/). See lib/shape.ts for the
 * general helpers; these add the few patterns the losses repeat.
 */
import * as tf from "@tensorflow/tfjs";

/** Throws unless `a` and `b` are tensors of the same shape with rank >= minRank and no empty axis. */
export function checkSameShape(where: string, argA: string, a: unknown, argB: string, b: unknown, minRank: number): void {
  checkTensor(where, argA, a, minRank);
  checkTensor(where, argB, b, minRank);
  const sa = (a as tf.Tensor).shape;
  const sb = (b as tf.Tensor).shape;
  if (sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) {
    throw new Error(`${where}: ${argA} and ${argB} must have the same shape, received [${sa.join(", ")}] and [${sb.join(", ")}]`);
  }
}

/** Throws unless `t` is a live tensor of rank >= minRank with no zero-sized axis. */
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

function describe(v: unknown): string {
  if (Array.isArray(v)) return `array of length ${v.length}`;
  return v === null ? "null" : typeof v;
}

/** `{ ...defaults, ...opts }`, except that fields given as undefined keep their default. */
export function withDefaults<D extends object, O extends object>(defaults: D, opts: O | undefined): D & O {
  const out: Record<string, unknown> = { ...(defaults as Record<string, unknown>) };
  for (const [k, v] of Object.entries(opts ?? {})) if (v !== undefined) out[k] = v;
  return out as D & O;
}
