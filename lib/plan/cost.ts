/**
 * The default planning cost: how far the predicted latents stay from the goal latent.
 * Written out in notebooks/06-planning.ipynb (`myCost`), then imported from here.
 *
 * cost(plan) = sum over t = 1..H of w_t * ||z_t - goal||^2, with w_t = 1 except w_H = terminalWeight.
 * Summing over the whole plan (not only the last step) rewards getting close early; a larger
 * terminalWeight cares more about where the plan ends.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";

/**
 * A cost per candidate plan: traj [N, H, D] predicted latents (after each of the H actions, the
 * start latent excluded), goal [D] -> [N] costs (lower is better).
 */
export type PlanCost = (traj: tf.Tensor3D, goal: tf.Tensor1D) => tf.Tensor1D;

/** Options for `goalDistanceCost`. */
export interface GoalDistanceCostOptions {
  /** Weight of the last predicted latent's distance (the others weigh 1). Default 1. */
  terminalWeight?: number;
}

/** Default options of `goalDistanceCost`. */
export const goalDistanceCostDefaults: Required<GoalDistanceCostOptions> = { terminalWeight: 1 };

/**
 * Squared L2 distance of each predicted latent to the goal, summed over the plan.
 * traj [N, H, D], goal [D] -> [N]. A `PlanCost` as is; `goalDistanceCostWith(opts)` fixes options.
 */
export function goalDistanceCost(traj: tf.Tensor3D, goal: tf.Tensor1D, opts: GoalDistanceCostOptions = {}): tf.Tensor1D {
  const where = "goalDistanceCost";
  const o = withDefaults(goalDistanceCostDefaults, opts, where);
  checkNumber(where, "opts.terminalWeight", o.terminalWeight, { min: 0 });
  const dims = checkShape(where, "traj", traj, ["N", "H", "D"]);
  checkShape(where, "goal", goal, ["D"], dims);
  return tf.tidy(() => {
    const perStep = tf.sum(tf.squaredDifference(traj, goal), 2); // [N, H]
    if (o.terminalWeight === 1) return tf.sum(perStep, 1) as tf.Tensor1D;
    const h = dims.H;
    const w = tf.tensor1d(Array.from({ length: h }, (_, t) => (t === h - 1 ? o.terminalWeight : 1))); // [H]
    return tf.sum(tf.mul(perStep, w), 1) as tf.Tensor1D; // [N]
  });
}

/** `goalDistanceCost` with fixed options, as a `PlanCost`: `cost: goalDistanceCostWith({ terminalWeight: 5 })`. */
export function goalDistanceCostWith(opts: GoalDistanceCostOptions): PlanCost {
  const o = withDefaults(goalDistanceCostDefaults, opts, "goalDistanceCostWith");
  checkNumber("goalDistanceCostWith", "opts.terminalWeight", o.terminalWeight, { min: 0 });
  return (traj, goal) => goalDistanceCost(traj, goal, o);
}
