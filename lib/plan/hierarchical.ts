/**
 * Hierarchical planning (H-JEPA style): two world models at two levels of abstraction and time.
 * Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 * `planHierarchical`, from the current latent z0 towards a goal latent (both low-level, [D]):
 *   1. High level: h0 = abstract(z0), hGoal = abstract(goal). CEM plans `highLevel.horizon` macro
 *      actions with `highStep` (one call = k low-level steps) under the cost
 *        C_high(m_1..m_M) = sum_j ||h_j - hGoal||^2,   h_j = highStep(h_{j-1}, m_j)
 *      a look-ahead of M * k steps for the price of M predictor calls per candidate.
 *   2. Subgoal: the high level's predicted state after the FIRST macro action, h_1: where the
 *      agent should be in k steps.
 *   3. Low level: CEM plans `lowLevel.horizon` (default k) primitive actions with `lowStep` under
 *        C_low(a_1..a_H) = sum_t ||abstract(z_t) - h_1||^2,   z_t = lowStep(z_{t-1}, a_t)
 *      (the low level's own latents, read through the high-level encoder). Only this plan is executed.
 * `runHierarchicalMpc` closes the loop: every k steps it encodes the observation and plans both
 * levels (a new subgoal); in between it re-plans the low level towards the current subgoal every
 * `replanEvery` steps. A far goal behind several walls becomes a chain of near subgoals, each easy
 * for a short low-level plan.
 *
 * Randomness: the levels draw their CEM noise from the streams `highLevel.stream` ("plan:high") and
 * `lowLevel.stream` ("plan:low"), so `setSeed` fixes both and a written-out copy can match them.
 */
import * as tf from "@tensorflow/tfjs";
import { checkInt, checkNumber, checkShape, withDefaults } from "../check";
import { cem, CemOptions, cemDefaults } from "./cem";
import { startLatent } from "./inputs";
import { actionsPerPlan, checkEnv, encodeObservation, timed } from "./control-loop";
import { goalDistanceCost } from "./cost";
import { Env, Episode, pathLength } from "./episode";
import { shiftPlan } from "./mpc";
import { LatentStep, PlanCost, PlanResult } from "./types";

/** CEM options of one level (horizon included; step, start, goal and actionDim come from the planner). */
export type LevelOptions = Partial<Omit<CemOptions, "step" | "z0" | "goal" | "actionDim" | "initMean">>;

/** Options for `planHierarchical`. */
export interface HierarchicalPlanOptions {
  /** High-level predictor: state [N, Dh] and macro action [N, A'] -> state k steps later [N, Dh] (not owned). */
  highStep: LatentStep;
  /** Low-level (one-step) predictor: latent [N, D] and action [N, A] -> next latent [N, D] (not owned). */
  lowStep: LatentStep;
  /** High-level state of low-level latents, [N, D] -> [N, Dh] (e.g. a jump predictor's `encode`). Default: identity (h = z). */
  abstract?: (z: tf.Tensor2D) => tf.Tensor2D;
  /** The current low-level latent, [D] or [1, D]. */
  z0: tf.Tensor1D | tf.Tensor2D;
  /** The goal's low-level latent, [D]. */
  goal: tf.Tensor1D;
  /** Macro action dimension A'. */
  macroDim: number;
  /** Primitive action dimension A. */
  actionDim: number;
  /** Low-level steps per macro action (the high level's time scale). */
  k: number;
  /** CEM options of the high level; `horizon` = macro actions planned. Default { horizon: 4, stream: "plan:high" }. */
  highLevel?: LevelOptions;
  /** CEM options of the low level; `horizon` = primitive actions planned (default k). Default { stream: "plan:low" }. */
  lowLevel?: LevelOptions;
  /**
   * Hands the subgoal [Dh] down as a low-level goal latent [D] (e.g. `nearestLandmark`): the low
   * level then plans towards it with its own cost (`lowLevel.cost`, default the latent distance).
   * Default: none; the low level's cost reads its imagined latents through `abstract` (`abstractCost`).
   */
  toLowLevel?: (subgoal: number[]) => number[];
  /** Warm start of the macro plan [highLevel.horizon][A']. */
  initMacro?: number[][];
  /** Warm start of the primitive plan [lowLevel.horizon][A]. */
  initLow?: number[][];
}

/** Default CEM options of the two levels (besides CEM's own defaults). */
export const hierarchicalDefaults = {
  highLevel: { horizon: 4, stream: "plan:high" } as LevelOptions,
  lowLevel: { stream: "plan:low" } as LevelOptions,
};

/** What `planHierarchical` returns. */
export interface HierarchicalPlan {
  /** The subgoal [Dh]: the high level's predicted state after the first macro action. */
  subgoal: number[];
  /** The macro plan [highLevel.horizon][A'] and its cost. */
  macro: PlanResult;
  /** The primitive plan to the subgoal [lowLevel.horizon][A] and its cost: execute these actions. */
  low: PlanResult;
}

/** Plans macro actions to the goal, takes the first one's predicted state as subgoal, plans primitive actions to it. */
export function planHierarchical(opts: HierarchicalPlanOptions): HierarchicalPlan {
  const where = "planHierarchical";
  const o = checkLevels(where, opts);
  const start = startLatent(where, opts.z0, o.goal);
  try {
    const [h0, hGoal] = tf.tidy(() => [o.abstract(start.z), tf.squeeze(o.abstract(o.goal.reshape([1, -1]) as tf.Tensor2D), [0])]); // [1, Dh], [Dh]
    try {
      checkShape(where, "abstract(z0)", h0, [1, hGoal.shape[0]]);
      const macro = cem({ ...o.highLevel, step: o.highStep, z0: h0 as tf.Tensor2D, goal: hGoal as tf.Tensor1D, actionDim: o.macroDim, initMean: o.initMacro } as CemOptions);
      const subgoal = tf.tidy(() => Array.from(o.highStep(h0 as tf.Tensor2D, tf.tensor2d([macro.actions[0]], [1, o.macroDim])).dataSync()));
      const low = planLow(o, start.z, subgoal, o.initLow);
      return { subgoal, macro, low };
    } finally {
      tf.dispose([h0, hGoal]);
    }
  } finally {
    if (start.owned) start.z.dispose();
  }
}

/**
 * The low level alone: primitive actions from z [1, D] towards a subgoal [Dh]: towards the latent
 * `toLowLevel(subgoal)` when given, else with the cost read through `abstract`.
 */
function planLow(o: CheckedLevels, z: tf.Tensor2D, subgoal: number[], initMean: number[][] | undefined): PlanResult {
  if (!o.toLowLevel) {
    const cost = abstractCost(o.abstract, subgoal, o.lowLevel.cost);
    return cem({ ...o.lowLevel, step: o.lowStep, z0: z, goal: o.goal, actionDim: o.actionDim, initMean, cost } as CemOptions);
  }
  const target = o.toLowLevel(subgoal);
  const goal = tf.tensor1d(target); // [D]
  try {
    return cem({ ...o.lowLevel, step: o.lowStep, z0: z, goal, actionDim: o.actionDim, initMean } as CemOptions);
  } finally {
    goal.dispose();
  }
}

/**
 * A cost on low-level trajectories measured in the high-level space: traj [N, H, D] is read through
 * `abstract` ([N*H, D] -> [N*H, Dh]) and compared with `target` [Dh] by `cost` (default
 * `goalDistanceCost`). The goal the planner passes is ignored: the target is fixed here. The low
 * level of `planHierarchical` uses it with the subgoal; a flat planner can use it with the goal's
 * high-level state.
 */
export function abstractCost(abstract: (z: tf.Tensor2D) => tf.Tensor2D, target: number[], cost: PlanCost = goalDistanceCost as PlanCost): PlanCost {
  if (typeof abstract !== "function") throw new TypeError(`abstractCost: abstract must be a function (z [N, D]) => h [N, Dh], received ${typeof abstract}`);
  if (!Array.isArray(target) || !target.every(Number.isFinite)) throw new TypeError("abstractCost: target must be an array of finite numbers (a state of the high level)");
  return (traj) => tf.tidy(() => {
    const [N, H, D] = traj.shape;
    const h = abstract(traj.reshape([N * H, D]) as tf.Tensor2D); // [N*H, Dh]
    return cost(h.reshape([N, H, target.length]) as tf.Tensor3D, tf.tensor1d(target)); // [N]
  });
}

type CheckedLevels = Omit<HierarchicalPlanOptions, "z0" | "abstract" | "highLevel" | "lowLevel"> & {
  abstract: (z: tf.Tensor2D) => tf.Tensor2D;
  highLevel: LevelOptions & { horizon: number };
  lowLevel: LevelOptions & { horizon: number };
};

/** Checks the options shared by the planner and the control loop; fills in the levels' defaults. */
function checkLevels<T extends Omit<HierarchicalPlanOptions, "z0">>(where: string, opts: T): T & CheckedLevels {
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an options object, received ${opts === null ? "null" : typeof opts}`);
  for (const f of ["highStep", "lowStep"] as const) {
    if (typeof opts[f] !== "function") throw new TypeError(`${where}: opts.${f} must be a LatentStep function (z [N, D], a [N, A]) => [N, D], received ${typeof opts[f]}`);
  }
  if (opts.toLowLevel !== undefined && typeof opts.toLowLevel !== "function") throw new TypeError(`${where}: opts.toLowLevel must be a function (subgoal [Dh]) => latent [D] or undefined, received ${typeof opts.toLowLevel}`);
  if (opts.abstract !== undefined && typeof opts.abstract !== "function") throw new TypeError(`${where}: opts.abstract must be a function (z [N, D]) => h [N, Dh] or undefined, received ${typeof opts.abstract}`);
  const k = checkInt(where, "opts.k", opts.k, 1);
  checkInt(where, "opts.macroDim", opts.macroDim, 1);
  checkInt(where, "opts.actionDim", opts.actionDim, 1);
  const highLevel = withDefaults(hierarchicalDefaults.highLevel, opts.highLevel);
  const lowLevel = withDefaults({ ...hierarchicalDefaults.lowLevel, horizon: k }, opts.lowLevel);
  checkInt(where, "opts.highLevel.horizon", highLevel.horizon, 1);
  checkInt(where, "opts.lowLevel.horizon", lowLevel.horizon, 1);
  const abstract = opts.abstract ?? ((z: tf.Tensor2D) => tf.clone(z));
  return { ...opts, abstract, highLevel, lowLevel } as T & CheckedLevels;
}

/**
 * Predictor calls per executed action of a CEM level (samples x iterations x horizon, divided by the
 * actions executed per plan): the planning budget of a flat planner or of one level.
 */
export function planningBudget(level: { samples?: number; iterations?: number; horizon: number }, replanEvery = 1): number {
  const where = "planningBudget";
  const samples = checkInt(where, "level.samples", level.samples ?? cemDefaults.samples, 1);
  const iterations = checkInt(where, "level.iterations", level.iterations ?? cemDefaults.iterations, 1);
  const horizon = checkInt(where, "level.horizon", level?.horizon, 1);
  return (samples * iterations * horizon) / checkInt(where, "replanEvery", replanEvery, 1);
}

/** Passed to `onStep` after every executed action of `runHierarchicalMpc`. */
export interface HierarchicalStepInfo {
  /** Index of the action just executed (0-based). */
  t: number;
  /** True state after the action. */
  state: number[];
  /** The action executed. */
  action: number[];
  /** The subgoal [Dh] the action was heading for. */
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
  /** Observation [1, ...obs] -> low-level latent [1, D]. The loop disposes the observation and the latent. */
  encode: (obs: tf.Tensor) => tf.Tensor2D;
  /** Actions executed at most. Default 100. */
  maxSteps?: number;
  /** Primitive actions executed from each low-level plan before re-planning it (<= k). Default 1. */
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

/** An episode of hierarchical MPC, with the subgoals [Dh] in the order they were set. */
export type HierarchicalEpisode = Episode & { subgoals: number[][] };

/**
 * Runs one episode of hierarchical MPC: every k steps both levels plan (a new subgoal); every
 * `replanEvery` steps in between the low level re-plans towards the current subgoal.
 */
export function runHierarchicalMpc(opts: HierarchicalMpcOptions): HierarchicalEpisode {
  const where = "runHierarchicalMpc";
  const o = { ...checkLevels(where, opts), ...withDefaults(hierarchicalMpcDefaults, { maxSteps: opts.maxSteps, replanEvery: opts.replanEvery, warmStart: opts.warmStart }) };
  const env = checkEnv(where, o.env);
  if (typeof o.encode !== "function") throw new TypeError(`${where}: opts.encode must be a function (obs [1, ...]) => latent [1, D], received ${typeof o.encode}`);
  const maxSteps = checkNumber(where, "opts.maxSteps", o.maxSteps, { min: 0, integer: true });
  const chunk = actionsPerPlan(where, o.replanEvery);
  if (chunk > o.k) throw new RangeError(`${where}: opts.replanEvery must be at most opts.k (${o.k}): the subgoal changes every k steps, received ${chunk}`);
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
    const newSubgoal = t % o.k === 0;
    if (!newSubgoal && used < Math.min(chunk, low.length)) {
      act(t, false, 0);
      continue;
    }
    const z = encodeObservation(where, env, o.encode, dim); // [1, D]
    let ms: number;
    try {
      if (newSubgoal) {
        const initMacro = o.warmStart && macro ? shiftPlan(macro, 1) : undefined;
        const r = timed(() => planHierarchical({ ...o, z0: z, initMacro, initLow: warm() }));
        [ms, macro, subgoal, low, used] = [r.ms, r.value.macro.actions, r.value.subgoal, r.value.low.actions, 0];
        subgoals.push(subgoal);
      } else {
        const r = timed(() => planLow(o, z, subgoal, warm()));
        [ms, low, used] = [r.ms, r.value.actions, 0];
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
