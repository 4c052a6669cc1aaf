/**
 * Adapts a simulated world (many states at once, e.g. lib/data's TwoRooms) to the one-agent `Env`
 * the controllers drive. Introduced in notebooks/06-planning.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { Env } from "./episode";

/** Any world that steps and renders batches of states (structural: no import of lib/data needed). */
export interface BatchWorld {
  /** Next states of N agents under N actions: [N][S], [N][A] -> [N][S]. */
  step(states: number[][], actions: number[][]): number[][];
  /** Observations of N states: [N][S] -> [N, H, W, C]. */
  render(states: number[][]): tf.Tensor4D;
}

/** An `Env` with a reset, for running many episodes in one world. */
export interface WorldEnv extends Env {
  /** Puts the agent back at `state` (default: the start state). */
  reset(state?: number[]): void;
}

/** One agent in `world`, starting at `start`: observe() renders [1, H, W, C], step(a) moves it. */
export function worldEnv(world: BatchWorld, start: number[]): WorldEnv {
  const where = "worldEnv";
  if (!world || typeof world.step !== "function" || typeof world.render !== "function") {
    throw new TypeError(`${where}: world must have step(states, actions) and render(states) methods, received ${world === null ? "null" : typeof world}`);
  }
  const checkState = (arg: string, s: unknown): number[] => {
    if (!Array.isArray(s) || s.length === 0 || !s.every((v) => typeof v === "number" && Number.isFinite(v))) {
      throw new TypeError(`${where}: ${arg} must be a non-empty array of finite numbers, received ${Array.isArray(s) ? `[${s.join(", ")}]` : typeof s}`);
    }
    return s.slice();
  };
  const origin = checkState("start", start);
  let s = origin.slice();
  return {
    state: () => s.slice(),
    observe: () => world.render([s]),
    step: (action) => {
      const next = world.step([s], [action]);
      s = checkState("world.step(...)[0]", Array.isArray(next) ? next[0] : next);
    },
    reset: (state) => {
      s = state === undefined ? origin.slice() : checkState("reset(state)", state);
    },
  };
}
