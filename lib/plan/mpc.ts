/**
 * Model-predictive control (MPC) with a latent world model: encode what you see, plan a few steps
 * in latent space, execute the first action(s), look again, re-plan. Introduced in
 * notebooks/06-planning.ipynb.
 *
 * The loop, for t = 0 .. maxSteps-1:
 *   1. stop if `success(env.state())`;
 *   2. z = encode(env.observe()) ([1, D]) and push z into the short-term memory (last `memory` latents);
 *   3. if the current plan's executed part is used up, plan again from z towards `goal`
 *      (warm start: the previous plan shifted by the actions executed since, zeros appended);
 *   4. execute the next action of the plan.
 *
 * Short-term memory, and what it is used for: the last `memory` encoded latents. If over that window
 * the latent distance to the goal shrank by less than `stuckTolerance` (a fraction, default 2%), the
 * agent is "stuck": pressed against a wall, or sitting in a local minimum of the cost, where every
 * short plan looks worse than staying. A myopic plan cannot see that a detour (to a door) pays off
 * later, so when stuck the next plan looks further ahead: the built-in planners get `stuckBoost`
 * times the horizon (default 2x), start from scratch (no warm start: the old plan is what got the
 * agent stuck), and keep doing so until the agent is closer to the goal than where it got stuck (a
 * detour first leads away from the goal). The cost is never changed;
 * the long horizon is only paid for when needed; memory 0 or 1 turns it off. Measured on the
 * test's wall world (test/unit/plan/mpc.test.ts: 20 episodes whose straight line hits the wall,
 * 64 samples, 3 iterations, horizon 12, noiseCorrelation 0.7, 2 actions per plan): success 0.75
 * with memory 4 vs 0.55 with memory 0 (MPPI), 0.65 vs 0.55 (CEM); straight line 0.
 * Your own planner receives the factor as `exploration` and may use it as it likes.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { cem, CemOptions } from "./cem";
import { actionsPerPlan, checkEnv, encodeObservation, timed } from "./control-loop";
import { Env, Episode, pathLength } from "./episode";
import { mppi, MppiOptions } from "./mppi";
import { LatentStep, PlanResult } from "./types";

/** The built-in planners. */
export type PlannerName = "cem" | "mppi";

/** What the control loop hands a planner each time it plans. */
export interface PlannerCall {
  /** The world model's one-step predictor. */
  step: LatentStep;
  /** The current latent [1, D] (owned by the loop: do not dispose). */
  z0: tf.Tensor2D;
  /** The goal latent [D]. */
  goal: tf.Tensor1D;
  /** Warm start [H][A]: the previous plan shifted; undefined on the first plan and when stuck. */
  initMean?: number[][];
  /** 1 normally; `stuckBoost` when the memory says the agent is stuck (scale your search by it: the built-ins multiply the horizon). */
  exploration: number;
}

/** A planner the loop can call: the built-ins, or your own. */
export type Planner = (call: PlannerCall) => PlanResult;

/** Options of the built-in planners, minus what the loop supplies (horizon and actionDim are required). */
export type PlannerOptions = Partial<Omit<CemOptions, "step" | "z0" | "goal" | "initMean">> & Partial<Omit<MppiOptions, "step" | "z0" | "goal" | "initMean">>;

/** Passed to `onStep` after every executed action. */
export interface MpcStepInfo {
  /** Index of the action just executed (0-based). */
  t: number;
  /** True state after the action. */
  state: number[];
  /** The action executed. */
  action: number[];
  /** The encoded latent the action was chosen from, [D]. */
  latent: number[];
  /** The plan made at this step, or undefined when the step followed an earlier plan. */
  plan?: PlanResult;
  /** Planning time at this step, ms (0 without a new plan). */
  planMs: number;
  /** Whether the memory said "stuck" when this step was planned. */
  stuck: boolean;
}

/** Options for `runMpc`. */
export interface MpcOptions {
  /** The environment to act in. */
  env: Env;
  /** Observation [1, ...obs] -> latent [1, D]. runMpc disposes the observation and the latent. */
  encode: (obs: tf.Tensor) => tf.Tensor2D;
  /** The world model's one-step predictor (not owned). */
  step: LatentStep;
  /** The goal latent [D] (e.g. the encoded goal observation). */
  goal: tf.Tensor1D;
  /** "cem", "mppi", or your own `Planner`. Default "cem". */
  planner?: PlannerName | Planner;
  /** Options of the built-in planner; `horizon` and `actionDim` are required with "cem"/"mppi". */
  plannerOptions?: PlannerOptions;
  /** Actions executed at most. Default 50. */
  maxSteps?: number;
  /** Re-plan every this many environment steps (the plan's first replanEvery actions run open-loop). Default 1. */
  replanEvery?: number;
  /** Start each plan from the previous one shifted by the actions executed since. Default true. */
  warmStart?: boolean;
  /** Short-term memory: how many recent latents to keep for the stuck test (see the file header). 0 or 1 = off. Default 4. */
  memory?: number;
  /** Stuck when the latent distance to the goal shrank by less than this fraction over the memory. Default 0.02. */
  stuckTolerance?: number;
  /** When stuck, the built-in planners look this many times further ahead (horizon multiplier, >= 1). Default 2. */
  stuckBoost?: number;
  /** Stop early when this holds for the true state. Default: never (run maxSteps). */
  success?: (state: number[]) => boolean;
  /** Called after every executed action. */
  onStep?: (info: MpcStepInfo) => void;
}

/** Default values of `runMpc`'s optional fields. */
export const mpcDefaults = {
  planner: "cem" as PlannerName | Planner,
  plannerOptions: {} as PlannerOptions,
  maxSteps: 50,
  replanEvery: 1,
  warmStart: true,
  memory: 4,
  stuckTolerance: 0.02,
  stuckBoost: 2,
};

/** Runs one episode of model-predictive control in latent space. */
export function runMpc(opts: MpcOptions): Episode {
  const where = "runMpc";
  const o = withDefaults(mpcDefaults, opts, where);
  const env = checkEnv(where, o.env);
  if (typeof o.encode !== "function") throw new TypeError(`${where}: opts.encode must be a function (obs [1, ...]) => latent [1, D], received ${typeof o.encode}`);
  if (typeof o.step !== "function") throw new TypeError(`${where}: opts.step must be a LatentStep function (z [N, D], a [N, A]) => [N, D], received ${typeof o.step}`);
  checkShape(where, "goal", o.goal, [null]);
  const maxSteps = checkNumber(where, "opts.maxSteps", o.maxSteps, { min: 0, integer: true });
  const chunk = actionsPerPlan(where, o.replanEvery);
  const memorySize = checkNumber(where, "opts.memory", o.memory, { min: 0, integer: true });
  checkNumber(where, "opts.stuckTolerance", o.stuckTolerance, { min: 0, max: 1 });
  checkNumber(where, "opts.stuckBoost", o.stuckBoost, { min: 1 });
  const planner = makePlanner(o.planner, o.plannerOptions, where);
  const goal = Array.from(o.goal.dataSync());
  const memory = new LatentMemory(memorySize, goal, o.stuckTolerance);

  const states = [env.state()];
  const actions: number[][] = [];
  let planMs = 0;
  let success = false;
  let plan: number[][] = []; // the latest plan
  let used = 0; // its actions executed so far
  for (let t = 0; t < maxSteps; t++) {
    if (o.success?.(states[states.length - 1])) {
      success = true;
      break;
    }
    const z = encodeObservation(where, env, o.encode, goal.length); // [1, D]
    let made: PlanResult | undefined;
    let ms = 0;
    let stuck = false;
    const latent = Array.from(z.dataSync());
    try {
      memory.push(latent);
      if (used >= Math.min(chunk, plan.length)) {
        stuck = memory.stuck();
        const initMean = o.warmStart && !stuck && plan.length ? shiftPlan(plan, used).slice(0, o.plannerOptions.horizon) : undefined;
        const r = timed(() => planner({ step: o.step, z0: z, goal: o.goal, initMean, exploration: stuck ? o.stuckBoost : 1 }));
        checkPlan(where, r.value);
        [made, ms, plan, used] = [r.value, r.ms, r.value.actions, 0];
        planMs += ms;
      }
    } finally {
      z.dispose();
    }
    const action = plan[used++].slice();
    env.step(action);
    actions.push(action);
    states.push(env.state());
    o.onStep?.({ t, state: states[states.length - 1], action, latent, plan: made, planMs: ms, stuck });
  }
  if (!success && o.success) success = !!o.success(states[states.length - 1]);
  return { states, actions, success, steps: actions.length, planMs, pathLength: pathLength(states) };
}

/** Throws unless a planner returned at least one action. */
function checkPlan(where: string, r: PlanResult): void {
  if (!r || !Array.isArray(r.actions) || r.actions.length === 0 || !Array.isArray(r.actions[0])) {
    throw new Error(`${where}: the planner must return a PlanResult with at least one action [H][A], received ${r && Array.isArray(r.actions) ? `${r.actions.length} actions` : typeof r}`);
  }
}

/** A plan shifted left by k steps, zeros appended: the warm start after executing k actions. */
export function shiftPlan(actions: number[][], k: number): number[][] {
  if (!Array.isArray(actions) || actions.length === 0) throw new Error(`shiftPlan: actions must be a non-empty [H][A] array, received ${Array.isArray(actions) ? "an empty array" : typeof actions}`);
  checkNumber("shiftPlan", "k", k, { min: 0, integer: true });
  const zeros = () => new Array(actions[0].length).fill(0);
  return Array.from({ length: actions.length }, (_, t) => (t + k < actions.length ? actions[t + k].slice() : zeros()));
}

/**
 * The built-in planner by name as a `Planner` (the call's `exploration` multiplies the horizon), or
 * the user's function as is. The built-ins need `options.horizon` and `options.actionDim`.
 */
export function makePlanner(planner: PlannerName | Planner, options: PlannerOptions = {}, where = "makePlanner"): Planner {
  if (typeof planner === "function") return planner;
  if (planner !== "cem" && planner !== "mppi") {
    throw new Error(`${where}: opts.planner must be "cem", "mppi" or a function (call) => PlanResult, received ${JSON.stringify(planner)}`);
  }
  for (const k of ["horizon", "actionDim"] as const) {
    if (options[k] === undefined) throw new Error(`${where}: opts.plannerOptions.${k} is required with planner "${planner}", received undefined`);
    checkNumber(where, `opts.plannerOptions.${k}`, options[k], { min: 1, integer: true });
  }
  const horizon = options.horizon as number;
  const run = planner === "cem" ? cem : mppi;
  return (c) => run({ ...(options as CemOptions & MppiOptions), step: c.step, z0: c.z0, goal: c.goal, initMean: c.initMean, horizon: Math.max(1, Math.round(horizon * c.exploration)) });
}

/**
 * The last k latents and the stuck test on them (see the file header). Stuck starts when the memory
 * is full (k >= 2) and the goal distance shrank by less than `tolerance` over it; it lasts until the
 * agent is closer to the goal than where it got stuck (a detour first moves away from the goal).
 */
export class LatentMemory {
  private readonly latents: number[][] = [];
  private stuckAt: number | null = null;

  constructor(readonly size: number, readonly goal: number[], readonly tolerance: number) {}

  /** Remembers a latent [D], forgetting the oldest beyond `size`. */
  push(latent: number[]): void {
    this.latents.push(latent);
    if (this.latents.length > this.size) this.latents.shift();
  }

  /** Whether the agent is stuck now (updates the state). */
  stuck(): boolean {
    if (this.size < 2 || this.latents.length === 0) return false;
    const now = this.distance(this.latents[this.latents.length - 1]);
    if (this.stuckAt !== null) {
      if (now < (1 - this.tolerance) * this.stuckAt) this.stuckAt = null;
      return this.stuckAt !== null;
    }
    if (this.latents.length < this.size) return false;
    if (now > (1 - this.tolerance) * this.distance(this.latents[0])) this.stuckAt = now;
    return this.stuckAt !== null;
  }

  private distance(z: number[]): number {
    return Math.hypot(...z.map((v, i) => v - this.goal[i]));
  }
}
