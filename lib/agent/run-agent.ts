/**
 * The agent's loop: the six modules acting together for one episode. Written out in
 * notebooks/08-the-whole-agent.ipynb, then imported from here.
 *
 *   g = perception(goal image)
 *   for t = 0 .. maxSteps-1, until success:
 *     z_t = perception(observation)                                           [1, D]
 *     every replanEvery steps:
 *       horizon, planner, weights = configurator(observation, goal image)   (only at t = 0 when
 *                                                                             reconfigure is false)
 *       plan = actor(z_t, g)  (warm start: the last plan shifted, cut or padded to the horizon)
 *     a_t = the plan's next action; the world moves; its touch sensor says if the move was blocked
 *     c_t = intrinsic cost felt: w_d ||z_t - g||² + w_e ||a_t||² + w_p · blocked     (`feltCost`)
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
import { AgentConfig, ConfiguratorDecision } from "./configurator";
import { Critic } from "./critic";
import { checkWeights, IntrinsicWeights } from "./intrinsic-cost";
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
  /** The configurator: (current image, goal image) -> its decision (./configurator.ts). */
  configure: (currentObs: tf.Tensor, goalObs: tf.Tensor) => ConfiguratorDecision;
  /** Ask the configurator again before every plan (once past the door, the task looks different). false: once, at the start. Default true. */
  reconfigure?: boolean;
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
export const runAgentDefaults = { maxSteps: 60, replanEvery: 2, reconfigure: true };

/** What happened in one episode, with the configurator's decision and the costs the agent felt. */
export interface AgentEpisode extends Episode {
  /** The configurator's decisions: at the start, then before every plan (with `reconfigure`). */
  decisions: ConfiguratorDecision[];
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
  const goal = tf.tidy(() => o.perceive(o.goalObservation).reshape([-1])) as tf.Tensor1D; // [D]
  const g = Array.from(goal.dataSync());
  const decisions: ConfiguratorDecision[] = [];
  const configure = (obs: tf.Tensor): AgentConfig => {
    const d = o.configure(obs, o.goalObservation);
    checkWeights(where, { goalDistance: d.config.weights.goalDistance, effort: d.config.weights.effort, pain: d.config.weights.pain });
    decisions.push(d);
    return d.config;
  };
  memory.beginEpisode(g);
  const states = [env.state()];
  const actions: number[][] = [];
  const costs: number[] = [];
  let planMs = 0;
  let bumps = 0;
  let success = false;
  let config: AgentConfig | undefined; // the set-up in force
  let plan: number[][] = []; // the latest plan [H][A]
  let used = 0; // its actions executed so far
  try {
    for (let t = 0; t < maxSteps; t++) {
      if (o.success?.(states[t])) { success = true; break; }
      const obs = env.observe();
      const z = perceiveNow(where, obs, o.perceive, g.length); // [1, D]
      const latent = Array.from(z.dataSync());
      try {
        if (!config || (o.reconfigure && used >= Math.min(chunk, plan.length))) config = configure(obs);
        if (used >= Math.min(chunk, plan.length)) {
          const initMean = plan.length ? fitPlan(shiftPlan(plan, used), config.horizon) : undefined;
          const r = timed(() => act({ step: o.step, z0: z, goal, horizon: config!.horizon, planner: config!.planner, weights: config!.weights, latentSpeed: o.latentSpeed, critic: o.critic, plannerOptions: o.plannerOptions, initMean }));
          plan = r.value.actions;
          used = 0;
          planMs += r.ms;
        }
      } finally {
        tf.dispose([obs, z]);
      }
      const action = plan[used++].slice();
      env.step(action);
      const pain = env.blocked() ? 1 : 0;
      const cost = feltCost(config.weights, latent, g, action, pain);
      memory.push(latent, action, cost);
      bumps += pain;
      actions.push(action);
      costs.push(cost);
      states.push(env.state());
    }
    if (!success && o.success) success = !!o.success(states[states.length - 1]);
    const obs = env.observe();
    const end = perceiveNow(where, obs, o.perceive, g.length);
    memory.endEpisode(Array.from(end.dataSync()), success);
    tf.dispose([obs, end]);
  } finally {
    goal.dispose();
  }
  return { states, actions, success, steps: actions.length, planMs, pathLength: pathLength(states), decisions, costs, bumps, memory };
}

/** The intrinsic cost of one real step: w_d ||z - g||² + w_e ||a||² + w_p · pain (pain 1 when the move was blocked). */
export function feltCost(weights: IntrinsicWeights, latent: number[], goal: number[], action: number[], pain: number): number {
  const w = checkWeights("feltCost", weights);
  const distance = latent.reduce((s, v, i) => s + (v - goal[i]) ** 2, 0);
  return w.goalDistance * distance + w.effort * action.reduce((s, v) => s + v * v, 0) + w.pain * pain;
}

/** A warm start cut or padded with zeros to `horizon` steps. */
function fitPlan(plan: number[][], horizon: number): number[][] {
  const zeros = () => new Array(plan[0].length).fill(0);
  return Array.from({ length: horizon }, (_, t) => (t < plan.length ? plan[t] : zeros()));
}

/** perception(observation) as [1, D] (the observation is not disposed here). */
function perceiveNow(where: string, obs: tf.Tensor, perceive: (obs: tf.Tensor) => tf.Tensor2D, dim: number): tf.Tensor2D {
  const z = perceive(obs);
  checkShape(where, "perceive(observation)", z, [1, dim]);
  return z;
}
