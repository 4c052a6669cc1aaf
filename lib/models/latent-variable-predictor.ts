/**
 * A predictor with a latent variable z: (s, z) -> prediction. Different z give different plausible
 * futures; z is inferred by minimising the energy. Introduced in notebooks/05-latent-variables.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { mlp } from "./mlp";
import { Module } from "./module";

/** Options of `latentVariablePredictor`. */
export interface LatentVariablePredictorOptions {
  /** Width D of the context embedding s. Required. */
  embedDim: number;
  /** Size of the latent variable z. Default 1. */
  zDim?: number;
  /** Size of the prediction. Default embedDim. */
  outDim?: number;
  /** Hidden layer sizes. Default [128, 128]. */
  hidden?: number[];
  /** Variable name prefix. Default "lvPredictor". */
  name?: string;
}

/** Default options of `latentVariablePredictor` (outDim defaults to embedDim). */
export const latentVariablePredictorDefaults = { zDim: 1, hidden: [128, 128], name: "lvPredictor" };

/** `apply(s: [B, D], z: [B, zDim]) -> [B, outDim]`. */
export function latentVariablePredictor(opts: LatentVariablePredictorOptions): Module<[tf.Tensor, tf.Tensor]> & { zDim: number } {
  const where = "latentVariablePredictor";
  const o = withDefaults(latentVariablePredictorDefaults, opts, where);
  const { embedDim, zDim, hidden, name } = o;
  const outDim = o.outDim ?? embedDim;
  checkNumber(where, "opts.embedDim", embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.zDim", zDim, { min: 1, integer: true });
  const net = mlp([embedDim + zDim, ...hidden, outDim], { name });
  return {
    name,
    zDim,
    apply(s: tf.Tensor, z: tf.Tensor) {
      const b = checkShape(name, "s", s, ["B", embedDim]);
      checkShape(name, "z", z, ["B", zDim], b);
      return net.apply(tf.concat([s, z], 1)); // [B, outDim]
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}
