/**
 * A planner's inputs, checked and put in shape: the start latent, the action bounds, the warm start
 * (not re-exported from lib/). Each check throws an Error naming the planner the caller called, the
 * argument, what was expected and what was received.
 */
import * as tf from "@tensorflow/tfjs";
import { checkInt, checkNumber, checkShape, withDefaults } from "../check";
import { LatentStep } from "../models/rollout";
import { goalDistanceCost, PlanCost } from "./cost";

/** A start latent as [1, D] (made from a [D] tensor if needed; `owned` says whether to dispose it). */
export interface StartLatent {
  z: tf.Tensor2D; // [1, D]
  owned: boolean;
  dim: number;
}

/** Checks z0 ([D] or [1, D]) and goal ([D]) agree; returns z0 as [1, D]. */
export function startLatent(where: string, z0: unknown, goal: unknown): StartLatent {
  if (!(z0 instanceof tf.Tensor)) throw new TypeError(`${where}: z0 must be a tf.Tensor of shape [D] or [1, D], received ${describe(z0)}`);
  if (z0.isDisposed) throw new Error(`${where}: z0 was already disposed`);
  if (z0.rank !== 1 && !(z0.rank === 2 && z0.shape[0] === 1)) {
    throw new Error(`${where}: z0 must have shape [D] or [1, D], received [${z0.shape.join(", ")}]`);
  }
  const dim = z0.shape[z0.rank - 1];
  if (!(goal instanceof tf.Tensor)) throw new TypeError(`${where}: goal must be a tf.Tensor of shape [${dim}] (z0's D), received ${describe(goal)}`);
  if (goal.rank !== 1 || goal.shape[0] !== dim) {
    throw new Error(`${where}: goal must have shape [${dim}] (the latent dimension D of z0 [${z0.shape.join(", ")}]), received [${goal.shape.join(", ")}]`);
  }
  checkShape(where, "goal", goal as tf.Tensor, [dim]);
  if (z0.rank === 2) return { z: z0 as tf.Tensor2D, owned: false, dim };
  return { z: tf.reshape(z0, [1, dim]) as tf.Tensor2D, owned: true, dim };
}

/** Checks that `step` and `cost` are functions. */
export function checkFunctions(where: string, step: unknown, cost: unknown): void {
  if (typeof step !== "function") throw new TypeError(`${where}: opts.step must be a LatentStep function (z [N, D], a [N, A]) => [N, D], received ${typeof step}`);
  if (typeof cost !== "function") throw new TypeError(`${where}: opts.cost must be a PlanCost function (traj [N, H, D], goal [D]) => [N], received ${typeof cost}`);
}

/** Per-dimension action bounds from scalars or arrays of length A; low < high in every dimension. */
export function actionBounds(where: string, low: number | number[], high: number | number[], actionDim: number): { low: number[]; high: number[] } {
  const expand = (arg: string, v: number | number[]): number[] => {
    if (typeof v === "number") return new Array(actionDim).fill(checkNumber(where, arg, v));
    if (!Array.isArray(v) || v.length !== actionDim) {
      throw new Error(`${where}: ${arg} must be a number or an array of ${actionDim} numbers (one per action dimension), received ${Array.isArray(v) ? `an array of length ${v.length}` : typeof v}`);
    }
    return v.map((x, i) => checkNumber(where, `${arg}[${i}]`, x));
  };
  const lo = expand("opts.low", low);
  const hi = expand("opts.high", high);
  lo.forEach((l, i) => {
    if (!(l < hi[i])) throw new RangeError(`${where}: opts.low must be below opts.high in every action dimension, received low=${l} >= high=${hi[i]} in dimension ${i}`);
  });
  return { low: lo, high: hi };
}

/** Checks a warm-start mean [H][A] (finite numbers); returns a copy, or zeros when absent. */
export function initialMean(where: string, initMean: number[][] | undefined, horizon: number, actionDim: number): number[][] {
  if (initMean === undefined) return Array.from({ length: horizon }, () => new Array(actionDim).fill(0));
  const ok = Array.isArray(initMean) && initMean.length === horizon && initMean.every((r) => Array.isArray(r) && r.length === actionDim);
  if (!ok) {
    const got = Array.isArray(initMean) ? `an array of length ${initMean.length}${Array.isArray(initMean[0]) ? ` x ${initMean[0].length}` : ""}` : typeof initMean;
    throw new Error(`${where}: opts.initMean must be number[][] of shape [horizon=${horizon}][actionDim=${actionDim}], received ${got}`);
  }
  initMean.forEach((r, t) => r.forEach((x, i) => checkNumber(where, `opts.initMean[${t}][${i}]`, x)));
  return initMean.map((r) => r.slice());
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? "null" : typeof v;
}

/** The options every sampling planner shares (CEM, MPPI), before defaults. */
export interface SamplingPlannerOptions {
  /** The world model's one-step predictor (not owned: never disposed here). */
  step: LatentStep;
  /** The current latent, [D] or [1, D]. */
  z0: tf.Tensor1D | tf.Tensor2D;
  /** The goal latent, [D]. */
  goal: tf.Tensor1D;
  /** Plan length H (actions per sequence), >= 1. */
  horizon: number;
  /** Action dimension A, >= 1. */
  actionDim: number;
  /** Candidate sequences per iteration. Default 256. */
  samples?: number;
  /** Rounds of sampling and refitting. Default 5. */
  iterations?: number;
  /** Lower action bound: one number, or one per action dimension. Default -1. */
  low?: number | number[];
  /** Upper action bound: one number, or one per action dimension. Default 1. */
  high?: number | number[];
  /** Starting mean [H][A], e.g. the previous plan shifted by one step (warm start). Default zeros. */
  initMean?: number[][];
  /**
   * Correlation beta in [0, 1) of the sampling noise between consecutive steps ("colored noise"):
   * 0 = independent per step; near 1 = each candidate keeps pushing one way, which explores detours
   * (around a wall) far better. Default 0.
   */
  noiseCorrelation?: number;
  /** Cost of predicted trajectories (lower is better). Default `goalDistanceCost`. */
  cost?: PlanCost;
  /** Random stream name: each call draws its noise from `rng(stream + ":<planner>")`. Default "plan". */
  stream?: string;
}

/** Defaults of the options every sampling planner shares. */
export const samplingPlannerDefaults = {
  samples: 256,
  iterations: 5,
  low: -1 as number | number[],
  high: 1 as number | number[],
  noiseCorrelation: 0,
  cost: goalDistanceCost as PlanCost,
  stream: "plan",
};

/** A sampling planner's inputs after defaults and checks; `done()` frees the start latent if made here. */
export interface PlannerInputs {
  step: LatentStep;
  cost: PlanCost;
  /** The start latent [1, D]. */
  z0: tf.Tensor2D;
  goal: tf.Tensor1D;
  /** H, A, samples, iterations. */
  H: number;
  A: number;
  samples: number;
  iterations: number;
  /** Per-dimension action bounds [A]. */
  low: number[];
  high: number[];
  /** The starting mean [H][A] (zeros unless a warm start was given). */
  initMean: number[][];
  noiseCorrelation: number;
  stream: string;
  done(): void;
}

/**
 * Merges `defaults` into `opts` and checks the shared fields (then the planner's own, `check`),
 * naming `where` in every error. Nothing is allocated until every check has passed.
 */
export function plannerInputs<O extends SamplingPlannerOptions, D extends object>(
  where: string, opts: O, defaults: D, check: (o: D & O, samples: number) => void = () => {},
): { o: D & O; p: PlannerInputs } {
  const o = withDefaults(defaults, opts, where) as D & O & Required<Pick<SamplingPlannerOptions, "samples" | "iterations" | "low" | "high" | "noiseCorrelation" | "cost" | "stream">>;
  checkFunctions(where, o.step, o.cost);
  const H = checkInt(where, "opts.horizon", o.horizon, 1);
  const A = checkInt(where, "opts.actionDim", o.actionDim, 1);
  const samples = checkInt(where, "opts.samples", o.samples, 1);
  const iterations = checkInt(where, "opts.iterations", o.iterations, 1);
  checkNumber(where, "opts.noiseCorrelation", o.noiseCorrelation, { min: 0, max: 0.999 });
  const { low, high } = actionBounds(where, o.low, o.high, A);
  const initMean = initialMean(where, o.initMean, H, A);
  check(o, samples);
  const start = startLatent(where, o.z0, o.goal);
  const p: PlannerInputs = {
    step: o.step, cost: o.cost, z0: start.z, goal: o.goal, H, A, samples, iterations, low, high, initMean,
    noiseCorrelation: o.noiseCorrelation, stream: o.stream,
    done: () => { if (start.owned) start.z.dispose(); },
  };
  return { o, p };
}
