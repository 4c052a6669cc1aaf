/**
 * A multi-layer perceptron: the encoder and predictor of the small JEPAs. Introduced in
 * notebooks/01-autoregressive-contrast.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { Activation, activate, checkActivation } from "./activation";
import { linear } from "./linear";
import { Module } from "./module";

/** Options of `mlp`. */
export interface MlpOptions {
  /** Activation between layers. Default "relu". */
  activation?: Activation;
  /** Activation after the last layer. Default "linear". */
  finalActivation?: Activation;
  /** Normalise each hidden layer's features (layer norm without learned gain). Default false. */
  layerNorm?: boolean;
  /** Variable name prefix. Default "mlp". */
  name?: string;
}

/** Default options of `mlp`. */
export const mlpDefaults: Required<MlpOptions> = { activation: "relu", finalActivation: "linear", layerNorm: false, name: "mlp" };

/**
 * `mlp([in, h1, ..., out])`: `apply(x: [B, ...]) -> [B, out]`. Inputs of rank > 2 are flattened
 * per example (so an image batch [B, H, W, C] works when in = H*W*C).
 */
export function mlp(sizes: number[], opts: MlpOptions = {}): Module {
  const o = withDefaults(mlpDefaults, opts, "mlp");
  if (!Array.isArray(sizes) || sizes.length < 2) throw new Error(`mlp: sizes must list at least [in, out], received ${JSON.stringify(sizes)}`);
  sizes.forEach((s, i) => checkNumber("mlp", `sizes[${i}]`, s, { min: 1, integer: true }));
  checkActivation("mlp", "opts.activation", o.activation);
  checkActivation("mlp", "opts.finalActivation", o.finalActivation);
  const layers = sizes.slice(1).map((out, i) =>
    linear(sizes[i], out, { name: `${o.name}/l${i}`, init: o.activation === "relu" ? "he" : "glorot" }));
  return {
    name: o.name,
    apply(x: tf.Tensor) {
      const perExample = x.shape.slice(1).reduce((n, d) => n * d, 1);
      if (x.rank < 2 || perExample !== sizes[0]) {
        throw new Error(`${o.name}: x must have shape [B, ${sizes[0]}] (or [B, ...] with ${sizes[0]} values per example), received [${x.shape.join(", ")}]`);
      }
      let h = x.rank > 2 ? x.reshape([x.shape[0], perExample]) : x;
      layers.forEach((layer, i) => {
        h = layer.apply(h);
        const last = i === layers.length - 1;
        if (!last && o.layerNorm) h = normalizeFeatures(h);
        h = activate(h, last ? o.finalActivation : o.activation);
      });
      return h; // [B, out]
    },
    variables: () => layers.flatMap((l) => l.variables()),
    dispose: () => layers.forEach((l) => l.dispose()),
  };
}

/** Layer norm over the last axis without a learned gain: (h - mean) / sqrt(var + 1e-5). */
export function normalizeFeatures(h: tf.Tensor): tf.Tensor {
  const { mean, variance } = tf.moments(h, -1, true);
  return tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5)));
}
