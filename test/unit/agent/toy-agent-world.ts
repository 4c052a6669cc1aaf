/**
 * A toy world for the agent tests: the state is the latent (perception = identity), [-1, 1]², a
 * wall at x = 0 with a door |y| < DOOR (test/unit/plan/toy-worlds.ts), and a touch sensor.
 */
import * as tf from "@tensorflow/tfjs";
import { TouchEnv } from "../../../lib/agent";
import { DOOR, wallMove } from "../plan/toy-worlds";

export { DOOR, wallMove };

/** Steps of length `stride` straight at the goal, through the door (0, 0) when the wall is between: the geodesic policy. */
export function geodesicPath(start: number[], goal: number[], stride = 0.1, radius = 0.1, maxSteps = 100): number[][] {
  const path = [start.slice()];
  let s = start.slice();
  for (let t = 0; t < maxSteps && Math.hypot(s[0] - goal[0], s[1] - goal[1]) >= radius; t++) {
    const otherSide = s[0] * goal[0] < 0 && !(Math.abs(s[0]) < 1e-9);
    const target = otherSide ? [0, 0] : goal;
    let d = [target[0] - s[0], target[1] - s[1]];
    const n = Math.hypot(d[0], d[1]);
    if (otherSide && n < stride) d = [goal[0] - s[0], goal[1] - s[1]]; // at the door: head for the goal
    const len = Math.hypot(d[0], d[1]);
    const a = len > stride ? d.map((v) => (v * stride) / len) : d;
    s = wallMove(s, a);
    path.push(s);
  }
  return path;
}

/** Steps the geodesic policy needs from start to within `radius` of goal. */
export const geodesicSteps = (start: number[], goal: number[]) => geodesicPath(start, goal).length - 1;

/** An Env over the wall world whose observation is the state [1, 2], with a touch sensor. */
export function toyTouchEnv(start: number[]): TouchEnv {
  let s = start.slice();
  let bumped = false;
  return {
    state: () => s.slice(),
    observe: () => tf.tensor2d([s]),
    step: (a) => {
      const next = wallMove(s, a);
      bumped = Math.hypot(next[0] - s[0] - a[0], next[1] - s[1] - a[1]) > 1e-9;
      s = next;
    },
    blocked: () => bumped,
  };
}
