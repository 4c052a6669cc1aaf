/**
 * Element-wise activations by name, so options can say `activation: "gelu"`. Used by `mlp`
 * (first in notebooks/01-autoregressive-contrast.ipynb).
 */
import * as tf from "@tensorflow/tfjs";

/** An activation name. "linear" is the identity. */
export type Activation = "relu" | "gelu" | "tanh" | "sigmoid" | "elu" | "linear";

const ACTIVATIONS: Activation[] = ["relu", "gelu", "tanh", "sigmoid", "elu", "linear"];

/** Applies the named activation to x (same shape). */
export function activate(x: tf.Tensor, kind: Activation): tf.Tensor {
  switch (kind) {
    case "relu": return tf.relu(x);
    case "tanh": return tf.tanh(x);
    case "sigmoid": return tf.sigmoid(x);
    case "elu": return tf.elu(x);
    case "linear": return x;
    // tanh approximation of GELU (Hendrycks & Gimpel), built from ops every backend has.
    case "gelu": return tf.tidy(() => tf.mul(tf.mul(0.5, x), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(x, tf.mul(0.044715, tf.pow(x, 3))))))));
  }
}

/** Throws unless `kind` is a known activation name. */
export function checkActivation(where: string, arg: string, kind: unknown): Activation {
  if (!ACTIVATIONS.includes(kind as Activation)) {
    throw new Error(`${where}: ${arg} must be one of ${ACTIVATIONS.join(", ")}, received ${JSON.stringify(kind)}`);
  }
  return kind as Activation;
}
