/**
 * Acting in an environment: the `Env` interface every controller drives, the `Episode` record every
 * controller returns, and the summary over many episodes. Introduced in notebooks/06-planning.ipynb.
 */
import * as tf from "@tensorflow/tfjs";

/** An environment a controller acts in: one agent, true state for bookkeeping, observations for the encoder. */
export interface Env {
  /** The true state (e.g. the agent's [x, y]): for success checks, plots and path length, never seen by the planner. */
  state(): number[];
  /** The current observation as a fresh tensor [1, ...obs] (the caller disposes it). */
  observe(): tf.Tensor;
  /** Applies one action [A]. */
  step(action: number[]): void;
}

/** What happened in one episode. */
export interface Episode {
  /** True states visited, the start included: [steps + 1][S]. */
  states: number[][];
  /** Actions executed: [steps][A]. */
  actions: number[][];
  /** Whether `success(state)` held before `maxSteps` ran out (false when no success test was given). */
  success: boolean;
  /** Actions executed. */
  steps: number;
  /** Total time spent choosing actions (planning, or the policy), in milliseconds. */
  planMs: number;
  /** Euclidean length of the path through `states`. */
  pathLength: number;
}

/** Averages over episodes. */
export interface EpisodeSummary {
  /** Episodes summarised. */
  episodes: number;
  /** Fraction of successful episodes, in [0, 1]. */
  successRate: number;
  /** Mean actions executed per episode (all episodes, failed ones run to maxSteps). */
  meanSteps: number;
  /** Mean path length per episode (all episodes). */
  meanPathLength: number;
  /** Mean planning time per episode, in milliseconds. */
  meanPlanMs: number;
}

/** Success rate and means over a list of episodes (NaN means when the list is empty). */
export function summarizeEpisodes(episodes: Episode[]): EpisodeSummary {
  if (!Array.isArray(episodes)) throw new TypeError(`summarizeEpisodes: episodes must be an array of Episode, received ${typeof episodes}`);
  const n = episodes.length;
  const mean = (f: (e: Episode) => number) => (n ? episodes.reduce((s, e) => s + f(e), 0) / n : NaN);
  return {
    episodes: n,
    successRate: mean((e) => (e.success ? 1 : 0)),
    meanSteps: mean((e) => e.steps),
    meanPathLength: mean((e) => e.pathLength),
    meanPlanMs: mean((e) => e.planMs),
  };
}

/** Euclidean length of a path of states [T][S]. */
export function pathLength(states: number[][]): number {
  let total = 0;
  for (let i = 1; i < states.length; i++) total += Math.hypot(...states[i].map((v, j) => v - states[i - 1][j]));
  return total;
}
