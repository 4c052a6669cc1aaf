/** Toy worlds for the planner tests: z' = z + a, and the same with a wall at x = 0 (door |y| < 0.2). */
import * as tf from "@tensorflow/tfjs";
import { Env, LatentStep } from "../../../lib/plan";

/** z' = z + a. */
export const linearStep: LatentStep = (z, a) => tf.add(z, a);

/** Half-height of the door in the wall x = 0. */
export const DOOR = 0.2;

/**
 * z' = z + a, except that a move crossing x = 0 outside the door (|y| >= DOOR where the segment
 * meets x = 0) keeps x (the agent slides along the wall in y).
 */
export const wallStep: LatentStep = (z, a) =>
  tf.tidy(() => {
    const [x, y] = tf.split(z, 2, 1); // [N, 1] each
    const [ax, ay] = tf.split(a, 2, 1);
    const nx = tf.add(x, ax);
    const crosses = tf.lessEqual(tf.mul(x, nx), 0).logicalAnd(tf.notEqual(ax, 0));
    const frac = tf.div(tf.neg(x), tf.where(tf.equal(ax, 0), tf.onesLike(ax), ax)); // where along the move x = 0
    const yAtWall = tf.add(y, tf.mul(frac, ay));
    const blocked = crosses.logicalAnd(tf.greaterEqual(tf.abs(yAtWall), DOOR));
    return tf.concat([tf.where(blocked, x, nx), tf.add(y, ay)], 1) as tf.Tensor2D;
  });

/** The same dynamics on plain arrays (one state), for the environment. */
export function wallMove(s: number[], a: number[]): number[] {
  return tf.tidy(() => (wallStep(tf.tensor2d([s]), tf.tensor2d([a])).arraySync() as number[][])[0]);
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
