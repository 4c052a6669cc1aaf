/**
 * Inference of a latent variable z by minimising an energy: the step that lets one predictor give
 * several plausible futures. Introduced in notebooks/05-latent-variables.ipynb.
 *
 * An energy is a function of z for a fixed batch of examples: `energy(z: [B, L]) -> [B]`, e.g. the
 * distance between the prediction pred(s, z) and the observed future y. Two ways to minimise it:
 * - `bestOfK`: try K candidate values of z and keep, per example, the one of lowest energy;
 * - `inferLatent`: gradient descent on z (the weights stay fixed), from `zInit`.
 * Both return z as a fresh tensor with no link to the energy's computation (no gradient flows back
 * through the inference), ready for the energy-based training step: a gradient step on the weights
 * at the inferred z.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../check";

/** An energy over a batch: z [B, L] -> one energy per example [B] (lower = more compatible). */
export type LatentEnergy = (z: tf.Tensor2D) => tf.Tensor1D;

/** Options of `inferLatent`. */
export interface InferLatentOptions {
  /** The energy to minimise, z [B, L] -> [B]. Required. */
  energy: LatentEnergy;
  /** Starting value of z [B, L]. Required (not disposed). */
  zInit: tf.Tensor2D;
  /** Gradient steps. Default 50. */
  steps?: number;
  /** Step size. Default 0.1. */
  lr?: number;
  /** "sgd" (plain gradient descent) or "adam" (per-coordinate step sizes; less sensitive to lr). Default "sgd". */
  optimizer?: "sgd" | "adam";
  /** Clamp z to at least `low` after every step (keep it where the prior puts it). Default: no clamp. */
  low?: number;
  /** Clamp z to at most `high` after every step. Default: no clamp. */
  high?: number;
}

/** Default options of `inferLatent`. */
export const inferLatentDefaults = { steps: 50, lr: 0.1, optimizer: "sgd" as "sgd" | "adam" };

/** What `inferLatent` returns. Dispose `z`. */
export interface InferLatentResult {
  /** The inferred latent [B, L] (a fresh tensor, detached from the energy). */
  z: tf.Tensor2D;
  /** Final energy of each example. */
  energy: number[];
  /** Mean energy over the batch before each step and after the last (steps + 1 values). */
  history: number[];
}

/** Gradient descent on z with the energy's weights held fixed. */
export function inferLatent(opts: InferLatentOptions): InferLatentResult {
  const where = "inferLatent";
  if (!opts || typeof opts.energy !== "function") throw new TypeError(`${where}: opts.energy must be a function (z: [B, L]) => energies [B]`);
  const { B } = checkShape(where, "opts.zInit", opts.zInit, ["B", null]);
  const steps = checkNumber(where, "opts.steps", opts.steps ?? inferLatentDefaults.steps, { min: 0, integer: true });
  const lr = checkNumber(where, "opts.lr", opts.lr ?? inferLatentDefaults.lr, { min: 0, exclusiveMin: true });
  const kind = opts.optimizer ?? inferLatentDefaults.optimizer;
  if (kind !== "sgd" && kind !== "adam") throw new Error(`${where}: opts.optimizer must be "sgd" or "adam", received ${JSON.stringify(kind)}`);
  const low = opts.low === undefined ? -Infinity : checkNumber(where, "opts.low", opts.low);
  const high = opts.high === undefined ? Infinity : checkNumber(where, "opts.high", opts.high, { min: low });
  const bounded = opts.low !== undefined || opts.high !== undefined;
  const energyOf = (z: tf.Tensor2D) => {
    const e = opts.energy(z);
    checkShape(where, "energy(z)", e, [B]);
    return e;
  };
  const gradSum = tf.grad((z: tf.Tensor) => tf.sum(energyOf(z as tf.Tensor2D))); // each z row only moves its own energy
  const clamp = (t: tf.Tensor) => (bounded ? tf.clipByValue(t, low, high) : t) as tf.Tensor2D;
  const history: number[] = [];
  let z = tf.clone(opts.zInit) as tf.Tensor2D;
  let m: tf.Tensor = tf.zerosLike(z);
  let v: tf.Tensor = tf.zerosLike(z);
  try {
    for (let t = 1; t <= steps; t++) {
      const prev = { z, m, v };
      const next = tf.tidy((): { [k: string]: tf.Tensor } => {
        history.push(tf.mean(energyOf(prev.z)).dataSync()[0]);
        const g = gradSum(prev.z);
        if (kind === "sgd") return { z: clamp(tf.sub(prev.z, tf.mul(lr, g))) };
        const m2 = tf.add(tf.mul(0.9, prev.m), tf.mul(0.1, g));
        const v2 = tf.add(tf.mul(0.999, prev.v), tf.mul(0.001, tf.square(g)));
        const step = tf.div(tf.div(m2, 1 - 0.9 ** t), tf.add(tf.sqrt(tf.div(v2, 1 - 0.999 ** t)), 1e-8));
        return { z: clamp(tf.sub(prev.z, tf.mul(lr, step))), m: m2, v: v2 };
      });
      prev.z.dispose();
      z = next.z as tf.Tensor2D;
      if (next.m && next.v) {
        tf.dispose([prev.m, prev.v]);
        m = next.m;
        v = next.v;
      }
    }
    const energy = tf.tidy(() => Array.from(energyOf(z).dataSync()));
    history.push(mean(energy));
    return { z: detach(z), energy, history };
  } finally {
    tf.dispose([z, m, v]);
  }
}

/** Options of `bestOfK`. */
export interface BestOfKOptions {
  /** The energy, z [B, L] -> [B]. Required. */
  energy: LatentEnergy;
  /** Candidate values: [K, L] (the same K for every example) or [B, K, L] (per example). Required (not disposed). */
  candidates: tf.Tensor2D | tf.Tensor3D;
  /** Batch size B (needed with [K, L] candidates; checked against [B, K, L] ones). */
  batch?: number;
}

/** What `bestOfK` returns. Dispose `z`. */
export interface BestOfKResult {
  /** Per example, the candidate of lowest energy [B, L] (a fresh tensor, detached). */
  z: tf.Tensor2D;
  /** That lowest energy, per example. */
  energy: number[];
  /** Which candidate (0..K-1) won, per example. */
  index: number[];
  /** Every energy [K][B] (row k: candidate k for each example). */
  energies: number[][];
}

/** Tries K values of z per example and keeps the lowest-energy one (no gradient). */
export function bestOfK(opts: BestOfKOptions): BestOfKResult {
  const where = "bestOfK";
  if (!opts || typeof opts.energy !== "function") throw new TypeError(`${where}: opts.energy must be a function (z: [B, L]) => energies [B]`);
  const c = opts.candidates;
  if (!(c instanceof tf.Tensor) || (c.rank !== 2 && c.rank !== 3)) {
    throw new Error(`${where}: opts.candidates must be a tf.Tensor [K, L] or [B, K, L], received ${c instanceof tf.Tensor ? `shape [${c.shape.join(", ")}]` : typeof c}`);
  }
  let B: number;
  if (c.rank === 3) {
    B = c.shape[0];
    if (opts.batch !== undefined && opts.batch !== B) throw new Error(`${where}: opts.candidates must have shape [B=${opts.batch}, K, L], received [${c.shape.join(", ")}]`);
  } else {
    if (opts.batch === undefined) throw new Error(`${where}: opts.batch (the number of examples B) is required with candidates of shape [K, L]`);
    B = checkNumber(where, "opts.batch", opts.batch, { min: 1, integer: true });
  }
  const K = c.rank === 3 ? c.shape[1] : c.shape[0];
  const L = c.shape[c.rank - 1];
  if (K < 1 || L < 1) throw new Error(`${where}: opts.candidates must hold at least one candidate of size >= 1, received [${c.shape.join(", ")}]`);
  const candidate = (k: number): tf.Tensor2D => (c.rank === 3
    ? (c as tf.Tensor3D).slice([0, k, 0], [-1, 1, -1]).reshape([B, L])
    : tf.tile((c as tf.Tensor2D).slice([k, 0], [1, -1]), [B, 1])) as tf.Tensor2D;
  const energies: number[][] = [];
  for (let k = 0; k < K; k++) {
    energies.push(tf.tidy(() => {
      const e = opts.energy(candidate(k));
      checkShape(where, "energy(z)", e, [B]);
      return Array.from(e.dataSync());
    }));
  }
  const index = Array.from({ length: B }, (_, b) => {
    let best = 0;
    for (let k = 1; k < K; k++) if (energies[k][b] < energies[best][b]) best = k;
    return best;
  });
  const z = tf.tidy(() => {
    const rows = index.map((k, b) => (c.rank === 3 ? b * K + k : k));
    const flat = c.reshape([-1, L]);
    return detach(tf.gather(flat, rows) as tf.Tensor2D); // [B, L]
  });
  return { z, energy: index.map((k, b) => energies[k][b]), index, energies };
}

/** A copy with no link to the ops that made it (so no gradient flows back through it). */
function detach(t: tf.Tensor2D): tf.Tensor2D {
  return tf.tensor2d(t.dataSync() as Float32Array, t.shape as [number, number], "float32");
}

function mean(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0) / xs.length;
}
