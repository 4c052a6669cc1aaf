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
 */
import * as tf from "@tensorflow/tfjs";
import { withDefaults } from "../losses/validate";
import { nextSeed } from "../random";
import { checkNumber } from "../shape";
import { actionBounds, BestPlan, cheapest, checkFunctions, checkInt, initialMean, planCosts, scoreMean, startLatent, clipActions } from "./check";
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
  /** Cost of predicted trajectories (lower is better). Default `goalDistanceCost`. */
  cost?: PlanCost;
  /** Random stream name; the sampling seeds come from `nextSeed(stream + ":cem")`. Default "plan". */
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
  const { low, high } = actionBounds(where, o.low, o.high, A);
  const mean0 = initialMean(where, o.initMean, H, A);
  const start = startLatent(where, o.z0, o.goal);

  let mean = tf.tensor2d(mean0, [H, A]); // [H, A]
  let std = tf.fill([H, A], o.initStd) as tf.Tensor2D; // [H, A]
  const best = new BestPlan();
  try {
    for (let it = 0; it < iterations; it++) {
      const seed = nextSeed(`${o.stream}:cem`);
      const [m, s] = tf.tidy(() => {
        const noise = tf.randomNormal([S - 1, H, A], 0, 1, "float32", seed); // [S-1, H, A]
        const drawn = tf.add(mean, tf.mul(std, noise));
        const samples = clipActions(tf.concat([tf.expandDims(mean, 0), drawn], 0), low, high) as tf.Tensor3D; // [S, H, A]
        const costs = planCosts(where, o.step, o.cost, start.z, o.goal, samples);
        best.offer(samples, costs);
        const eliteIdx = tf.tensor1d(cheapest(costs, E), "int32");
        const elites = tf.gather(samples, eliteIdx); // [E, H, A]
        const moments = tf.moments(elites, 0);
        return [tf.keep(moments.mean as tf.Tensor2D), tf.keep(tf.sqrt(moments.variance) as tf.Tensor2D)];
      });
      tf.dispose([mean, std]);
      [mean, std] = [m, s];
      if (it === iterations - 1) scoreMean(where, o, start.z, mean, low, high, best);
      best.endIteration();
    }
    return best.result(mean0);
  } finally {
    tf.dispose([mean, std]);
    if (start.owned) start.z.dispose();
  }
}
