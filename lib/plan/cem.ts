/**
 * The cross-entropy method (CEM): search for an action sequence by sampling from a Gaussian, keeping
 * the best few (the elites) and refitting the Gaussian to them. Introduced in
 * notebooks/06-planning.ipynb.
 *
 * Each iteration: draw `samples` sequences a ~ N(mean, std^2) of shape [H, A], clip them to
 * [low, high], imagine their latents with the world model (`rolloutLatent`), score them with `cost`,
 * and set mean/std to the per-step, per-dimension mean and standard deviation of the `elites`
 * cheapest. Sample 0 is always the current mean itself (no noise), and the final mean is scored
 * after the last iteration: the result is the cheapest sequence ever scored.
 *
 * Randomness: the Gaussian noise is drawn on the JavaScript side from the seeded stream
 * `rng(stream + ":cem")` (optionally correlated over time, `noiseCorrelation`), so the same seed gives
 * the same plan on every backend; tensors are used only for the world model and the cost (one
 * batched rollout of all candidates per iteration).
 */
import * as tf from "@tensorflow/tfjs";
import { withDefaults } from "../losses/validate";
import { randn, rng } from "../random";
import { checkNumber } from "../shape";
import { actionBounds, BestPlan, Candidates, cheapest, checkFunctions, checkInt, initialMean, planCosts, sampleCandidates, scoreMean, startLatent } from "./check";
import { goalDistanceCost } from "./cost";
import { LatentStep, PlanCost, PlanResult } from "./types";

/** Options for `cem`. */
export interface CemOptions {
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
  /** Sequences sampled per iteration. Default 256. */
  samples?: number;
  /** Cheapest sequences the Gaussian is refitted to, in [1, samples]. Default 32. */
  elites?: number;
  /** Sample-score-refit rounds. Default 5. */
  iterations?: number;
  /** Lower action bound: one number, or one per action dimension. Default -1. */
  low?: number | number[];
  /** Upper action bound: one number, or one per action dimension. Default 1. */
  high?: number | number[];
  /** Starting mean [H][A], e.g. the previous plan shifted by one step (warm start). Default zeros. */
  initMean?: number[][];
  /** Starting standard deviation of every action component. Default 0.5. */
  initStd?: number;
  /**
   * Correlation beta in [0, 1) of the sampling noise between consecutive steps ("colored noise"):
   * 0 = independent per step; near 1 = each candidate keeps pushing one way, which explores detours
   * (around a wall) far better. Default 0.
   */
  noiseCorrelation?: number;
  /** Cost of predicted trajectories (lower is better). Default `goalDistanceCost`. */
  cost?: PlanCost;
  /** Random stream name: each call draws its Gaussian noise from `rng(stream + ":cem")`. Default "plan". */
  stream?: string;
}

/** Default values of `cem`'s optional fields. */
export const cemDefaults = {
  samples: 256,
  elites: 32,
  iterations: 5,
  low: -1 as number | number[],
  high: 1 as number | number[],
  initStd: 0.5,
  noiseCorrelation: 0,
  cost: goalDistanceCost as PlanCost,
  stream: "plan",
};

/** Plans `horizon` actions from z0 towards goal with CEM. Returns the cheapest plan found. */
export function cem(opts: CemOptions): PlanResult {
  const where = "cem";
  const o = withDefaults(cemDefaults, opts);
  checkFunctions(where, o.step, o.cost);
  const H = checkInt(where, "opts.horizon", o.horizon, 1);
  const A = checkInt(where, "opts.actionDim", o.actionDim, 1);
  const S = checkInt(where, "opts.samples", o.samples, 1);
  const E = checkInt(where, "opts.elites", o.elites, 1);
  if (E > S) throw new RangeError(`${where}: opts.elites must be at most opts.samples (${S}), received ${E}`);
  const iterations = checkInt(where, "opts.iterations", o.iterations, 1);
  checkNumber(where, "opts.initStd", o.initStd, { min: 0 });
  checkNumber(where, "opts.noiseCorrelation", o.noiseCorrelation, { min: 0, max: 0.999 });
  const { low, high } = actionBounds(where, o.low, o.high, A);
  const mean0 = initialMean(where, o.initMean, H, A);
  const start = startLatent(where, o.z0, o.goal);

  const noise = rng(`${o.stream}:cem`);
  let mean: Float32Array = Float32Array.from(mean0.flat()); // [H * A]
  let std: Float32Array = new Float32Array(H * A).fill(o.initStd); // [H * A]
  const best = new BestPlan();
  try {
    for (let it = 0; it < iterations; it++) {
      const candidates = sampleCandidates(S, H, A, mean, std, () => randn(noise), low, high, o.noiseCorrelation); // [S, H, A]
      const costs = planCosts(where, o.step, o.cost, start.z, o.goal, candidates); // [S]
      best.offer(candidates, costs);
      [mean, std] = eliteMoments(candidates, cheapest(costs, E));
      if (it === iterations - 1) scoreMean(where, o, start.z, mean, H, A, low, high, best);
      best.endIteration();
    }
    return best.result(mean0);
  } finally {
    if (start.owned) start.z.dispose();
  }
}

/** Mean and standard deviation over the chosen candidates, per step and action component: [H * A] each. */
function eliteMoments(c: Candidates, elites: number[]): [Float32Array, Float32Array] {
  const HA = c.horizon * c.actionDim;
  const mean = new Float32Array(HA);
  const std = new Float32Array(HA);
  for (const i of elites) for (let j = 0; j < HA; j++) mean[j] += c.data[i * HA + j] / elites.length;
  for (const i of elites) for (let j = 0; j < HA; j++) std[j] += (c.data[i * HA + j] - mean[j]) ** 2 / elites.length;
  for (let j = 0; j < HA; j++) std[j] = Math.sqrt(std[j]);
  return [mean, std];
}
