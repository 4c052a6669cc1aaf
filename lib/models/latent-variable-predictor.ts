/**
 * A predictor with a latent variable z: (s, z) -> prediction. Different z give different plausible
 * futures; z is inferred by minimising the energy. Introduced in notebooks/05-latent-variables.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../shape";
import { mlp } from "./mlp";
import { Module } from "./module";

/** Options of `latentVariablePredictor`. */
export interface LatentVariablePredictorOptions {
  /** Size of the context embedding s. Required. */
  inputDim: number;
  /** Size of the latent variable z. Default 1. */
  latentDim?: number;
  /** Size of the prediction. Default inputDim. */
  outDim?: number;
  /** Hidden layer sizes. Default [128, 128]. */
  hidden?: number[];
  /** Variable name prefix. Default "lvPredictor". */
  name?: string;
}

/** `apply(s: [B, inputDim], z: [B, latentDim]) -> [B, outDim]`. */
export function latentVariablePredictor(opts: LatentVariablePredictorOptions): Module<[tf.Tensor, tf.Tensor]> & { latentDim: number } {
  const { inputDim, latentDim = 1, hidden = [128, 128], name = "lvPredictor" } = opts;
  const outDim = opts.outDim ?? inputDim;
  checkNumber("latentVariablePredictor", "opts.inputDim", inputDim, { min: 1, integer: true });
  checkNumber("latentVariablePredictor", "opts.latentDim", latentDim, { min: 1, integer: true });
  const net = mlp([inputDim + latentDim, ...hidden, outDim], { name });
  return {
    name,
    latentDim,
    apply(s: tf.Tensor, z: tf.Tensor) {
      const b = checkShape(name, "s", s, ["B", inputDim]);
      checkShape(name, "z", z, ["B", latentDim], b);
      return net.apply(tf.concat([s, z], 1)); // [B, outDim]
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}
