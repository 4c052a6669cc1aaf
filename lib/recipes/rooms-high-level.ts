/**
 * The data of the high level in notebooks/09-hierarchical-planning.ipynb: exploration episodes in
 * the row of rooms whose actions are constant over blocks of k steps (a random macro action per
 * block), encoded once by the frozen low-level encoder, and the windows in which every move went as
 * asked (no wall stopped it). Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 *   const data = roomsHighLevelData(world, model, { episodes: 2000, k: 10 });
 *   const pairs = jumpTransitions(data.latents, data.actions, 10);   // (z_t, macro, z_{t+10})
 *   const free = data.freeWindows(10);                                // rows of `pairs` with no bump
 */
import * as tf from "@tensorflow/tfjs";
import { RowOfRooms, RowOfRoomsPaths } from "../data/row-of-rooms";
import { TransitionJepa } from "../models/transition-jepa";
import { rng } from "../random";
import { checkNumber, withDefaults } from "../check";
import { encodeStates } from "./rooms-world-model";

/** Options of `roomsHighLevelData`. */
export interface RoomsHighLevelOptions {
  /** Episodes. Default 2000. */
  episodes?: number;
  /** Steps per episode. Default 40. */
  length?: number;
  /** Steps per block of constant action (the high level's jump). Default 10. */
  k?: number;
  /** Fraction of episodes starting near a door (see the notebook: it links the rooms). Default 0.5. */
  nearDoor?: number;
}

/** Default options of `roomsHighLevelData`. */
export const roomsHighLevelDefaults = { episodes: 2000, length: 40, k: 10, nearDoor: 0.5 };

/** What `roomsHighLevelData` returns. Call `dispose()` when done. */
export interface RoomsHighLevelData {
  /** The episodes as states, actions and bumps. */
  paths: RowOfRoomsPaths;
  /** Low-level latents of every frame. [N, T+1, D]. */
  latents: tf.Tensor3D;
  /** Actions. [N, T, 2]. */
  actions: tf.Tensor3D;
  /**
   * Rows of `jumpTransitions(latents, actions, step, jumps)` whose step * jumps moves were all
   * unblocked (the same row order: episode-major, then start time).
   */
  freeWindows(step: number, jumps?: number): number[];
  /** Share of rows of `jumpTransitions(latents, actions, span)` that start in one room and end in another. */
  doorShare(span: number): number;
  dispose(): void;
}

/** Block-action episodes, their latents under the frozen `model`, and which windows were unblocked. */
export function roomsHighLevelData(world: RowOfRooms, model: TransitionJepa, opts: RoomsHighLevelOptions = {}): RoomsHighLevelData {
  const where = "roomsHighLevelData";
  const o = withDefaults(roomsHighLevelDefaults, opts, where);
  const N = checkNumber(where, "opts.episodes", o.episodes, { min: 1, integer: true });
  const T = checkNumber(where, "opts.length", o.length, { min: 1, integer: true });
  const k = checkNumber(where, "opts.k", o.k, { min: 1, max: T, integer: true });
  const m = world.opts.maxStep;
  const r = rng("data:blocks");
  let block: number[][] = [];
  const policy = (states: number[][], t: number) => {
    if (t % k === 0) block = states.map(() => {
      const [rad, th] = [m * Math.sqrt(r()), 2 * Math.PI * r()];
      return [rad * Math.cos(th), rad * Math.sin(th)]; // uniform in the disc of radius maxStep
    });
    return block;
  };
  const paths = world.paths(N, T, policy, { nearDoor: o.nearDoor });
  const z = encodeStates(model, world, paths.states.flat()); // [N*(T+1)][D]
  const latents = tf.tensor3d(z.flat(), [N, T + 1, z[0].length]);
  const actions = tf.tensor3d(paths.actions.flat(2), [N, T, 2]);
  const windows = (span: number) => {
    checkNumber(where, "span", span, { min: 1, max: T, integer: true });
    return T - span + 1;
  };
  return {
    paths, latents, actions,
    freeWindows(step: number, jumps = 1) {
      const span = step * jumps;
      const W = windows(span);
      const rows: number[] = [];
      paths.blocked.forEach((bumps, e) => {
        for (let t = 0; t < W; t++) if (!bumps.slice(t, t + span).some((b) => b)) rows.push(e * W + t);
      });
      return rows;
    },
    doorShare(span: number) {
      const W = windows(span);
      let n = 0;
      paths.states.forEach((ep) => {
        for (let t = 0; t < W; t++) if (world.room(ep[t]) !== world.room(ep[t + span])) n++;
      });
      return n / (N * W);
    },
    dispose: () => tf.dispose([latents, actions]),
  };
}
