/**
 * Hierarchical planning (H-JEPA style): two world models at two time scales. Introduced in
 * notebooks/09-hierarchical-planning.ipynb.
 *
 * The algorithm, `planHierarchical`:
 *   1. High level: a `LatentStep` over k-step jumps, whose "action" is a macro action of dimension A'
 *      (e.g. the displacement over k steps). CEM plans `macroHorizon` macro actions from z0 to the
 *      goal: a coarse plan that can look macroHorizon * k low-level steps ahead at the price of
 *      macroHorizon model calls.
 *   2. Subgoal: the high-level model's predicted latent after the FIRST macro action,
 *      subgoal = highStep(z0, macro[0]): where the agent should be in k steps.
 *   3. Low level: CEM plans `lowHorizon` (default k) primitive actions from z0 to the subgoal with the
 *      one-step model. Only this plan is executed.
 * `runHierarchicalMpc` closes the loop: every k low-level steps it re-encodes the observation and
 * re-plans the subgoal (steps 1-2); at every low-level step (or every `replanEvery`) it re-plans
 * the primitive actions to the current subgoal (step 3). A far goal (behind a wall) thus becomes a
 * chain of near subgoals, each easy for a short-horizon planner.
 */
import * as tf from "@tensorflow/tfjs";
import { checkInt, checkNumber, checkShape, withDefaults } from "../check";
import { cem, CemOptions } from "./cem";
import { startLatent } from "./inputs";
import { actionsPerPlan, checkEnv, encodeObservation, timed } from "./control-loop";
import { Env, Episode, pathLength } from "./episode";
import { shiftPlan } from "./mpc";
import { LatentStep, PlanResult } from "./types";

/** CEM options a level may set (the rest is supplied by the hierarchical planner). */
export type LevelOptions = Partial<Omit<CemOptions, "step" | "z0" | "goal" | "horizon" | "actionDim" | "initMean">>;

/** Options for `planHierarchical`. */
export interface HierarchicalPlanOptions {
  /** High-level predictor: latent [N, D] and macro action [N, A'] -> latent k steps later [N, D] (not owned). */
  highStep: LatentStep;
  /** Low-level (one-step) predictor: latent [N, D] and action [N, A] -> next latent [N, D] (not owned). */
  lowStep: LatentStep;
  /** The current latent, [D] or [1, D]. */
  z0: tf.Tensor1D | tf.Tensor2D;
  /** The goal latent, [D]. */
  goal: tf.Tensor1D;
  /** Macro action dimension A'. */
  macroDim: number;
  /** Primitive action dimension A. */
  actionDim: number;
  /** Low-level steps per macro action (the high level's time scale). */
  k: number;
  /** Macro actions planned (high-level lookahead = macroHorizon * k low-level steps). Default 4. */
  macroHorizon?: number;
  /** Primitive actions planned towards the subgoal. Default k. */
  lowHorizon?: number;
  /** CEM options of the high level (samples, elites, iterations, low, high, initStd, cost, ...). */
  high?: LevelOptions;
  /** CEM options of the low level. */
  low?: LevelOptions;
  /** Warm start of the macro plan [macroHorizon][A']. */
  initMacro?: number[][];
  /** Warm start of the primitive plan [lowHorizon][A]. */
  initLow?: number[][];
}

/** Default values of `planHierarchical`'s optional fields (lowHorizon defaults to k). */
export const hierarchicalDefaults = { macroHorizon: 4, high: {} as LevelOptions, low: {} as LevelOptions };

/** What `planHierarchical` returns. */
export interface HierarchicalPlan {
  /** The subgoal latent [D]: the high level's prediction after the first macro action. */
  subgoal: number[];
  /** The macro plan [macroHorizon][A'] and its cost. */
  macro: PlanResult;
  /** The primitive plan to the subgoal [lowHorizon][A] and its cost: execute these actions. */
  low: PlanResult;
}

/** Plans macro actions to the goal, takes the first one's predicted latent as subgoal, plans primitive actions to it. */
export function planHierarchical(opts: HierarchicalPlanOptions): HierarchicalPlan {
  const where = "planHierarchical";
  const o = withDefaults(hierarchicalDefaults, opts, where);
  for (const f of ["highStep", "lowStep"] as const) {
    if (typeof o[f] !== "function") throw new TypeError(`${where}: opts.${f} must be a LatentStep function (z [N, D], a [N, A]) => [N, D], received ${typeof o[f]}`);
  }
  const k = checkInt(where, "opts.k", o.k, 1);
  const macroDim = checkInt(where, "opts.macroDim", o.macroDim, 1);
  const actionDim = checkInt(where, "opts.actionDim", o.actionDim, 1);
  const macroHorizon = checkInt(where, "opts.macroHorizon", o.macroHorizon, 1);
  const lowHorizon = checkInt(where, "opts.lowHorizon", o.lowHorizon ?? k, 1);
  const start = startLatent(where, o.z0, o.goal);
  try {
    const macro = cem({ ...o.high, step: o.highStep, z0: start.z, goal: o.goal, horizon: macroHorizon, actionDim: macroDim, initMean: o.initMacro });
    const subgoalT = tf.tidy(() => tf.squeeze(o.highStep(start.z, tf.tensor2d([macro.actions[0]], [1, macroDim])), [0]) as tf.Tensor1D); // [D]
    try {
      const low = cem({ ...o.low, step: o.lowStep, z0: start.z, goal: subgoalT, horizon: lowHorizon, actionDim, initMean: o.initLow });
      return { subgoal: Array.from(subgoalT.dataSync()), macro, low };
    } finally {
      subgoalT.dispose();
    }
  } finally {
    if (start.owned) start.z.dispose();
  }
}

/** Passed to `onStep` after every executed action of `runHierarchicalMpc`. */
export interface HierarchicalStepInfo {
  /** Index of the action just executed (0-based). */
  t: number;
  /** True state after the action. */
  state: number[];
  /** The action executed. */
  action: number[];
  /** The subgoal latent [D] the action was heading for. */
  subgoal: number[];
  /** Whether the subgoal was re-planned at this step. */
  newSubgoal: boolean;
  /** Planning time at this step, ms. */
  planMs: number;
}

/** Options for `runHierarchicalMpc`: the planner's options plus the control loop's. */
export interface HierarchicalMpcOptions extends Omit<HierarchicalPlanOptions, "z0" | "initMacro" | "initLow"> {
  /** The environment to act in. */
  env: Env;
  /** Observation [1, ...obs] -> latent [1, D]. The loop disposes the observation and the latent. */
  encode: (obs: tf.Tensor) => tf.Tensor2D;
  /** Actions executed at most. Default 100. */
  maxSteps?: number;
  /** Primitive actions executed per low-level plan (1 = re-plan them every step). Must be <= k. Default 1. */
  replanEvery?: number;
  /** Warm-start both levels from their previous plans, shifted. Default true. */
  warmStart?: boolean;
  /** Stop early when this holds for the true state. Default: never. */
  success?: (state: number[]) => boolean;
  /** Called after every executed action. */
  onStep?: (info: HierarchicalStepInfo) => void;
}

/** Default values of `runHierarchicalMpc`'s own optional fields. */
export const hierarchicalMpcDefaults = { maxSteps: 100, replanEvery: 1, warmStart: true };

/** An episode of hierarchical MPC, with the subgoal latents in the order they were set. */
export type HierarchicalEpisode = Episode & { subgoals: number[][] };

/** Runs one episode of hierarchical MPC: a new subgoal every k steps, primitive plans towards it. */
export function runHierarchicalMpc(opts: HierarchicalMpcOptions): HierarchicalEpisode {
  const where = "runHierarchicalMpc";
  const o = withDefaults(hierarchicalMpcDefaults, opts, where);
  const env = checkEnv(where, o.env);
  if (typeof o.encode !== "function") throw new TypeError(`${where}: opts.encode must be a function (obs [1, ...]) => latent [1, D], received ${typeof o.encode}`);
  const maxSteps = checkNumber(where, "opts.maxSteps", o.maxSteps, { min: 0, integer: true });
  const k = checkInt(where, "opts.k", o.k, 1);
  const chunk = actionsPerPlan(where, o.replanEvery);
  if (chunk > k) throw new RangeError(`${where}: opts.replanEvery must be at most opts.k (${k}): the subgoal changes every k steps, received ${chunk}`);
  const dim = checkShape(where, "goal", o.goal, ["D"]).D;

  const states = [env.state()];
  const actions: number[][] = [];
  const subgoals: number[][] = [];
  let planMs = 0;
  let success = false;
  let macro: number[][] | undefined; // latest macro plan
  let low: number[][] = []; // latest primitive plan
  let used = 0; // its actions executed
  let subgoal: number[] = [];
  for (let t = 0; t < maxSteps; t++) {
    if (o.success?.(states[states.length - 1])) {
      success = true;
      break;
    }
    const newSubgoal = t % k === 0;
    if (!newSubgoal && used < Math.min(chunk, low.length)) {
      act(t, false, 0);
      continue;
    }
    const z = encodeObservation(where, env, o.encode, dim); // [1, D]
    let ms = 0;
    try {
      if (newSubgoal) {
        const r = timed(() => planHierarchical({ ...o, z0: z, initMacro: o.warmStart && macro ? shiftPlan(macro, 1) : undefined, initLow: warm() }));
        ms += r.ms;
        [macro, subgoal, low, used] = [r.value.macro.actions, r.value.subgoal, r.value.low.actions, 0];
        subgoals.push(subgoal);
      } else {
        const r = timed(() => planToSubgoal(o, z, subgoal, warm()));
        ms += r.ms;
        [low, used] = [r.value.actions, 0];
      }
    } finally {
      z.dispose();
    }
    planMs += ms;
    act(t, newSubgoal, ms);
  }
  if (!success && o.success) success = !!o.success(states[states.length - 1]);
  return { states, actions, success, steps: actions.length, planMs, pathLength: pathLength(states), subgoals };

  function warm(): number[][] | undefined {
    return o.warmStart && low.length ? shiftPlan(low, used) : undefined;
  }

  function act(t: number, fresh: boolean, ms: number): void {
    const action = low[used++].slice();
    env.step(action);
    actions.push(action);
    states.push(env.state());
    o.onStep?.({ t, state: states[states.length - 1], action, subgoal, newSubgoal: fresh, planMs: ms });
  }
}

/** The low level alone: primitive actions from z to a fixed subgoal latent. */
function planToSubgoal(o: HierarchicalMpcOptions, z: tf.Tensor2D, subgoal: number[], initMean: number[][] | undefined): PlanResult {
  const goal = tf.tensor1d(subgoal);
  try {
    return cem({ ...o.low, step: o.lowStep, z0: z, goal, horizon: o.lowHorizon ?? o.k, actionDim: o.actionDim, initMean });
  } finally {
    goal.dispose();
  }
}
