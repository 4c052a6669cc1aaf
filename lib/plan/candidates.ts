/**
 * The pieces CEM and MPPI share: sample candidate action sequences around a mean, imagine and score
 * them with the world model, keep the cheapest plan seen. Introduced in notebooks/06-planning.ipynb
 * (where CEM is first written out by hand).
 *
 * Candidates live on the JavaScript side as one Float32Array [N, H, A], drawn from a seeded stream,
 * so the same seed gives the same plans on every backend; tensors are used only to roll the world
 * model forward and to compute the cost (one batched rollout of all candidates per iteration).
 */
import * as tf from "@tensorflow/tfjs";
import { checkShape } from "../check";
import { LatentStep, rollout } from "../models/rollout";
import { PlanCost } from "./cost";

/** What a planner returns. */
export interface PlanResult {
  /** The best plan found: [H][A] actions, to execute from the first. */
  actions: number[][];
  /** Its cost under the planner's cost function. */
  cost: number;
  /** The best cost found so far at the end of each iteration (non-increasing), [iterations]. */
  costHistory: number[];
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
    const traj = rollout(step, z, actions); // [N, H, D]
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
