/**
 * The shared vocabulary of planning in latent space: a world model's one-step predictor, a cost on
 * predicted trajectories, and what a planner returns. Introduced in notebooks/06-planning.ipynb.
 *
 * The planner never owns the world model: it calls `LatentStep` inside `tf.tidy`, so the step may
 * create as many intermediate tensors as it likes, and must not dispose its inputs.
 */
import * as tf from "@tensorflow/tfjs";

/**
 * A world model's predictor: the next latent of N states under N actions.
 * z: [N, D] latents, a: [N, A] actions -> [N, D] next latents.
 */
export type LatentStep = (z: tf.Tensor2D, a: tf.Tensor2D) => tf.Tensor2D;

/**
 * A cost per candidate plan: traj [N, H, D] predicted latents (after each of the H actions, the
 * start latent excluded), goal [D] -> [N] costs (lower is better).
 */
export type PlanCost = (traj: tf.Tensor3D, goal: tf.Tensor1D) => tf.Tensor1D;

/** What a planner returns. */
export interface PlanResult {
  /** The best plan found: [H][A] actions, to execute from the first. */
  actions: number[][];
  /** Its cost under the planner's cost function. */
  cost: number;
  /** The best cost found so far at the end of each iteration (non-increasing), [iterations]. */
  costHistory: number[];
}
