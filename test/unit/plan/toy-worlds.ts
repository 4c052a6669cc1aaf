/** Toy worlds for the planner tests: z' = z + a, and the same with a wall at x = 0 (door |y| < 0.2). */
import * as tf from "@tensorflow/tfjs";
import { Env, LatentStep } from "../../../lib/plan";

/** z' = z + a. */
export const linearStep: LatentStep = (z, a) => tf.add(z, a);

/** Half-height of the door in the wall x = 0. */
export const DOOR = 0.2;

/**
 * z' = z + a, except that a move crossing x = 0 outside the door (|y| >= DOOR where the segment
 * meets x = 0) is blocked: the agent stays where it was. Computed on the JavaScript side (a
 * LatentStep may read its inputs: it runs inside the planner's tf.tidy) to keep the tests fast.
 */
export const wallStep: LatentStep = (z, a) => {
  const zs = z.dataSync();
  const as = a.dataSync();
  const out = new Float32Array(zs.length);
  for (let i = 0; i < zs.length; i += 2) {
    const [x, y] = wallMove([zs[i], zs[i + 1]], [as[i], as[i + 1]]);
    out[i] = x;
    out[i + 1] = y;
  }
  return tf.tensor2d(out, z.shape);
};

/** The wall dynamics for one state [x, y] and action [ax, ay]. */
export function wallMove(s: number[], a: number[]): number[] {
  const [x, y] = s;
  const nx = x + a[0];
  if (a[0] !== 0 && x * nx <= 0) {
    const yAtWall = y + (-x / a[0]) * a[1];
    if (Math.abs(yAtWall) >= DOOR) return [x, y];
  }
  return [nx, y + a[1]];
}

/** An environment whose observation is the state itself ([1, 2]); encode = identity. */
export function toyEnv(start: number[], move: (s: number[], a: number[]) => number[]): Env {
  let s = start.slice();
  return {
    state: () => s.slice(),
    observe: () => tf.tensor2d([s]),
    step: (a) => {
      s = move(s, a);
    },
  };
}

/** Euclidean distance. */
export const dist = (a: number[], b: number[]) => Math.hypot(...a.map((v, i) => v - b[i]));
