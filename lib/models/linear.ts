/**
 * A fully connected layer y = x W + b with seeded initialisation. Introduced in
 * notebooks/01-autoregressive-contrast.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../random";
import { checkNumber, checkShape, withDefaults } from "../check";
import { Module } from "./module";

/** Options of `linear`. */
export interface LinearOptions {
  /** Add a bias vector. Default true. */
  bias?: boolean;
  /** Weight initialisation: "he" (ReLU nets), "glorot" (tanh/linear), "zeros" (last layer of a residual branch). Default "he". */
  init?: "he" | "glorot" | "zeros";
  /** Name prefix of the variables. Default "linear". */
  name?: string;
}

/** Default options of `linear`. */
export const linearDefaults: Required<LinearOptions> = { bias: true, init: "he", name: "linear" };

/** A [in] -> [out] affine layer: `apply(x: [B, in]) -> [B, out]`. */
export function linear(inDim: number, outDim: number, opts: LinearOptions = {}): Module {
  const o = withDefaults(linearDefaults, opts, "linear");
  checkNumber("linear", "inDim", inDim, { min: 1, integer: true });
  checkNumber("linear", "outDim", outDim, { min: 1, integer: true });
  const w = ownedVariable(initWeights(inDim, outDim, o.init), `${o.name}/w`);
  const b = o.bias ? ownedVariable(tf.zeros([outDim]), `${o.name}/b`) : null;
  return {
    name: o.name,
    apply(x: tf.Tensor) {
      checkShape(o.name, "x", x, [null, inDim]);
      const y = tf.matMul(x as tf.Tensor2D, w as tf.Tensor2D);
      return b ? tf.add(y, b) : y; // [B, out]
    },
    variables: () => (b ? [w, b] : [w]),
    dispose() {
      w.dispose();
      b?.dispose();
    },
  };
}

/** Seeded initial weights [in, out]: He (normal, std sqrt(2/in)), Glorot (uniform) or zeros. */
export function initWeights(inDim: number, outDim: number, init: LinearOptions["init"]): tf.Tensor2D {
  const seed = nextSeed("init");
  if (init === "zeros") return tf.zeros([inDim, outDim]);
  if (init === "glorot") {
    const lim = Math.sqrt(6 / (inDim + outDim));
    return tf.randomUniform([inDim, outDim], -lim, lim, "float32", seed);
  }
  return tf.randomNormal([inDim, outDim], 0, Math.sqrt(2 / inDim), "float32", seed);
}

/** A trainable variable holding `init`'s values; `init` itself is freed (tf.variable does not take it over). */
export function ownedVariable(init: tf.Tensor, name: string, trainable = true): tf.Variable {
  const v = tf.variable(init, trainable, uniqueName(name));
  init.dispose();
  return v;
}

let counter = 0;
/** tfjs variable names must be unique in a process: append a counter. */
export function uniqueName(base: string): string {
  counter += 1;
  return `${base}_${counter}`;
}
