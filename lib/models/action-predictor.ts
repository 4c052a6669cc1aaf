/**
 * The action-conditioned predictor of a world model: (z_t, a_t) -> z_{t+1} = z_t + f([z_t, a_t]).
 * Written out in notebooks/03-mini-jepa.ipynb (predStep, checked against it); the mini JEPA's
 * predictor is one, and planners (lib/plan) roll it forward.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { Activation } from "./activation";
import { mlp } from "./mlp";
import { Module } from "./module";

/** Options of `actionPredictor`. */
export interface ActionPredictorOptions {
  /** Embedding width D. Required. */
  embedDim: number;
  /** Action size A (0 for a predictor without actions, e.g. a passive video). Required. */
  actionDim: number;
  /** Hidden layer sizes. Default [256, 256]. */
  hidden?: number[];
  /** Predict a change added to z_t (z_{t+1} = z_t + f(z_t, a_t)). Default true: easier to learn small moves. */
  residual?: boolean;
  /** Activation. Default "relu". */
  activation?: Activation;
  /** Variable name prefix. Default "predictor". */
  name?: string;
}

/** Default options of `actionPredictor`. */
export const actionPredictorDefaults = { hidden: [256, 256], residual: true, activation: "relu" as Activation, name: "predictor" };

/** `apply(z: [B, D], a: [B, A]) -> [B, D]`. */
export function actionPredictor(opts: ActionPredictorOptions): Module<[tf.Tensor, tf.Tensor]> {
  const where = "actionPredictor";
  const o = withDefaults(actionPredictorDefaults, opts, where);
  checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.actionDim", o.actionDim, { min: 0, integer: true });
  const net = mlp([o.embedDim + o.actionDim, ...o.hidden, o.embedDim], { activation: o.activation, name: o.name });
  return {
    name: o.name,
    apply(z: tf.Tensor, a: tf.Tensor) {
      const b = checkShape(o.name, "z", z, ["B", o.embedDim]);
      const input = o.actionDim > 0 ? (checkShape(o.name, "a", a, ["B", o.actionDim], b), tf.concat([z, a], 1)) : z;
      const out = net.apply(input);
      return o.residual ? tf.add(z, out) : out; // [B, D]
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}
