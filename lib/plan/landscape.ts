/**
 * The cost landscape of a planning problem: the cost of holding one constant 2-D action for a few
 * steps, over a grid of actions. Shows where the planner's minimum is, and whether walls or a poor
 * world model make it bumpy. Introduced in notebooks/06-planning.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkInt, checkNumber, withDefaults } from "../check";
import { planCosts } from "./candidates";
import { checkFunctions, startLatent } from "./inputs";
import { goalDistanceCost } from "./cost";
import { LatentStep, PlanCost } from "./types";

/** Options for `costLandscape`. */
export interface CostLandscapeOptions {
  /** The world model's one-step predictor, for 2-D actions (not owned). */
  step: LatentStep;
  /** The current latent, [D] or [1, D]. */
  z0: tf.Tensor1D | tf.Tensor2D;
  /** The goal latent, [D]. */
  goal: tf.Tensor1D;
  /** Action values tried along each of the 2 action dimensions, e.g. 21 values from -1 to 1. */
  grid: number[];
  /** Steps the constant action is held. Default 1. */
  horizon?: number;
  /** Cost of the predicted trajectory. Default `goalDistanceCost`. */
  cost?: PlanCost;
}

/** Default values of `costLandscape`'s optional fields. */
export const costLandscapeDefaults = { horizon: 1, cost: goalDistanceCost as PlanCost };

/** A grid of costs, ready for `heatmap(z, { x, y })`. */
export interface CostLandscape {
  /** Values of action dimension 0 (columns). */
  x: number[];
  /** Values of action dimension 1 (rows). */
  y: number[];
  /** z[i][j]: cost of the action [x[j], y[i]] held for `horizon` steps, [rows][cols]. */
  z: number[][];
}

/** Cost of every constant action [x, y] on the grid, held for `horizon` steps (one batched rollout). */
export function costLandscape(opts: CostLandscapeOptions): CostLandscape {
  const where = "costLandscape";
  const o = withDefaults(costLandscapeDefaults, opts, where);
  checkFunctions(where, o.step, o.cost);
  const H = checkInt(where, "opts.horizon", o.horizon, 1);
  if (!Array.isArray(o.grid) || o.grid.length === 0) {
    throw new TypeError(`${where}: opts.grid must be a non-empty number[] (action values per dimension), received ${Array.isArray(o.grid) ? "an empty array" : typeof o.grid}`);
  }
  o.grid.forEach((v, i) => checkNumber(where, `opts.grid[${i}]`, v));
  const G = o.grid.length;
  const data = new Float32Array(G * G * H * 2); // [G*G, H, 2], row-major over (y, x)
  for (let i = 0; i < G; i++) {
    for (let j = 0; j < G; j++) {
      for (let t = 0; t < H; t++) {
        data[((i * G + j) * H + t) * 2] = o.grid[j];
        data[((i * G + j) * H + t) * 2 + 1] = o.grid[i];
      }
    }
  }
  const start = startLatent(where, o.z0, o.goal);
  try {
    const costs = planCosts(where, o.step, o.cost, start.z, o.goal, { data, n: G * G, horizon: H, actionDim: 2 });
    const z = Array.from({ length: G }, (_, i) => Array.from(costs.subarray(i * G, (i + 1) * G)));
    return { x: o.grid.slice(), y: o.grid.slice(), z };
  } finally {
    if (start.owned) start.z.dispose();
  }
}
