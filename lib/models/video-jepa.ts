/**
 * A video JEPA in miniature (V-JEPA's ideas at toy scale): encode a short window of frames, mask the
 * same spatial blocks in every frame of the context (a "tube"), and predict the EMA target
 * encoder's embedding of the next window, unmasked. Its prediction error is the model's surprise.
 * Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 *
 * Windows are k frames stacked as channels: [B, H, W, k]. The window at t holds frames t-k+1..t.
 */
import * as tf from "@tensorflow/tfjs";
import { latentDistance } from "../losses/latent-distance";
import { vicregLoss } from "../losses/vicreg";
import { checkNumber, checkShape, withDefaults } from "../check";
import { convEncoder } from "./conv-encoder";
import { copyVariables, updateEma } from "./ema";
import { mlp } from "./mlp";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";

/** A training batch: a window, the next window and a tube mask over the context. */
export interface VideoBatch {
  /** Frames t-k+1..t as channels. [B, H, W, k]. */
  context: tf.Tensor4D;
  /** Frames t-k+2..t+1 as channels. [B, H, W, k]. */
  next: tf.Tensor4D;
  /** 1 where the context is hidden (the same pixels in every frame). [B, H, W, 1]. Omit for no masking. */
  mask?: tf.Tensor4D;
}

/** Options of `videoJepa`. */
export interface VideoJepaOptions {
  /** Frame side in pixels. Default 16. */
  size?: number;
  /** Frames per window k. Default 3. */
  frames?: number;
  /** Embedding size D. Default 32. */
  embedDim?: number;
  /** Conv channels of the encoder. Default [16, 32]. */
  channels?: number[];
  /** Predictor hidden sizes. Default [128, 128]. */
  hidden?: number[];
  /** EMA momentum of the target encoder. Default 0.99. */
  momentum?: number;
  /** Weight of the VICReg variance + covariance guard on the online embeddings (0 = EMA alone). Default 1. */
  guard?: number;
}

/** Default options of `videoJepa`. */
export const videoJepaDefaults: Required<VideoJepaOptions> = { size: 16, frames: 3, embedDim: 32, channels: [16, 32], hidden: [128, 128], momentum: 0.99, guard: 1 };

/** The video model: `forward` for training, `surprise` for per-window prediction error. */
export interface VideoJepa extends Model<VideoBatch> {
  readonly options: Required<VideoJepaOptions>;
  readonly encoder: Module;
  readonly targetEncoder: Module;
  /** Predicted next-window embedding from a (possibly masked) window: [B, H, W, k] -> [B, D]. */
  predictNext(context: tf.Tensor4D): tf.Tensor2D;
  /** Prediction error per example: mean over D of (predicted - target embedding of `next`)^2. [B]. */
  surprise(context: tf.Tensor4D, next: tf.Tensor4D): tf.Tensor1D;
}

/** Builds the video JEPA: conv encoder (online + EMA target) and an MLP predictor. */
export function videoJepa(opts: VideoJepaOptions = {}): VideoJepa {
  const o = withDefaults(videoJepaDefaults, opts, "videoJepa");
  const where = "videoJepa";
  checkNumber(where, "opts.frames", o.frames, { min: 1, integer: true });
  checkNumber(where, "opts.momentum", o.momentum, { min: 0, max: 1 });
  checkNumber(where, "opts.guard", o.guard, { min: 0 });
  const encoderOf = (name: string) => convEncoder({ inputShape: [o.size, o.size, o.frames], embedDim: o.embedDim, channels: o.channels, name });
  const encoder = encoderOf("video/encoder");
  const targetEncoder = encoderOf("video/target");
  copyVariables(targetEncoder.variables(), encoder.variables());
  const predictor = mlp([o.embedDim, ...o.hidden, o.embedDim], { name: "video/predictor" });
  const predictNext = (context: tf.Tensor4D) => {
    const z = encoder.apply(context);
    return tf.add(z, predictor.apply(z)) as tf.Tensor2D; // [B, D]
  };
  const check = (arg: string, t: tf.Tensor, b: Record<string, number> = {}) => checkShape(where, arg, t, ["B", o.size, o.size, o.frames], b);
  return {
    name: "video-jepa",
    options: o,
    encoder,
    targetEncoder,
    predictNext,
    surprise(context, next) {
      const b = check("context", context);
      check("next", next, b);
      return tf.tidy(() => latentDistance(predictNext(context), targetEncoder.apply(next), { reduction: "none", validate: false }) as tf.Tensor1D);
    },
    forward(batch: VideoBatch): ForwardResult {
      const b = check("batch.context", batch.context);
      check("batch.next", batch.next, b);
      if (batch.mask) checkShape(where, "batch.mask", batch.mask, ["B", o.size, o.size, 1], b);
      const visible = batch.mask ? tf.mul(batch.context, tf.sub(1, batch.mask)) as tf.Tensor4D : batch.context;
      const z = encoder.apply(visible); // [B, D]
      const pred = tf.add(z, predictor.apply(z)); // [B, D]
      const target = targetEncoder.apply(batch.next); // [B, D], no gradient: not in variables()
      const predError = latentDistance(pred, target, { validate: false }) as tf.Scalar;
      if (o.guard === 0) return { loss: predError, predError };
      const v = vicregLoss(z, z, { sim: 0, std: 1, cov: 1 / 25, validate: false });
      return { loss: tf.add(predError, tf.mul(o.guard, v.loss)) as tf.Scalar, predError, variance: v.variance };
    },
    variables: () => [...encoder.variables(), ...predictor.variables()],
    stateVariables: () => [...encoder.variables(), ...predictor.variables(), ...targetEncoder.variables()],
    afterStep: () => updateEma(targetEncoder.variables(), encoder.variables(), o.momentum),
    dispose() {
      [encoder, targetEncoder, predictor].forEach((m) => m.dispose());
    },
  };
}
