/**
 * The agent's loop: the six modules acting together for one episode. Written out in
 * notebooks/08-the-whole-agent.ipynb, then imported from here.
 *
 *   configurator(start image, goal image) -> horizon, planner, cost weights     (once per task)
 *   g = perception(goal image)
 *   for t = 0 .. maxSteps-1, until success:
 *     z_t = perception(observation)                                           [1, D]
 *     every replanEvery steps: plan = actor(z_t, g)  (warm start: the last plan shifted)
 *     a_t = the plan's next action; the world moves; its touch sensor says if the move was blocked
 *     c_t = intrinsic cost felt: ||z_t - g||², ||a_t||², pain = blocked
 *     memory.push(z_t, a_t, c_t)
 *   memory.endEpisode(z_T, reached)
 *
 * The world model and the critic are used by the actor (./actor.ts); the critic learns from the
 * memory between episodes (./critic.ts).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { LatentStep } from "../models/rollout";
import { actionsPerPlan, checkEnv, timed } from "../plan/control-loop";
import { Env, Episode, pathLength } from "../plan/episode";
import { shiftPlan } from "../plan/mpc";
import { BatchWorld, worldEnv } from "../plan/world-env";
import { act, ActorPlannerOptions } from "./actor";
import { ConfiguratorDecision } from "./configurator";
import { Critic } from "./critic";
import { checkWeights } from "./intrinsic-cost";
import { ShortTermMemory } from "./short-term-memory";

/** An environment with a touch sensor: `blocked()` says whether the last move was stopped short. */
export interface TouchEnv extends Env {
  /** True when the last `step` bumped into something (false before any step). */
  blocked(): boolean;
}

/** A world that can say which moves were blocked (lib/data's TwoRooms). */
export interface TouchWorld extends BatchWorld {
  /** Which of the moves `step(states, actions)` makes are stopped short: [N][S], [N][A] -> [N]. */
  blocked(states: number[][], actions: number[][]): boolean[];
}

/** One agent in `world` starting at `start`, with the world's touch sensor. */
export function touchEnv(world: TouchWorld, start: number[]): TouchEnv & { reset(state?: number[]): void } {
  if (!world || typeof world.blocked !== "function") throw new TypeError(`touchEnv: world must have a blocked(states, actions) method (TwoRooms), received ${world === null ? "null" : typeof world}`);
  const env = worldEnv(world, start);
  let bumped = false;
  return {
    ...env,
    step: (action) => {
      bumped = world.blocked([env.state()], [action])[0];
      env.step(action);
    },
    reset: (state) => {
      bumped = false;
      env.reset(state);
    },
    blocked: () => bumped,
  };
}

/** Options of `runAgent`. */
export interface RunAgentOptions {
  /** The world, with a touch sensor. */
  env: TouchEnv;
  /** The goal as an image [1, ...obs] (not owned: never disposed here). */
  goalObservation: tf.Tensor;
  /** Perception: image [1, ...obs] -> latent [1, D] (the encoder). Its result is disposed here. */
  perceive: (obs: tf.Tensor) => tf.Tensor2D;
  /** The world model's one-step predictor (not owned). */
  step: LatentStep;
  /** The configurator: (start image, goal image) -> its decision (./configurator.ts). */
  configure: (startObs: tf.Tensor, goalObs: tf.Tensor) => ConfiguratorDecision;
  /** The critic, used when the configured weights.critic > 0 (not owned). */
  critic?: Critic;
  /** Where to remember the episode's (latent, action, cost) triples. Default: a fresh memory. */
  memory?: ShortTermMemory;
  /** Latent distance a free move covers per unit of action (imagined pain). Required when weights.pain > 0. */
  latentSpeed?: number;
  /** The planner's budget and bounds (actionDim is required). */
  plannerOptions: ActorPlannerOptions & { actionDim: number };
  /** Actions executed at most. Default 60. */
  maxSteps?: number;
  /** Actions executed from each plan before planning again. Default 2. */
  replanEvery?: number;
  /** Success test on the true state (for bookkeeping and stopping; the agent never sees the state). Default: never. */
  success?: (state: number[]) => boolean;
}

/** Default values of `runAgent`'s optional fields. */
export const runAgentDefaults = { maxSteps: 60, replanEvery: 2 };

/** What happened in one episode, with the configurator's decision and the costs the agent felt. */
export interface AgentEpisode extends Episode {
  /** The configurator's decision for this task. */
  decision: ConfiguratorDecision;
  /** The intrinsic cost felt at each step, [steps]. */
  costs: number[];
  /** Steps whose move was blocked. */
  bumps: number;
  /** The memory the triples went into. */
  memory: ShortTermMemory;
}

/** Runs one episode of the whole agent (see the file header). */
export function runAgent(opts: RunAgentOptions): AgentEpisode {
  const where = "runAgent";
  const o = withDefaults(runAgentDefaults, opts, where);
  const env = checkEnv(where, o.env) as TouchEnv;
  if (typeof env.blocked !== "function") throw new TypeError(`${where}: opts.env must have a blocked() touch sensor (touchEnv(world, start)), received none`);
  for (const k of ["perceive", "step", "configure"] as const) if (typeof o[k] !== "function") throw new TypeError(`${where}: opts.${k} must be a function, received ${typeof o[k]}`);
  const maxSteps = checkNumber(where, "opts.maxSteps", o.maxSteps, { min: 0, integer: true });
  const chunk = actionsPerPlan(where, o.replanEvery);
  const memory = o.memory ?? new ShortTermMemory();
  const startObs = env.observe();
  const decision = (() => {
    try { return o.configure(startObs, o.goalObservation); } finally { startObs.dispose(); }
  })();
  const { horizon, planner, weights } = decision.config;
  const w = checkWeights(where, { goalDistance: weights.goalDistance, effort: weights.effort, pain: weights.pain });
  const goal = tf.tidy(() => o.perceive(o.goalObservation).reshape([-1])) as tf.Tensor1D; // [D]
  const g = Array.from(goal.dataSync());
  memory.beginEpisode(g);
  const states = [env.state()];
  const actions: number[][] = [];
  const costs: number[] = [];
  let planMs = 0;
  let bumps = 0;
  let success = false;
  let plan: number[][] = []; // the latest plan [H][A]
  let used = 0; // its actions executed so far
  try {
    for (let t = 0; t < maxSteps; t++) {
      if (o.success?.(states[t])) { success = true; break; }
      const z = perceiveNow(where, env, o.perceive, g.length); // [1, D]
      const latent = Array.from(z.dataSync());
      try {
        if (used >= Math.min(chunk, plan.length)) {
          const initMean = plan.length ? shiftPlan(plan, used) : undefined;
          const r = timed(() => act({ step: o.step, z0: z, goal, horizon, planner, weights, latentSpeed: o.latentSpeed, critic: o.critic, plannerOptions: o.plannerOptions, initMean }));
          plan = r.value.actions;
          used = 0;
          planMs += r.ms;
        }
      } finally {
        z.dispose();
      }
      const action = plan[used++].slice();
      env.step(action);
      const pain = env.blocked() ? 1 : 0;
      const cost = w.goalDistance * latent.reduce((s, v, i) => s + (v - g[i]) ** 2, 0) + w.effort * action.reduce((s, v) => s + v * v, 0) + w.pain * pain;
      memory.push(latent, action, cost);
      bumps += pain;
      actions.push(action);
      costs.push(cost);
      states.push(env.state());
    }
    if (!success && o.success) success = !!o.success(states[states.length - 1]);
    const end = perceiveNow(where, env, o.perceive, g.length);
    memory.endEpisode(Array.from(end.dataSync()), success);
    end.dispose();
  } finally {
    goal.dispose();
  }
  return { states, actions, success, steps: actions.length, planMs, pathLength: pathLength(states), decision, costs, bumps, memory };
}

/** perception(observation) as [1, D]; the observation is disposed. */
function perceiveNow(where: string, env: Env, perceive: (obs: tf.Tensor) => tf.Tensor2D, dim: number): tf.Tensor2D {
  const obs = env.observe();
  try {
    const z = perceive(obs);
    checkShape(where, "perceive(observation)", z, [1, dim]);
    return z;
  } finally {
    obs.dispose();
  }
}
