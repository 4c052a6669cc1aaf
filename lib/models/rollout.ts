/**
 * Rolling a world model forward: apply its one-step predictor H times, each prediction feeding the
 * next. Multi-step training (notebook 02 and 03), rollout probes (01, 03) and planners (06) all
 * imagine the future with this one function. Introduced in notebooks/03-mini-jepa.ipynb.
 *
 *   z_1 = step(z_0, a_0),  z_2 = step(z_1, a_1),  ...,  z_H = step(z_{H-1}, a_{H-1})
 *
 * The latent may be an embedding [N, D] or anything with N leading (a stack of frames for a pixel
 * model); a step function that ignores its action (a passive model) gets actions of width A = 0.
 */
import * as tf from "@tensorflow/tfjs";
import { checkShape } from "../check";

/**
 * A world model's predictor: the next latent of N states under N actions.
 * z: [N, D] latents, a: [N, A] actions -> [N, D] next latents.
 */
export type LatentStep = (z: tf.Tensor2D, a: tf.Tensor2D) => tf.Tensor2D;

/**
 * Rolls `step` forward. z0: [N, ...] start latents, or [1, ...] shared by every sequence;
 * actions: [N, H, A] -> [N, H, ...], the latent after each action (the start excluded).
 * Differentiable (train through it); leaks nothing but the result, which the caller owns.
 */
export function rollout(step: LatentStep, z0: tf.Tensor2D, actions: tf.Tensor3D): tf.Tensor3D;
export function rollout(step: LatentStep, z0: tf.Tensor, actions: tf.Tensor3D): tf.Tensor;
export function rollout(step: LatentStep, z0: tf.Tensor, actions: tf.Tensor3D): tf.Tensor {
  const where = "rollout";
  if (typeof step !== "function") throw new TypeError(`${where}: step must be a function (z [N, D], a [N, A]) => [N, D], received ${typeof step}`);
  const { N } = checkShape(where, "actions", actions, ["N", null, null]);
  if (!(z0 instanceof tf.Tensor) || z0.rank < 2 || (z0.shape[0] !== 1 && z0.shape[0] !== N)) {
    throw new Error(`${where}: z0 must have shape [N, ...] or [1, ...] with N=${N} (actions' first dimension), received ${z0 instanceof tf.Tensor ? `[${z0.shape.join(", ")}]` : typeof z0}`);
  }
  const latentShape = [N, ...z0.shape.slice(1)];
  return tf.tidy(() => {
    let z = z0.shape[0] === N ? z0 : tf.tile(z0, [N, ...z0.shape.slice(1).map(() => 1)]); // [N, ...]
    const perStep = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[]; // H x [N, A] (contiguous: faster than slicing axis 1)
    const out: tf.Tensor[] = [];
    for (let t = 0; t < perStep.length; t++) {
      z = step(z as tf.Tensor2D, perStep[t]);
      checkShape(where, `step(z, a) at t=${t}`, z, latentShape);
      out.push(z);
    }
    return tf.stack(out, 1); // [N, H, ...]
  });
}
