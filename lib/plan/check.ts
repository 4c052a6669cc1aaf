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

/** A batch of candidate plans on the JavaScript side: data[(i * H + t) * A + k] = action k at step t of plan i. */
export interface Candidates {
  data: Float32Array; // [N, H, A]
  n: number;
  horizon: number;
  actionDim: number;
}

/** Candidate i as [H][A]. */
export function candidate(c: Candidates, i: number): number[][] {
  const { horizon: H, actionDim: A } = c;
  return Array.from({ length: H }, (_, t) => Array.from(c.data.subarray((i * H + t) * A, (i * H + t + 1) * A)));
}

/**
 * n candidates: row 0 is clip(mean), rows 1.. are clip(mean + std * eps) per component, where eps is
 * standard normal noise, correlated over time when `correlation` (beta in [0, 1)) > 0:
 * eps_t = beta * eps_{t-1} + sqrt(1 - beta^2) * n_t (each eps_t still has variance 1; "colored
 * noise" as in iCEM: with beta near 1 a candidate keeps pushing the same way for many steps).
 * mean, std: [H * A] flattened; low, high: [A].
 */
export function sampleCandidates(
  n: number, horizon: number, actionDim: number, mean: Float32Array, std: Float32Array | number,
  noise: () => number, low: number[], high: number[], correlation = 0,
): Candidates {
  const HA = horizon * actionDim;
  const data = new Float32Array(n * HA);
  const eps = new Float64Array(actionDim);
  const fresh = Math.sqrt(1 - correlation * correlation);
  for (let i = 0; i < n; i++) {
    for (let t = 0; t < horizon; t++) {
      for (let k = 0; k < actionDim; k++) {
        const j = t * actionDim + k;
        eps[k] = i === 0 ? 0 : t === 0 ? noise() : correlation * eps[k] + fresh * noise();
        const v = mean[j] + (typeof std === "number" ? std : std[j]) * eps[k];
        data[i * HA + j] = Math.min(high[k], Math.max(low[k], v));
      }
    }
  }
  return { data, n, horizon, actionDim };
}

/** Predicted-trajectory costs of candidate plans [N, H, A] -> [N] numbers (NaN read as +Infinity). */
export function planCosts(where: string, step: LatentStep, cost: PlanCost, z: tf.Tensor2D, goal: tf.Tensor1D, c: Candidates): Float32Array {
  return tf.tidy(() => {
    const actions = tf.tensor3d(c.data, [c.n, c.horizon, c.actionDim]); // [N, H, A]
    const traj = rolloutLatent(step, z, actions); // [N, H, D]
    const costs = cost(traj, goal); // [N]
    checkShape(where, "cost(traj, goal)", costs, [c.n]);
    const out = Float32Array.from(costs.dataSync());
    for (let i = 0; i < out.length; i++) if (Number.isNaN(out[i])) out[i] = Infinity;
    return out;
  });
}

/** Tracks the best plan seen so far and the best cost per iteration. */
export class BestPlan {
  actions: number[][] = [];
  cost = Infinity;
  history: number[] = [];

  /** Offers candidate plans with their costs; keeps the cheapest. */
  offer(c: Candidates, costs: Float32Array): void {
    let arg = -1;
    for (let i = 0; i < costs.length; i++) if (costs[i] < this.cost && (arg < 0 || costs[i] < costs[arg])) arg = i;
    if (arg < 0) return;
    this.cost = costs[arg];
    this.actions = candidate(c, arg);
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

/** Scores the (clipped) mean [H * A] as one more candidate. */
export function scoreMean(
  where: string,
  o: { step: LatentStep; cost: PlanCost; goal: tf.Tensor1D },
  z: tf.Tensor2D,
  mean: Float32Array,
  horizon: number,
  actionDim: number,
  low: number[],
  high: number[],
  best: BestPlan,
): void {
  const c = sampleCandidates(1, horizon, actionDim, mean, 0, () => 0, low, high);
  best.offer(c, planCosts(where, o.step, o.cost, z, o.goal, c));
}

function describe(v: unknown): string {
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  return v === null ? "null" : typeof v;
}
