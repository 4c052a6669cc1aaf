/**
 * Imagining the future: apply a world model's one-step predictor H times to N action sequences.
 * Introduced in notebooks/06-planning.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { checkShape } from "../shape";
import { LatentStep } from "./types";

/**
 * Rolls a `LatentStep` forward. z0: [N, D] start latents, or [1, D] shared by every sequence;
 * actions: [N, H, A] -> [N, H, D], the latent after each action (the start latent excluded).
 * The caller owns the result.
 */
export function rolloutLatent(step: LatentStep, z0: tf.Tensor2D, actions: tf.Tensor3D): tf.Tensor3D {
  const where = "rolloutLatent";
  if (typeof step !== "function") throw new TypeError(`${where}: step must be a function (z [N, D], a [N, A]) => [N, D], received ${typeof step}`);
  const dims = checkShape(where, "actions", actions, ["N", "H", "A"]);
  checkShape(where, "z0", z0, [null, "D"], dims);
  const n = dims.N;
  if (z0.shape[0] !== 1 && z0.shape[0] !== n) {
    throw new Error(`${where}: z0 must have shape [N, D] or [1, D] with N=${n} (actions' first dimension), received [${z0.shape.join(", ")}]`);
  }
  return tf.tidy(() => {
    let z: tf.Tensor2D = z0.shape[0] === n ? z0 : tf.tile(z0, [n, 1]); // [N, D]
    const perStep = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[]; // H x [N, A] (contiguous slices: much faster than unstack on axis 1)
    const out: tf.Tensor2D[] = [];
    for (let t = 0; t < perStep.length; t++) {
      z = step(z, perStep[t]);
      checkShape(where, `step(z, a) at t=${t}`, z, [n, dims.D]);
      out.push(z);
    }
    return tf.stack(out, 1) as tf.Tensor3D; // [N, H, D]
  });
}
