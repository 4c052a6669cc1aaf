/**
 * The high-level state of a hierarchical world model: a small encoder that abstracts a low-level
 * latent z [D] into h = encode(z) [A], as many numbers as an action has, in coordinates where macro
 * actions add up:
 *     h_{t+k} = h_t + m_t,   m_t = a_t + ... + a_{t+k-1}  (the macro action: the displacement asked for)
 * It is a JEPA whose predictor is fixed: it predicts the representation of the frame k steps later
 * from the current representation and the macro action, and is trained on the latents of the
 * FROZEN low-level encoder:
 *     loss = mean over j of || encode(z_t) + m_1 + ... + m_j - encode(z_{t+jk}) ||^2
 * Nothing can collapse (a constant h cannot add up the macro actions), so no regularizer is needed.
 * Where a wall stops a move the equation cannot hold; the loss averages over those few cases.
 * Introduced in notebooks/09-hierarchical-planning.ipynb, where distances between these states stay
 * meaningful across the whole row of rooms while the low-level latent distance saturates after
 * half a room.
 *
 *   const enc = highLevelEncoder({ embedDim: 32 });
 *   await train(enc, { steps: 3000, batch: () => takeJumpBatch(jumpTransitions(latents, actions, 10), idx) });
 *   const h = enc.encode(z);                               // [B, 2]
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, checkSizes, withDefaults } from "../check";
import type { JumpBatch } from "./jump-predictor";
import { mlp } from "./mlp";
import { ForwardResult, Model } from "./model";

/** Options of `highLevelEncoder`. */
export interface HighLevelEncoderOptions {
  /** Width D of the low-level latents it reads. Required. */
  embedDim: number;
  /** Action (and macro-action) size A: the width of h. Default 2. */
  actionDim?: number;
  /** Hidden layer sizes. Default [64]. */
  hidden?: number[];
  /** Variable name prefix. Default "high". */
  name?: string;
}

/** Default options of `highLevelEncoder`. */
export const highLevelEncoderDefaults = { actionDim: 2, hidden: [64], name: "high" };

/** The high-level encoder: a `Model` on jump batches (trains with `train`) with `encode`. */
export interface HighLevelEncoder extends Model<JumpBatch> {
  /** Width D of the low-level latents. */
  readonly embedDim: number;
  /** Width of h (= the action size A). */
  readonly highDim: number;
  /** High-level states: z [B, D] -> h [B, A]. A fresh tensor; nothing else leaks. */
  encode(z: tf.Tensor2D): tf.Tensor2D;
}

/** Builds the encoder z -> h; its loss asks macro actions to add up in h (see the file header). */
export function highLevelEncoder(opts: HighLevelEncoderOptions): HighLevelEncoder {
  const where = "highLevelEncoder";
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { embedDim, ... }, received ${opts === null ? "null" : typeof opts}`);
  const o = withDefaults(highLevelEncoderDefaults, opts, where);
  const D = checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  const A = checkNumber(where, "opts.actionDim", o.actionDim, { min: 1, integer: true });
  checkSizes(where, "opts.hidden", o.hidden);
  const net = mlp([D, ...o.hidden, A], { name: `${o.name}/encoder` });
  const encode = (z: tf.Tensor2D) => net.apply(z) as tf.Tensor2D; // [B, A]
  return {
    name: `high-level-encoder(h=${A})`,
    embedDim: D,
    highDim: A,
    encode: (z) => tf.tidy(() => encode(z)),
    forward(batch: JumpBatch): ForwardResult {
      const dims = checkShape(`${where}.forward`, "batch.z", batch?.z, ["B", D]);
      checkShape(`${where}.forward`, "batch.macro", batch.macro, ["B", "J", A], dims);
      checkShape(`${where}.forward`, "batch.zNext", batch.zNext, ["B", "J", D], dims);
      const { B, J } = dims;
      const h0 = encode(batch.z).reshape([B, 1, A]); // [B, 1, A]
      const predicted = tf.add(h0, tf.cumsum(batch.macro, 1)); // [B, J, A]: h_t + m_1 + ... + m_j
      const target = encode(batch.zNext.reshape([B * J, D]) as tf.Tensor2D).reshape([B, J, A]); // [B, J, A]
      const loss = tf.mean(tf.sum(tf.square(tf.sub(predicted, target)), 2)) as tf.Scalar;
      return { loss };
    },
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
}
