/**
 * The configurator: sets the other modules up for the task at hand (planning horizon, cost weights,
 * which planner) by a rule a person can read. Written out in notebooks/08-the-whole-agent.ipynb.
 *
 * The rule: look at the start and goal images. What both share (their pixel-wise minimum) is the
 * room and its wall; what is left in each is the agent's blob, and its centre (`brightCentroid`)
 * says where the agent is. If the two blobs lie on different sides of the wall (x = `wallX`), the
 * latent distance is blind to the way round (notebook 06), so plan with the `otherSide` set-up (e.g.
 * the critic switched on); otherwise with the `sameSide` set-up (e.g. the intrinsic cost alone).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { brightCentroid } from "../eval/bright-centroid";
import { CostWeights } from "./actor";

/** How the actor plans and scores one task. */
export interface AgentConfig {
  /** Plan length H. */
  horizon: number;
  /** "cem" or "mppi". */
  planner: "cem" | "mppi";
  /** The weight of every cost term (goalDistance, effort, pain, critic). */
  weights: CostWeights;
}

/** What the configurator decided, and why. */
export interface ConfiguratorDecision {
  /** The set-up for this task. */
  config: AgentConfig;
  /** Whether start and goal look to be on different sides of the wall. */
  otherSide: boolean;
  /** The blob's x in the start and goal images. */
  startX: number;
  goalX: number;
  /** The rule, in words, with the numbers it used. */
  reason: string;
}

/** Options of `configurator`. */
export interface ConfiguratorOptions {
  /** The set-up when start and goal are on the same side of the wall. Required. */
  sameSide: AgentConfig;
  /** The set-up when they are on different sides. Required. */
  otherSide: AgentConfig;
  /** x of the wall in image coordinates (0 = left edge, 1 = right edge). Default 0.5. */
  wallX?: number;
}

/** Default options of `configurator` (besides the two required set-ups). */
export const configuratorDefaults = { wallX: 0.5 };

/** The configurator: (start image, goal image), each [1, S, S, 1] or [1, S, S] -> its decision. */
export function configurator(opts: ConfiguratorOptions): (startObs: tf.Tensor, goalObs: tf.Tensor) => ConfiguratorDecision {
  const where = "configurator";
  const o = withDefaults(configuratorDefaults, opts, where);
  checkNumber(where, "opts.wallX", o.wallX, { min: 0, max: 1 });
  for (const k of ["sameSide", "otherSide"] as const) checkConfig(where, `opts.${k}`, o[k]);
  return (startObs, goalObs) => {
    for (const [arg, obs] of [["startObs", startObs], ["goalObs", goalObs]] as const) {
      if (!(obs instanceof tf.Tensor) || (obs.rank !== 3 && obs.rank !== 4) || obs.shape[0] !== 1) {
        checkShape(where, arg, obs as tf.Tensor, [1, null, null, null]);
      }
    }
    const [startX, goalX] = tf.tidy(() => {
      const both = tf.concat([startObs, goalObs]); // [2, S, S(, 1)]
      const room = tf.min(both, 0, true); // what the two images share: the room and its wall
      return brightCentroid(tf.sub(both, room)).slice([0, 0], [2, 1]).dataSync(); // the blobs' x, [2]
    });
    const other = startX < o.wallX !== goalX < o.wallX;
    const side = (x: number) => (x < o.wallX ? "left" : "right");
    const reason = `agent at x=${startX.toFixed(2)} (${side(startX)}), goal at x=${goalX.toFixed(2)} (${side(goalX)}) of the wall at x=${o.wallX}: ` +
      (other ? "different sides, plan with the otherSide set-up" : "same side, plan with the sameSide set-up");
    return { config: other ? o.otherSide : o.sameSide, otherSide: other, startX, goalX, reason };
  };
}

function checkConfig(where: string, arg: string, c: AgentConfig | undefined): void {
  if (!c || typeof c !== "object") throw new TypeError(`${where}: ${arg} must be an AgentConfig { horizon, planner, weights }, received ${c === null ? "null" : typeof c}`);
  checkNumber(where, `${arg}.horizon`, c.horizon, { min: 1, integer: true });
  if (c.planner !== "cem" && c.planner !== "mppi") throw new Error(`${where}: ${arg}.planner must be "cem" or "mppi", received ${JSON.stringify(c.planner)}`);
  if (!c.weights || typeof c.weights !== "object") throw new TypeError(`${where}: ${arg}.weights must be an object { goalDistance, effort, pain, critic }, received ${typeof c.weights}`);
  for (const [k, v] of Object.entries(c.weights)) checkNumber(where, `${arg}.weights.${k}`, v, { min: 0 });
}
