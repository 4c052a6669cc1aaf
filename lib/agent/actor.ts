/**
 * The actor: searches action sequences with CEM or MPPI (lib/plan) over the world model, minimising
 * the intrinsic cost of the imagined steps plus the critic's cost-to-go where the plan ends.
 * Written out in notebooks/08-the-whole-agent.ipynb, then imported from here.
 *
 *   cost(a_1..a_H) = intrinsic(ẑ_1..ẑ_H, a_1..a_H, pain) + w_critic · V(ẑ_H, g),
 *   ẑ_t = worldModel(ẑ_{t-1}, a_t),  ẑ_0 = z (the perceived latent)
 *
 * lib/plan's planners score a plan from its imagined states alone (`PlanCost(traj, goal)`), and the
 * effort and pain terms need the actions too. So the actor imagines a slightly bigger state: the
 * latent and the action that led to it, [D + A] (`withActions`); `agentCost` splits them again. The
 * planners themselves are used as they are.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../check";
import { LatentStep } from "../models/rollout";
import { cem, CemOptions } from "../plan/cem";
import { PlanCost } from "../plan/cost";
import { mppi, MppiOptions } from "../plan/mppi";
import { PlanResult } from "../plan/types";
import { Critic } from "./critic";
import { checkWeights, imaginedPain, intrinsicCost, IntrinsicWeights } from "./intrinsic-cost";

/** The weights of the whole cost: the intrinsic terms and the critic (>= 0). */
export interface CostWeights extends IntrinsicWeights {
  /** Weight of the critic's V(ẑ_H, g) at the end of the plan. Default 0 (no critic). */
  critic?: number;
}

/**
 * A world model's step on the bigger state [latent, last action]: (x [N, D + A], a [N, A]) ->
 * [step(x[:, :D], a), a] [N, D + A]. The step's own tensors are freed by the planner's tf.tidy.
 */
export function withActions(step: LatentStep, embedDim: number): LatentStep {
  checkNumber("withActions", "embedDim", embedDim, { min: 1, integer: true });
  return (x, a) => tf.concat([step(x.slice([0, 0], [-1, embedDim]), a), a], 1) as tf.Tensor2D; // [N, D + A]
}

/** What `agentCost` needs besides the plan. */
export interface AgentCostOptions {
  /** Where the plans start: the perceived latent, [1, D] (not owned: never disposed here). */
  z0: tf.Tensor2D;
  /** The weights of each term (defaults: goal distance 1, the others 0). */
  weights?: CostWeights;
  /** Latent distance a free move covers per unit of action (for `imaginedPain`). Required when weights.pain > 0. */
  latentSpeed?: number;
  /** The critic, required when weights.critic > 0 (not owned: never disposed here). */
  critic?: Critic;
}

/**
 * The actor's `PlanCost` over imagined [latent, action] states: traj [N, H, D + A], goal [D + A]
 * (the goal latent with A zeros appended) -> [N] = intrinsic cost + w_critic · V(ẑ_H, g).
 */
export function agentCost(opts: AgentCostOptions): PlanCost {
  const where = "agentCost";
  const D = checkShape(where, "opts.z0", opts?.z0, [1, "D"]).D;
  const { critic: wCritic = 0, ...intrinsic } = opts.weights ?? {};
  checkNumber(where, "opts.weights.critic", wCritic, { min: 0 });
  const w = checkWeights(where, intrinsic);
  if (w.pain > 0) checkNumber(where, "opts.latentSpeed", opts.latentSpeed, { min: 0, exclusiveMin: true });
  if (wCritic > 0 && (!opts.critic || typeof opts.critic.value !== "function")) {
    throw new Error(`${where}: opts.critic (a Critic) is required when opts.weights.critic > 0, received ${typeof opts.critic}`);
  }
  return (traj, goal) => tf.tidy(() => {
    const { N, H, DA } = checkShape(where, "traj", traj, ["N", "H", "DA"]);
    const latents = traj.slice([0, 0, 0], [-1, -1, D]) as tf.Tensor3D; // [N, H, D]
    const actions = traj.slice([0, 0, D], [-1, -1, DA - D]) as tf.Tensor3D; // [N, H, A]
    const g = goal.slice([0], [D]) as tf.Tensor1D; // [D]
    const pain = w.pain > 0 ? imaginedPain(opts.z0, latents, actions, opts.latentSpeed as number) : tf.zeros([N, H]);
    const c = intrinsicCost(latents, actions, pain as tf.Tensor2D, g, w).cost; // [N]
    if (wCritic === 0) return c;
    const last = latents.slice([0, H - 1, 0], [-1, 1, -1]).reshape([N, D]) as tf.Tensor2D; // ẑ_H [N, D]
    return tf.add(c, tf.mul(opts.critic!.value(last, g), wCritic)) as tf.Tensor1D;
  });
}

/** The planner's options the actor passes through (the sampling budget, bounds, noise, stream). */
export type ActorPlannerOptions = Partial<Omit<CemOptions & MppiOptions, "step" | "z0" | "goal" | "cost" | "horizon" | "initMean">>;

/** Options of `act`. */
export interface ActOptions extends Omit<AgentCostOptions, "z0"> {
  /** The world model's one-step predictor (not owned). */
  step: LatentStep;
  /** The perceived latent, [1, D]. */
  z0: tf.Tensor2D;
  /** The goal latent, [D]. */
  goal: tf.Tensor1D;
  /** Plan length H. */
  horizon: number;
  /** "cem" or "mppi". Default "cem". */
  planner?: "cem" | "mppi";
  /** The planner's own options (actionDim is required). */
  plannerOptions: ActorPlannerOptions & { actionDim: number };
  /** Warm start [H][A], e.g. the previous plan shifted. Default zeros. */
  initMean?: number[][];
}

/** One plan: CEM or MPPI over the world model, minimising `agentCost`. Returns the planner's result. */
export function act(opts: ActOptions): PlanResult {
  const where = "act";
  const D = checkShape(where, "opts.z0", opts?.z0, [1, "D"]).D;
  checkShape(where, "opts.goal", opts.goal, [D]);
  const planner = opts.planner ?? "cem";
  if (planner !== "cem" && planner !== "mppi") throw new Error(`${where}: opts.planner must be "cem" or "mppi", received ${JSON.stringify(planner)}`);
  const A = checkNumber(where, "opts.plannerOptions.actionDim", opts.plannerOptions?.actionDim, { min: 1, integer: true });
  const cost = agentCost({ z0: opts.z0, weights: opts.weights, latentSpeed: opts.latentSpeed, critic: opts.critic });
  const [x0, goal] = tf.tidy(() => [tf.concat([opts.z0, tf.zeros([1, A])], 1), tf.concat([opts.goal, tf.zeros([A])])]); // [1, D + A], [D + A]
  try {
    const run = planner === "cem" ? cem : mppi;
    return run({ ...opts.plannerOptions, step: withActions(opts.step, D), z0: x0 as tf.Tensor2D, goal: goal as tf.Tensor1D, cost, horizon: opts.horizon, initMean: opts.initMean });
  } finally {
    tf.dispose([x0, goal]);
  }
}
