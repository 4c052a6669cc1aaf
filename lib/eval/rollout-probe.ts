/**
 * Rollout probe error: how far off a model's idea of the state is after h predicted steps. Encode
 * the first observation, apply the one-step predictor h times (feeding its own outputs back), read
 * the state out with a probe, and measure the Euclidean distance to the true state h steps later.
 * As a reference, the same probe on the *encoded true observation* at step h gives the error the
 * probe makes anyway (what a perfect predictor would reach). Introduced in
 * notebooks/01-autoregressive-contrast.ipynb (pixel predictor vs JEPA at 1, 10 and 30 steps) and
 * used in notebooks/03-mini-jepa.ipynb (multi-step latent rollouts).
 *
 * The functions do not care what the "latent" is: for a JEPA it is an embedding [N, D] and the
 * probe a linear read-out fitted on encoded real observations (pass `ridgeProbe`'s result); for a
 * pixel model it is the frame itself and the probe reads a position from an image. The same code
 * measures both, so the comparison is fair by construction.
 *
 *   rolloutProbeError({ encode: (o) => model.encode(o), predict: (z, a) => model.predict(z, a),
 *     probe: ridgeProbe(zTrain, sTrain, zTest, sTest), obs, actions, states, horizons: [1, 5, 10] })
 *   // [{ horizon: 1, error: 0.02, encodedError: 0.015 }, ...]
 */
import * as tf from "@tensorflow/tfjs";
import { checkShape } from "../check";
import { LatentStep, rollout } from "../models/rollout";

/** A fitted linear probe, z W + b (a `ridgeProbe` result has these fields). */
export interface LinearProbe {
  /** Weights [D, K]. */
  weights: number[][];
  /** Intercepts, length K. */
  bias: number[];
}

/**
 * A function of a tensor, checked bivariantly (like a method), so callers may pass functions typed
 * for tf.Tensor2D (`model.encode`, `model.predict`) where any tf.Tensor is accepted.
 */
type TensorFn<A extends unknown[], R> = { fn(...args: A): R }["fn"];

/** Reads the state out of z: a function [N, ...] -> [N, K] (tensor or number[][]), or a fitted linear probe. */
export type ProbeInput = TensorFn<[z: tf.Tensor], tf.Tensor | number[][]> | LinearProbe;

/** Options of `probedRollout` (and, with `horizons`, of `rolloutProbeError`). */
export interface RolloutOptions {
  /** Observations [N, ...obsShape] -> the model's state z [N, ...] (an embedding, or the frames themselves). Required. */
  encode: TensorFn<[obs: tf.Tensor], tf.Tensor>;
  /** One predicted step: z [N, ...], action [N, A] (A = 0 without actions) -> next z [N, ...]. Required. */
  predict: TensorFn<[z: tf.Tensor, action: tf.Tensor2D], tf.Tensor>;
  /** Reads the state out of z: a function or a fitted linear probe such as `ridgeProbe`'s result. Required. */
  probe: ProbeInput;
  /** Observations [N, T+1, ...obsShape]; the rollout sees only obs[:, 0]. Required. */
  obs: tf.Tensor;
  /** Actions [N, T, A]. Default: none (the predictor gets [N, 0] actions). */
  actions?: tf.Tensor3D;
  /** True states [N, T+1, K] (tensor or arrays): states[:, h] is compared with the probe after h steps. Required. */
  states: tf.Tensor3D | number[][][];
}

/** Options of `rolloutProbeError`. */
export interface RolloutProbeOptions extends RolloutOptions {
  /** Horizons h to measure, integers in [0, T] (0 = the probe on the encoded first observation). Required. */
  horizons: number[];
}

/** One row of `rolloutProbeError`. */
export interface RolloutProbeRow {
  /** Predicted steps from the first observation. */
  horizon: number;
  /** Mean Euclidean distance between the probed rolled-out state and the true state. */
  error: number;
  /** Reference: mean Euclidean distance between the probed encoding of the true observation at this step and the true state. */
  encodedError: number;
}

/** What `probedRollout` returns, each [N][H+1][K] (step 0 = the first observation). */
export interface ProbedRollout {
  /** The probe on the rolled-out states (step 0: the encoded first observation). */
  predicted: number[][][];
  /** The probe on the encoded true observations. */
  encoded: number[][][];
  /** The true states. */
  truth: number[][][];
}

/**
 * Mean Euclidean probe error at each horizon, in the order given, next to the probe's error on the
 * encoded true observation. Runs max(horizons) predictor steps once; leaks no tensors.
 */
export function rolloutProbeError(opts: RolloutProbeOptions): RolloutProbeRow[] {
  const where = "rolloutProbeError";
  const input = checkInputs(where, opts);
  const horizons = checkHorizons(where, opts.horizons, input.T);
  const r = runRollout(where, opts, input, Math.max(...horizons), new Set(horizons));
  return horizons.map((h) => ({
    horizon: h,
    error: meanDistance(r.predicted.map((ep) => ep[h]), r.truth.map((ep) => ep[h])),
    encodedError: meanDistance(r.encoded.map((ep) => ep[h]), r.truth.map((ep) => ep[h])),
  }));
}

/**
 * Unrolls the predictor `steps` times (default T) from the encoded first observation and probes
 * every step, next to the probed encodings of the true observations: plain arrays for a
 * "probed vs true path" chart. Leaks no tensors.
 */
export function probedRollout(opts: RolloutOptions, steps?: number): ProbedRollout {
  const where = "probedRollout";
  const input = checkInputs(where, opts);
  const H = steps ?? input.T;
  checkHorizons(where, [H], input.T, "steps");
  return runRollout(where, opts, input, H, null);
}

/** A linear read-out z [N, D] -> z W + b [N, K] from a fitted probe (e.g. `ridgeProbe`'s weights [D, K] and bias [K]). */
export function linearReadout(fit: LinearProbe): (z: tf.Tensor) => tf.Tensor2D {
  const where = "linearReadout";
  if (!fit || !Array.isArray(fit.weights) || !Array.isArray(fit.weights[0]) || !Array.isArray(fit.bias)) {
    throw new TypeError(`${where}: fit must be { weights: number[][] [D, K], bias: number[] [K] } (e.g. a ridgeProbe result)`);
  }
  const D = fit.weights.length;
  const K = fit.bias.length;
  if (fit.weights[0].length !== K) throw new Error(`${where}: fit.weights must be [D, K=${K}] to match fit.bias, received [${D}, ${fit.weights[0].length}]`);
  return (z: tf.Tensor) => {
    checkShape(where, "z", z, [null, D]);
    return tf.tidy(() => tf.add(tf.matMul(z as tf.Tensor2D, tf.tensor2d(fit.weights, [D, K])), tf.tensor1d(fit.bias)) as tf.Tensor2D); // [N, K]
  };
}

/** The probe as a function (a fitted linear probe becomes its `linearReadout`). */
function toProbeFn(where: string, probe: ProbeInput): (z: tf.Tensor) => tf.Tensor | number[][] {
  if (typeof probe === "function") return probe;
  const p = probe as LinearProbe | null;
  if (p && typeof p === "object" && Array.isArray(p.weights) && Array.isArray(p.bias)) return linearReadout(p);
  throw new TypeError(`${where}: opts.probe must be a function (z [N, ...]) => [N, K] or a fitted probe { weights [D, K], bias [K] } (e.g. a ridgeProbe result), received ${p === null ? "null" : typeof p}`);
}

/** Rolls out to step H (lib/models/rollout.ts); probes the predicted and encoded states at the steps in `at` (all when null). */
function runRollout(where: string, opts: RolloutOptions, input: CheckedInput, H: number, at: Set<number> | null): ProbedRollout {
  const { N, K, states } = input;
  const probe = toProbeFn(where, opts.probe);
  const read = (z: tf.Tensor) => readProbe(where, probe, z, N, K);
  const frame = (t: number) => opts.obs.slice([0, t], [N, 1]).squeeze([1]); // [N, ...obsShape]
  const predicted: number[][][] = states.map(() => []);
  const encoded: number[][][] = states.map(() => []);
  const put = (into: number[][][], t: number, rows: number[][]) => rows.forEach((r, i) => (into[i][t] = r));
  const path = tf.tidy(() => { // [N, H+1, ...latent]: the encoded first observation, then H predicted steps
    const z0 = opts.encode(frame(0));
    const actions = (opts.actions ? opts.actions.slice([0, 0, 0], [N, H, -1]) : tf.zeros([N, H, 0])) as tf.Tensor3D;
    return H === 0 ? z0.expandDims(1) : tf.concat([z0.expandDims(1), rollout(opts.predict as LatentStep, z0, actions)], 1);
  });
  try {
    for (let h = 0; h <= H; h++) {
      if (at && !at.has(h)) continue;
      const z = tf.tidy(() => path.slice([0, h], [N, 1]).squeeze([1])); // [N, ...latent]
      try { put(predicted, h, read(z)); } finally { z.dispose(); }
      const e = tf.tidy(() => opts.encode(frame(h)));
      try { put(encoded, h, read(e)); } finally { e.dispose(); }
    }
  } finally {
    path.dispose();
  }
  return { predicted, encoded, truth: states.map((ep) => ep.slice(0, H + 1)) };
}

interface CheckedInput { N: number; T: number; K: number; states: number[][][] }

function checkInputs(where: string, opts: RolloutOptions): CheckedInput {
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { encode, predict, probe, obs, states }`);
  for (const f of ["encode", "predict"] as const) {
    if (typeof opts[f] !== "function") throw new TypeError(`${where}: opts.${f} must be a function, received ${typeof opts[f]}`);
  }
  toProbeFn(where, opts.probe);
  if (!(opts.obs instanceof tf.Tensor) || opts.obs.rank < 3) {
    throw new Error(`${where}: opts.obs must be a tf.Tensor [N, T+1, ...obsShape], received ${opts.obs instanceof tf.Tensor ? `[${opts.obs.shape.join(", ")}]` : typeof opts.obs}`);
  }
  const [N, T1] = opts.obs.shape;
  const T = T1 - 1;
  const states = toStates(where, opts.states, N, T1);
  if (opts.actions !== undefined) checkShape(where, "opts.actions", opts.actions, [N, T, null]);
  return { N, T, K: states[0][0].length, states };
}


function readProbe(where: string, probe: (z: tf.Tensor) => tf.Tensor | number[][], z: tf.Tensor, N: number, K: number): number[][] {
  const out = tf.tidy(() => probe(z));
  const rows = out instanceof tf.Tensor ? (out.arraySync() as number[][]) : out;
  if (out instanceof tf.Tensor) out.dispose();
  if (!Array.isArray(rows) || rows.length !== N || !Array.isArray(rows[0]) || rows[0].length !== K) {
    const got = Array.isArray(rows) ? `[${rows.length}, ${Array.isArray(rows[0]) ? rows[0].length : "?"}]` : typeof rows;
    throw new Error(`${where}: opts.probe must return [N=${N}, K=${K}] (K = state size), received ${got}`);
  }
  return rows;
}

function toStates(where: string, s: tf.Tensor3D | number[][][], N: number, T1: number): number[][][] {
  const arr = s instanceof tf.Tensor ? (s.arraySync() as number[][][]) : s;
  const ok = Array.isArray(arr) && arr.length === N && arr.every((r) => Array.isArray(r) && r.length === T1 && r.every((v) => Array.isArray(v) && v.length === r[0].length && v.length > 0));
  if (!ok) {
    const got = s instanceof tf.Tensor ? `[${s.shape.join(", ")}]` : Array.isArray(arr) ? `an array of length ${arr.length}` : typeof s;
    throw new Error(`${where}: opts.states must be [N=${N}, T+1=${T1}, K] (one state per observation), received ${got}`);
  }
  return arr;
}

function checkHorizons(where: string, horizons: number[], T: number, arg = "opts.horizons"): number[] {
  if (!Array.isArray(horizons) || horizons.length === 0) throw new Error(`${where}: ${arg} must be a non-empty number[], received ${JSON.stringify(horizons)}`);
  horizons.forEach((h, i) => {
    const name = arg === "steps" ? arg : `${arg}[${i}]`;
    if (!Number.isInteger(h) || h < 0 || h > T) throw new RangeError(`${where}: ${name} must be an integer in [0, T=${T}] (T+1 = observations per example), received ${h}`);
  });
  return horizons;
}

function meanDistance(a: number[][], b: number[][]): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.hypot(...a[i].map((v, k) => v - b[i][k]));
  return sum / a.length;
}
