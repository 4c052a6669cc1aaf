/**
 * A lookup table from token ids to vectors (gradients flow through tf.gather). Introduced in
 * notebooks/01-autoregressive-contrast.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../random";
import { checkNumber, checkShape } from "../check";
import { ownedVariable } from "./linear";
import { Module } from "./module";

/** `apply(ids: int32 [B, T]) -> [B, T, D]`, D = embedDim. */
export function embedding(vocab: number, embedDim: number, name = "embedding"): Module {
  checkNumber("embedding", "vocab", vocab, { min: 1, integer: true });
  checkNumber("embedding", "embedDim", embedDim, { min: 1, integer: true });
  const table = ownedVariable(tf.randomNormal([vocab, embedDim], 0, 1, "float32", nextSeed("init")), `${name}/table`);
  return {
    name,
    apply(ids: tf.Tensor) {
      checkShape(name, "ids", ids, [null, null]);
      if (ids.dtype !== "int32") throw new TypeError(`${name}: ids must be an int32 tensor, received ${ids.dtype}`);
      return tf.gather(table, ids); // [B, T, D]
    },
    variables: () => [table],
    dispose: () => table.dispose(),
  };
}
