/**
 * Baselines a planner must beat: act at random, or walk straight at the goal (which fails whenever a
 * wall is in the way). They act on the true state, so they need no world model. Introduced in
 * notebooks/06-planning.ipynb.
 */
import { rng } from "../random";
import { checkNumber } from "../check";
import { checkEnv, timed } from "./control-loop";
import { Env, Episode, pathLength } from "./episode";

/** A policy: true state [S] -> action [A]. */
export type Policy = (state: number[]) => number[];

/** Uniform random actions in [-maxStep, maxStep] per dimension, from the seeded stream `stream`. */
export function randomPolicy(actionDim: number, maxStep: number, stream = "plan:random"): Policy {
  checkNumber("randomPolicy", "actionDim", actionDim, { min: 1, integer: true });
  checkNumber("randomPolicy", "maxStep", maxStep, { min: 0, exclusiveMin: true });
  const r = rng(stream);
  return () => Array.from({ length: actionDim }, () => (2 * r() - 1) * maxStep);
}

/**
 * Heads straight for `goalState`: the displacement to the goal, scaled down (direction kept) so no
 * component exceeds maxStep. Assumes the action is a displacement in state space.
 */
export function straightLinePolicy(goalState: number[], maxStep: number): Policy {
  if (!Array.isArray(goalState) || goalState.length === 0) throw new TypeError(`straightLinePolicy: goalState must be a non-empty number[], received ${Array.isArray(goalState) ? "an empty array" : typeof goalState}`);
  goalState.forEach((v, i) => checkNumber("straightLinePolicy", `goalState[${i}]`, v));
  checkNumber("straightLinePolicy", "maxStep", maxStep, { min: 0, exclusiveMin: true });
  return (state) => {
    if (state.length !== goalState.length) throw new Error(`straightLinePolicy: state must have ${goalState.length} numbers (like goalState), received ${state.length}`);
    const d = goalState.map((g, i) => g - state[i]);
    const biggest = Math.max(...d.map(Math.abs));
    const scale = biggest > maxStep ? maxStep / biggest : 1;
    return d.map((v) => v * scale);
  };
}

/** Options for `runPolicy`. */
export interface RunPolicyOptions {
  /** Actions executed at most. Default 50. */
  maxSteps?: number;
  /** Stop early when this holds for the true state. Default: never. */
  success?: (state: number[]) => boolean;
}

/** Runs a policy on the true state for one episode; planMs is the time spent in the policy. */
export function runPolicy(env: Env, policy: Policy, opts: RunPolicyOptions = {}): Episode {
  const where = "runPolicy";
  checkEnv(where, env);
  if (typeof policy !== "function") throw new TypeError(`${where}: policy must be a function (state) => action, received ${typeof policy}`);
  const maxSteps = checkNumber(where, "opts.maxSteps", opts.maxSteps ?? 50, { min: 0, integer: true });
  const states = [env.state()];
  const actions: number[][] = [];
  let planMs = 0;
  let success = false;
  for (let t = 0; t <= maxSteps; t++) {
    const s = states[states.length - 1];
    if (opts.success?.(s)) {
      success = true;
      break;
    }
    if (t === maxSteps) break;
    const { value: action, ms } = timed(() => policy(s.slice()));
    planMs += ms;
    env.step(action);
    actions.push(action);
    states.push(env.state());
  }
  return { states, actions, success, steps: actions.length, planMs, pathLength: pathLength(states) };
}
