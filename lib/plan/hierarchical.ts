/**
 * Hierarchical planning (H-JEPA style): two levels of abstraction and time. Written out in
 * notebooks/09-hierarchical-planning.ipynb.
 *
 * High level (abstract, slow): the high-level state h = abstract(z) and a landmark graph
 * (lib/plan/landmark-graph.ts) whose edges are k-step jumps of the high-level predictor. For a goal
 * it computes every landmark's cost-to-go once; every k steps it picks the subgoal: the goal itself
 * when one jump reaches it, else the landmark one jump away with the least cost-to-go,
 *     s* = argmin_{l : reach(h, h_l)} C(l)
 * Low level (concrete, fast): CEM over `lowLevel.horizon` (default k) primitive actions with the
 * one-step predictor, under the latent distance to the subgoal's latent z* (the landmark's z, or the
 * goal latent),
 *     C_low(a_1..a_H) = sum_t ||z_t - z*||^2,   z_t = lowStep(z_{t-1}, a_t)
 * re-planned every `replanEvery` steps towards the same subgoal. A far goal behind several walls
 * becomes a chain of near subgoals, each within reach of a short low-level plan.
 *
 * Randomness: the low level draws its CEM noise from the stream `lowLevel.stream` ("plan:low"),
 * so `setSeed` fixes it and a written-out copy can match it.
 */
import * as tf from "@tensorflow/tfjs";
import { checkInt, checkNumber, checkShape, withDefaults } from "../check";
import { cem, CemOptions, cemDefaults } from "./cem";
import { startLatent } from "./inputs";
import { actionsPerPlan, checkEnv, encodeObservation, timed } from "./control-loop";
import { Env, Episode, pathLength } from "./episode";
import { costToGo, LandmarkGraph, nextSubgoal, Subgoal } from "./landmark-graph";
import { shiftPlan } from "./mpc";
import { LatentStep, PlanResult } from "./types";

/** CEM options of the low level (horizon included; step, start, goal and actionDim come from the planner). */
export type LevelOptions = Partial<Omit<CemOptions, "step" | "z0" | "goal" | "actionDim" | "initMean">>;

/** Options for `planHierarchical`. */
export interface HierarchicalPlanOptions {
  /** High-level state of low-level latents, [N, D] -> [N, Dh] (e.g. a high-level encoder's `encode`). */
  abstract: (z: tf.Tensor2D) => tf.Tensor2D;
  /** The landmark graph the high level searches (its edges are k-step jumps). */
  graph: LandmarkGraph;
  /** Low-level (one-step) predictor: latent [N, D] and action [N, A] -> next latent [N, D] (not owned). */
  lowStep: LatentStep;
  /** The current low-level latent, [D] or [1, D]. */
  z0: tf.Tensor1D | tf.Tensor2D;
  /** The goal's low-level latent, [D]. */
  goal: tf.Tensor1D;
  /** Primitive action dimension A. */
  actionDim: number;
  /** Low-level steps per jump (the high level's time scale). */
  k: number;
  /** CEM options of the low level; `horizon` = primitive actions planned (default k). Default { stream: "plan:low" }. */
  lowLevel?: LevelOptions;
  /** The goal's cost-to-go on the graph (`costToGo(graph, abstract(goal))`), when already computed. */
  toGo?: Float64Array;
  /** Warm start of the primitive plan [lowLevel.horizon][A]. */
  initLow?: number[][];
}

/** Default CEM options of the low level (besides CEM's own defaults). */
export const hierarchicalDefaults = { lowLevel: { stream: "plan:low" } as LevelOptions };

/** What `planHierarchical` returns. */
export interface HierarchicalPlan {
  /** The high level's choice (its `h`, landmark index, cost-to-go, and the predictor calls it took). */
  subgoal: Subgoal;
  /** The primitive plan towards the subgoal's latent [lowLevel.horizon][A] and its cost: execute these actions. */
  low: PlanResult;
}

/** Picks the subgoal on the landmark graph, then plans primitive actions to its latent. */
export function planHierarchical(opts: HierarchicalPlanOptions): HierarchicalPlan {
  const where = "planHierarchical";
  const o = checkLevels(where, opts);
  const start = startLatent(where, opts.z0, o.goal);
  try {
    const [h, hGoal] = highStates(o, start.z);
    const toGo = opts.toGo ?? costToGo(o.graph, hGoal).cost;
    const subgoal = nextSubgoal(o.graph, h, hGoal, toGo);
    return { subgoal, low: planLow(o, start.z, subgoal, opts.initLow) };
  } finally {
    if (start.owned) start.z.dispose();
  }
}

/** h [Dh] of the latent z [1, D], and the goal's hGoal [Dh], as arrays. */
function highStates(o: CheckedLevels, z: tf.Tensor2D): [number[], number[]] {
  const hs = tf.tidy(() => o.abstract(tf.concat([z, o.goal.reshape([1, -1])], 0) as tf.Tensor2D)); // [2, Dh]
  try {
    checkShape("planHierarchical", "abstract([z0; goal])", hs, [2, o.graph.hs[0].length]);
    const [h, hGoal] = hs.arraySync() as number[][];
    return [h, hGoal];
  } finally {
    hs.dispose();
  }
}

/** The low level alone: primitive actions from z [1, D] to the subgoal's latent (the goal latent for the goal). */
function planLow(o: CheckedLevels, z: tf.Tensor2D, subgoal: Subgoal, initMean: number[][] | undefined): PlanResult {
  const target = subgoal.z ? tf.tensor1d(subgoal.z) : o.goal; // [D]
  try {
    return cem({ ...o.lowLevel, step: o.lowStep, z0: z, goal: target, actionDim: o.actionDim, initMean } as CemOptions);
  } finally {
    if (target !== o.goal) target.dispose();
  }
}

type CheckedLevels = Omit<HierarchicalPlanOptions, "z0" | "lowLevel"> & { lowLevel: LevelOptions & { horizon: number } };

/** Checks the options shared by the planner and the control loop; fills in the low level's defaults. */
function checkLevels<T extends Omit<HierarchicalPlanOptions, "z0">>(where: string, opts: T): T & CheckedLevels {
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an options object, received ${opts === null ? "null" : typeof opts}`);
  if (typeof opts.lowStep !== "function") throw new TypeError(`${where}: opts.lowStep must be a LatentStep function (z [N, D], a [N, A]) => [N, D], received ${typeof opts.lowStep}`);
  if (typeof opts.abstract !== "function") throw new TypeError(`${where}: opts.abstract must be a function (z [N, D]) => h [N, Dh], received ${typeof opts.abstract}`);
  const g = opts.graph;
  if (!g || !Array.isArray(g.hs) || !Array.isArray(g.zs) || !Array.isArray(g.edges) || typeof g.reach !== "function") {
    throw new TypeError(`${where}: opts.graph must be built by landmarkGraph(hs, zs, reach, opts), received ${g === null ? "null" : typeof g}`);
  }
  const k = checkInt(where, "opts.k", opts.k, 1);
  checkInt(where, "opts.actionDim", opts.actionDim, 1);
  const lowLevel = withDefaults({ ...hierarchicalDefaults.lowLevel, horizon: k }, opts.lowLevel);
  checkInt(where, "opts.lowLevel.horizon", lowLevel.horizon, 1);
  return { ...opts, lowLevel } as T & CheckedLevels;
}

/**
 * Predictor calls per executed action of a CEM level (samples x iterations x horizon, divided by the
 * actions executed per plan): the planning budget of a flat planner or of the low level.
 */
export function planningBudget(level: { samples?: number; iterations?: number; horizon: number }, replanEvery = 1): number {
  const where = "planningBudget";
  if (!level || typeof level !== "object") throw new TypeError(`${where}: level must be { horizon, samples?, iterations? }, received ${level === null ? "null" : typeof level}`);
  const samples = checkInt(where, "level.samples", level.samples ?? cemDefaults.samples, 1);
  const iterations = checkInt(where, "level.iterations", level.iterations ?? cemDefaults.iterations, 1);
  const horizon = checkInt(where, "level.horizon", level.horizon, 1);
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
  /** The subgoal the action was heading for. */
  subgoal: Subgoal;
  /** Whether the subgoal was chosen at this step. */
  newSubgoal: boolean;
  /** Planning time at this step, ms. */
  planMs: number;
}

/** Options for `runHierarchicalMpc`: the planner's options plus the control loop's. */
export interface HierarchicalMpcOptions extends Omit<HierarchicalPlanOptions, "z0" | "initLow" | "toGo"> {
  /** The environment to act in. */
  env: Env;
  /** Observation [1, ...obs] -> low-level latent [1, D]. The loop disposes the observation and the latent. */
  encode: (obs: tf.Tensor) => tf.Tensor2D;
  /** Actions executed at most. Default 100. */
  maxSteps?: number;
  /** Primitive actions executed from each low-level plan before re-planning it (<= k). Default 1. */
  replanEvery?: number;
  /** Warm-start the low level from its previous plan, shifted. Default true. */
  warmStart?: boolean;
  /** Stop early when this holds for the true state. Default: never. */
  success?: (state: number[]) => boolean;
  /** Called after every executed action. */
  onStep?: (info: HierarchicalStepInfo) => void;
}

/** Default values of `runHierarchicalMpc`'s own optional fields. */
export const hierarchicalMpcDefaults = { maxSteps: 100, replanEvery: 1, warmStart: true };

/** An episode of hierarchical MPC, with its subgoals in the order they were set and the high level's predictor calls. */
export type HierarchicalEpisode = Episode & {
  /** High-level states [Dh] of the subgoals, in order (one every k steps). */
  subgoals: number[][];
  /** Predictor calls of the high level (the goal's cost-to-go and every subgoal choice). */
  highChecks: number;
};

/**
 * Runs one episode of hierarchical MPC: the goal's cost-to-go once; every k steps a subgoal and a
 * low-level plan; every `replanEvery` steps in between a low-level plan towards the same subgoal.
 * The cost-to-go counts as planning time.
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
  const toGo = timed(() => {
    const hGoal = tf.tidy(() => Array.from(o.abstract(o.goal.reshape([1, -1]) as tf.Tensor2D).dataSync()));
    return costToGo(o.graph, hGoal);
  });
  let planMs = toGo.ms;
  let highChecks = toGo.value.checks;
  let success = false;
  let low: number[][] = []; // latest primitive plan
  let used = 0; // its actions executed
  let subgoal: Subgoal | undefined;
  for (let t = 0; t < maxSteps; t++) {
    if (o.success?.(states[states.length - 1])) {
      success = true;
      break;
    }
    const fresh = t % o.k === 0;
    if (!fresh && used < Math.min(chunk, low.length)) {
      act(t, false, 0);
      continue;
    }
    const z = encodeObservation(where, env, o.encode, dim); // [1, D]
    let ms: number;
    try {
      const initLow = o.warmStart && low.length ? shiftPlan(low, used) : undefined;
      if (fresh) {
        const r = timed(() => planHierarchical({ ...o, z0: z, toGo: toGo.value.cost, initLow }));
        [ms, subgoal, low] = [r.ms, r.value.subgoal, r.value.low.actions];
        subgoals.push(subgoal.h);
        highChecks += subgoal.checks;
      } else {
        const r = timed(() => planLow(o, z, subgoal!, initLow));
        [ms, low] = [r.ms, r.value.actions];
      }
      used = 0;
    } finally {
      z.dispose();
    }
    planMs += ms;
    act(t, fresh, ms);
  }
  if (!success && o.success) success = !!o.success(states[states.length - 1]);
  return { states, actions, success, steps: actions.length, planMs, pathLength: pathLength(states), subgoals, highChecks };

  function act(t: number, fresh: boolean, ms: number): void {
    const action = low[used++].slice();
    env.step(action);
    actions.push(action);
    states.push(env.state());
    o.onStep?.({ t, state: states[states.length - 1], action, subgoal: subgoal!, newSubgoal: fresh, planMs: ms });
  }
}
