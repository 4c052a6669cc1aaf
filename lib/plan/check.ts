/**
 * Input checks and small pieces shared by the planners (not re-exported from lib/). Each check throws
 * an Error naming the calling function, the argument, what was expected and what was received.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../shape";
import { rolloutLatent } from "./rollout";
import { LatentStep, PlanCost, PlanResult } from "./types";

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

/** Checks an integer option >= min. */
export function checkInt(where: string, arg: string, n: unknown, min: number): number {
  return checkNumber(where, arg, n, { min, integer: true });
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

/** Clips x [..., A] into [low, high] per action dimension. */
export function clipActions<T extends tf.Tensor>(x: T, low: number[], high: number[]): T {
  return tf.minimum(tf.maximum(x, tf.tensor1d(low)), tf.tensor1d(high)) as T;
}

/** Predicted-trajectory costs of candidate plans: actions [N, H, A] -> [N] numbers (NaN read as +Infinity). */
export function planCosts(where: string, step: LatentStep, cost: PlanCost, z: tf.Tensor2D, goal: tf.Tensor1D, actions: tf.Tensor3D): Float32Array {
  return tf.tidy(() => {
    const traj = rolloutLatent(step, z, actions); // [N, H, D]
    const c = cost(traj, goal); // [N]
    checkShape(where, "cost(traj, goal)", c, [actions.shape[0]]);
    const out = Float32Array.from(c.dataSync());
    for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = Infinity;
    return out;
  });
}

/** Tracks the best plan seen so far and the best cost per iteration. */
export class BestPlan {
  actions: number[][] = [];
  cost = Infinity;
  history: number[] = [];

  /** Offers candidate plans samples [N, H, A] with their costs; keeps the cheapest. */
  offer(samples: tf.Tensor3D, costs: Float32Array): void {
    let arg = -1;
    for (let i = 0; i < costs.length; i++) if (costs[i] < this.cost && (arg < 0 || costs[i] < costs[arg])) arg = i;
    if (arg < 0) return;
    this.cost = costs[arg];
    this.actions = tf.tidy(() => tf.squeeze(tf.slice(samples, [arg, 0, 0], [1, -1, -1]), [0]).arraySync() as number[][]);
  }

  /** Ends an iteration: records the best cost so far. */
  endIteration(): void {
    this.history.push(this.cost);
  }

  /** The result; when nothing had a finite cost, the fallback plan with cost Infinity. */
  result(fallback: number[][]): PlanResult {
    const actions = this.actions.length ? this.actions : fallback;
    return { actions, cost: this.cost, costHistory: this.history.slice() };
  }
}

/** Indices of the k smallest costs (ties by index). */
export function cheapest(costs: Float32Array, k: number): number[] {
  const idx = Array.from(costs.keys());
  idx.sort((i, j) => costs[i] - costs[j] || i - j);
  return idx.slice(0, k);
}

/** Scores the (clipped) final mean as one more candidate. */
export function scoreMean(
  where: string,
  o: { step: LatentStep; cost: PlanCost; goal: tf.Tensor1D },
  z: tf.Tensor2D,
  mean: tf.Tensor2D,
  low: number[],
  high: number[],
  best: BestPlan,
): void {
  tf.tidy(() => {
    const candidate = clipActions(tf.expandDims(mean, 0), low, high) as tf.Tensor3D; // [1, H, A]
    best.offer(candidate, planCosts(where, o.step, o.cost, z, o.goal, candidate));
  });
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? "null" : typeof v;
}
