/**
 * A network piece: something that maps tensors to tensors and owns variables. Introduced in
 * notebooks/01-autoregressive-contrast.ipynb. Models (./model.ts) are built from modules and add a loss.
 */
import * as tf from "@tensorflow/tfjs";

/** A network piece with its own variables: `apply(x) -> y`. */
export interface Module<In extends tf.Tensor[] = [tf.Tensor], Out extends tf.Tensor = tf.Tensor> {
  /** A short name (variables are named `<name>/...`). */
  readonly name: string;
  /** The forward computation. Pure: call it inside `tf.tidy` or `variableGrads`. */
  apply(...inputs: In): Out;
  /** Every trainable variable, in a fixed order (checkpoints rely on it). */
  variables(): tf.Variable[];
  /** Frees the variables. */
  dispose(): void;
}

/** Total number of scalar parameters in a list of variables. */
export function countParams(vars: tf.Variable[]): number {
  return vars.reduce((n, v) => n + v.size, 0);
}

/** Disposes every variable of the given modules. */
export function disposeAll(...modules: { dispose(): void }[]): void {
  for (const m of modules) m.dispose();
}
