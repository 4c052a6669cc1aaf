/**
 * The trainable critic: a small MLP that predicts the cost-to-go V(z, g), how many steps the agent
 * still needs from latent z to the goal latent g, learned from the agent's own episodes in its
 * short-term memory. Written out in notebooks/08-the-whole-agent.ipynb, then imported from here.
 *
 *   V(z, g) = scale · mlp([z, g])                       [N, D] and [N, D] (or [D]) -> [N]
 *
 * Monte-Carlo targets (`criticExamples`): a step t of an episode that reached the goal after T steps
 * has cost-to-go y_t = T - t (its end: 0); an episode that ran out of steps adds `failCost` (the
 * goal was not reached: at least that much more). Loss: mean squared error in steps²,
 *   L = mean_i (V(z_i, g_i) - y_i)².
 * The actor adds V at the end of its planning horizon (./actor.ts), which fixes what the latent
 * distance cannot see: the wall between two rooms.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, checkSizes, withDefaults } from "../check";
import { ForwardResult, Model } from "../models/model";
import { mlp } from "../models/mlp";
import { MemoryEpisode } from "./short-term-memory";

/** Options of `critic`. */
export interface CriticOptions {
  /** Embedding width D of the latents (and of the goal latent). Required. */
  embedDim: number;
  /** Hidden layer sizes. Default [128, 128]. */
  hidden?: number[];
  /** The network's output is multiplied by this (cost-to-go in steps is ~0-100; outputs stay ~1). Default 10. */
  scale?: number;
  /** Variable name prefix. Default "critic". */
  name?: string;
}

/** Default options of `critic`. */
export const criticDefaults = { hidden: [128, 128], scale: 10, name: "critic" };

/** A batch for training the critic. */
export interface CriticBatch {
  /** Latents, [B, D]. */
  z: tf.Tensor2D;
  /** Their episodes' goal latents, [B, D]. */
  goal: tf.Tensor2D;
  /** Cost-to-go targets in steps, [B]. */
  target: tf.Tensor1D;
}

/** The critic: a `Model` (trains with `train`) with `value` for the actor. */
export interface Critic extends Model<CriticBatch> {
  /** Embedding width D. */
  readonly embedDim: number;
  /** V(z, g): z [N, D], goal [N, D] or [D] (shared) -> cost-to-go [N]. The caller disposes it. */
  value(z: tf.Tensor2D, goal: tf.Tensor2D | tf.Tensor1D): tf.Tensor1D;
}

/** Builds the critic MLP [2D -> hidden -> 1]; its loss is the mean squared error to the targets. */
export function critic(opts: CriticOptions): Critic {
  const where = "critic";
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { embedDim, ... }, received ${opts === null ? "null" : typeof opts}`);
  const o = withDefaults(criticDefaults, opts, where);
  const D = checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  const scale = checkNumber(where, "opts.scale", o.scale, { min: 0, exclusiveMin: true });
  checkSizes(where, "opts.hidden", o.hidden);
  const net = mlp([2 * D, ...o.hidden, 1], { name: o.name });
  const v = (z: tf.Tensor2D, goal: tf.Tensor2D | tf.Tensor1D): tf.Tensor1D => {
    const N = checkShape(`${where}.value`, "z", z, ["N", D]).N;
    if (!(goal instanceof tf.Tensor) || !((goal.rank === 1 && goal.shape[0] === D) || (goal.rank === 2 && goal.shape[0] === N && goal.shape[1] === D))) {
      throw new Error(`${where}.value: goal must have shape [${D}] or [${N}, ${D}], received ${goal instanceof tf.Tensor ? `[${goal.shape.join(", ")}]` : typeof goal}`);
    }
    const g = goal.rank === 1 ? tf.broadcastTo(goal, [N, D]) : goal; // [N, D]
    return tf.mul(net.apply(tf.concat([z, g], 1)), scale).reshape([N]) as tf.Tensor1D; // [N]
  };
  return {
    name: o.name,
    embedDim: D,
    value: (z, goal) => tf.tidy(() => v(z, goal)),
    forward(batch: CriticBatch): ForwardResult {
      const dims = checkShape(`${where}.forward`, "batch.z", batch?.z, ["B", D]);
      checkShape(`${where}.forward`, "batch.goal", batch.goal, ["B", D], dims);
      checkShape(`${where}.forward`, "batch.target", batch.target, ["B"], dims);
      const loss = tf.mean(tf.squaredDifference(v(batch.z, batch.goal), batch.target)) as tf.Scalar;
      return { loss };
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}

/** Options of `criticExamples`. */
export interface CriticTargetOptions {
  /** Extra cost-to-go of a step whose episode did not reach the goal (>= 0). Default 20. */
  failCost?: number;
}

/** Default options of `criticExamples`. */
export const criticTargetDefaults: Required<CriticTargetOptions> = { failCost: 20 };

/** The critic's training set: latents, goals and Monte-Carlo cost-to-go targets, as plain arrays. */
export interface CriticExamples {
  /** Latents [M][D]: every remembered step and every episode's end. */
  z: number[][];
  /** The goal latent of each one's episode, [M][D]. */
  goal: number[][];
  /** Cost-to-go targets in steps, [M]. */
  target: number[];
}

/**
 * Monte-Carlo targets from finished episodes (running ones are skipped): step t of an episode of T
 * steps gets T - t, its end 0, plus `failCost` when it did not reach the goal.
 */
export function criticExamples(episodes: readonly MemoryEpisode[], opts: CriticTargetOptions = {}): CriticExamples {
  const where = "criticExamples";
  const o = withDefaults(criticTargetDefaults, opts, where);
  const failCost = checkNumber(where, "opts.failCost", o.failCost, { min: 0 });
  if (!Array.isArray(episodes)) throw new TypeError(`${where}: episodes must be an array (memory.episodes()), received ${typeof episodes}`);
  const out: CriticExamples = { z: [], goal: [], target: [] };
  for (const ep of episodes) {
    if (ep.reached === undefined || !ep.final) continue;
    const extra = ep.reached ? 0 : failCost;
    for (const tr of ep.triples) {
      out.z.push(tr.latent);
      out.goal.push(ep.goal);
      out.target.push(ep.steps - tr.t + extra);
    }
    out.z.push(ep.final);
    out.goal.push(ep.goal);
    out.target.push(extra);
  }
  return out;
}

/** Rows `idx` of the examples as a batch of tensors. The caller owns (disposes) the result. */
export function criticBatch(examples: CriticExamples, idx: number[]): CriticBatch {
  const where = "criticBatch";
  const n = examples?.z?.length ?? 0;
  if (!Array.isArray(idx) || idx.length === 0) throw new TypeError(`${where}: idx must be a non-empty number[], received ${Array.isArray(idx) ? "an empty array" : typeof idx}`);
  idx.forEach((i, j) => checkNumber(where, `idx[${j}]`, i, { min: 0, max: n - 1, integer: true }));
  return {
    z: tf.tensor2d(idx.map((i) => examples.z[i])), // [B, D]
    goal: tf.tensor2d(idx.map((i) => examples.goal[i])), // [B, D]
    target: tf.tensor1d(idx.map((i) => examples.target[i])), // [B]
  };
}
