/**
 * The shared vocabulary of planning in latent space, in one import: a world model's one-step
 * predictor (`LatentStep`, lib/models/rollout.ts), a cost on predicted trajectories (`PlanCost`,
 * ./cost.ts) and what a planner returns (`PlanResult`, ./candidates.ts). Used by every planner
 * (notebooks/06-planning.ipynb).
 *
 * The planner never owns the world model: it calls `LatentStep` inside `tf.tidy`, so the step may
 * create as many intermediate tensors as it likes, and must not dispose its inputs.
 */
export type { LatentStep } from "../models/rollout";
export type { PlanCost } from "./cost";
export type { PlanResult } from "./candidates";
