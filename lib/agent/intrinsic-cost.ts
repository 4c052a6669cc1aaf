/**
 * The intrinsic cost: the agent's hard-wired discomfort, computed from what it perceives (or
 * imagines). Written out in notebooks/08-the-whole-agent.ipynb, then imported from here.
 *
 * For H steps with latents z_1..z_H, actions a_1..a_H and pain p_1..p_H in [0, 1], goal latent g:
 *   goalDistance = Σ_t ||z_t - g||²        (notebook 06's cost: far from the goal hurts)
 *   effort       = Σ_t ||a_t||²             (big moves cost energy)
 *   pain         = Σ_t p_t                  (bumping into the wall hurts)
 *   cost         = w_goalDistance · goalDistance + w_effort · effort + w_pain · pain
 * Every weight is an option, so a lesson (or the configurator) can show and change each term.
 *
 * Pain is felt from the world's touch sensor when the agent really moves (a blocked move: p = 1).
 * In imagination there is no sensor, so `imaginedPain` reads it off the world model: an imagined
 * move whose latent moved less than half as far as a free move of that length would (the agent's
 * `latentSpeed`, latent distance per unit of action) was stopped by something.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";

/** The weight of each hard-wired term (>= 0). */
export interface IntrinsicWeights {
  /** Weight of Σ_t ||z_t - g||², the squared latent distance to the goal. Default 1. */
  goalDistance?: number;
  /** Weight of Σ_t ||a_t||², the effort of the actions. Default 0. */
  effort?: number;
  /** Weight of Σ_t p_t, the pain of bumping into something. Default 0. */
  pain?: number;
}

/** Default weights of `intrinsicCost`. */
export const intrinsicWeightsDefaults: Required<IntrinsicWeights> = { goalDistance: 1, effort: 0, pain: 0 };

/** The intrinsic cost of N step sequences and its three terms (before weighting), each [N]. */
export interface IntrinsicCost {
  /** The weighted sum, [N]. */
  cost: tf.Tensor1D;
  /** Σ_t ||z_t - g||², [N]. */
  goalDistance: tf.Tensor1D;
  /** Σ_t ||a_t||², [N]. */
  effort: tf.Tensor1D;
  /** Σ_t p_t, [N]. */
  pain: tf.Tensor1D;
}

/**
 * The intrinsic cost of N sequences of H steps: latents [N, H, D] (where each action led),
 * actions [N, H, A], pain [N, H] in [0, 1], goal [D] -> { cost, goalDistance, effort, pain }, each [N].
 * The caller disposes the four tensors (or calls this inside `tf.tidy`).
 */
export function intrinsicCost(
  latents: tf.Tensor3D, actions: tf.Tensor3D, pain: tf.Tensor2D, goal: tf.Tensor1D, weights: IntrinsicWeights = {},
): IntrinsicCost {
  const where = "intrinsicCost";
  const w = checkWeights(where, weights);
  const dims = checkShape(where, "latents", latents, ["N", "H", "D"]);
  checkShape(where, "actions", actions, ["N", "H", null], dims);
  checkShape(where, "pain", pain, ["N", "H"], dims);
  checkShape(where, "goal", goal, ["D"], dims);
  const [cost, goalDistance, effort, pains] = tf.tidy(() => {
    const d = tf.sum(tf.sum(tf.squaredDifference(latents, goal), 2), 1); // [N]
    const e = tf.sum(tf.sum(tf.square(actions), 2), 1); // [N]
    const p = tf.sum(pain, 1); // [N]
    const c = tf.addN([tf.mul(d, w.goalDistance), tf.mul(e, w.effort), tf.mul(p, w.pain)]); // [N]
    return [c, d, e, p] as tf.Tensor1D[];
  });
  return { cost, goalDistance, effort, pain: pains };
}

/** The weights with defaults filled in, each checked to be a finite number >= 0. */
export function checkWeights(where: string, weights: IntrinsicWeights): Required<IntrinsicWeights> {
  const w = withDefaults(intrinsicWeightsDefaults, weights, where);
  for (const k of Object.keys(intrinsicWeightsDefaults) as (keyof IntrinsicWeights)[]) {
    checkNumber(where, `weights.${k}`, w[k], { min: 0 });
  }
  return w;
}

/**
 * Pain the world model foresees: 1 where an imagined move covered less than half the latent distance
 * a free move of that length covers (`latentSpeed` · ||a_t||), else 0. z0 [1, D] or [N, D] (where the
 * plans start), latents [N, H, D], actions [N, H, A] -> [N, H]. The caller disposes the result.
 */
export function imaginedPain(z0: tf.Tensor2D, latents: tf.Tensor3D, actions: tf.Tensor3D, latentSpeed: number): tf.Tensor2D {
  const where = "imaginedPain";
  checkNumber(where, "latentSpeed", latentSpeed, { min: 0, exclusiveMin: true });
  const dims = checkShape(where, "latents", latents, ["N", "H", "D"]);
  checkShape(where, "actions", actions, ["N", "H", null], dims);
  checkShape(where, "z0", z0, [null, "D"], dims);
  if (z0.shape[0] !== 1 && z0.shape[0] !== dims.N) {
    throw new Error(`${where}: z0 must have shape [1, D] or [N, D] with N=${dims.N}, received [${z0.shape.join(", ")}]`);
  }
  return tf.tidy(() => {
    const start = tf.broadcastTo(tf.expandDims(z0, 1), [dims.N, 1, dims.D]); // [N, 1, D]
    const before = tf.concat([start, latents.slice([0, 0, 0], [-1, dims.H - 1, -1])], 1); // z_0..z_{H-1}: [N, H, D]
    const moved = tf.norm(tf.sub(latents, before), "euclidean", 2); // [N, H]
    const asked = tf.mul(tf.norm(actions, "euclidean", 2), latentSpeed / 2); // [N, H]
    return tf.cast(tf.less(moved, asked), "float32") as tf.Tensor2D;
  });
}

/** A world the agent can calibrate its pain sense in (lib/data's TwoRooms). */
export interface CalibrationWorld {
  /** n random free states [n][S]. */
  randomStates(n: number): number[][];
  /** Next states after actions. */
  step(states: number[][], actions: number[][]): number[][];
  /** Which moves were stopped short (the touch sensor). */
  blocked(states: number[][], actions: number[][]): boolean[];
  /** Observations of states [n, ...obs]. */
  render(states: number[][]): tf.Tensor;
}

/** Options of `measureLatentSpeed`. */
export interface LatentSpeedOptions {
  /** Length of every move (e.g. the world's maxStep). Required. */
  length: number;
  /** Moves tried, from random places (move i heads at angle i radians). Default 300. */
  moves?: number;
}

/**
 * `latentSpeed` for `imaginedPain`, measured: over `moves` moves of `length` from random free places,
 * the median of ||encode(after) - encode(before)|| / length among the moves the world did not block.
 */
export function measureLatentSpeed(encode: (obs: tf.Tensor) => tf.Tensor2D, world: CalibrationWorld, opts: LatentSpeedOptions): number {
  const where = "measureLatentSpeed";
  const length = checkNumber(where, "opts.length", opts?.length, { min: 0, exclusiveMin: true });
  const n = checkNumber(where, "opts.moves", opts.moves ?? 300, { min: 1, integer: true });
  const from = world.randomStates(n);
  const moves = from.map((_, i) => [length * Math.cos(i), length * Math.sin(i)]);
  const free = world.blocked(from, moves).map((b) => !b);
  const speeds = tf.tidy(() => {
    const moved = tf.sub(encode(world.render(world.step(from, moves))), encode(world.render(from))); // [n, D]
    return tf.norm(moved, "euclidean", 1).div(length).arraySync() as number[];
  }).filter((_, i) => free[i]);
  if (speeds.length === 0) throw new Error(`${where}: every one of the ${n} moves was blocked; use shorter moves (opts.length)`);
  return speeds.sort((a, b) => a - b)[Math.floor((speeds.length - 1) / 2)];
}
