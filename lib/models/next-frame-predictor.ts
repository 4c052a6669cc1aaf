/**
 * The generative baseline of notebooks/01-autoregressive-contrast.ipynb: a next-frame pixel
 * predictor. It sees the last k frames stacked as channels, predicts the next frame's pixels, and
 * is trained with the squared error against the real next frame (teacher forcing: the input is
 * always real frames). Rolled out, it feeds its own predictions back, like a language model
 * sampling token after token. With `unroll: true` it is trained the way the JEPA of notebook 01 is:
 * each window is rolled out from its first observation on the model's own frames, and every
 * predicted frame is compared with the real one (multi-step training):
 *   one-step  loss = mean_t ||f(o_t) - x_{t+1}||² / HW         (o_t real stacked frames)
 *   unrolled  loss = mean_t ||x̂_{t+1} - x_{t+1}||² / HW,  ô_0 = o_0, ô_{t+1} = step(ô_t), x̂ its newest frame
 *
 * Under unpredictable pixel noise the squared-error optimum is the mean future frame: a blurred dot
 * on a grey background. Those blurred frames then become its inputs, and errors compound.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { mlp } from "./mlp";
import { ForwardResult, Model } from "./model";
import { pixelDecoder } from "./pixel-decoder";
import { TrajectoryBatch } from "./transition-jepa";

/** Options of `nextFramePredictor`. */
export interface NextFramePredictorOptions {
  /** Frame size [H, W] (grey frames). Required. */
  frameShape: [number, number];
  /** Frames stacked per input (channels). Default 2. */
  frames?: number;
  /** Hidden layer sizes of the body (the last is the vector handed to the decoder). Default [256]. */
  hidden?: number[];
  /** Hidden layer sizes of the pixel decoder. Default [256]. */
  decoderHidden?: number[];
  /**
   * Train on its own predictions: `forward` rolls each window out from obs[:, 0] (predicted frames
   * fed back as inputs) and compares every predicted frame with the real one (multi-step training).
   * false: every real observation predicts the next frame (teacher forcing, one-step). Default false.
   */
  unroll?: boolean;
}

/** Default options of `nextFramePredictor` (frameShape has no default). */
export const nextFramePredictorDefaults = { frames: 2, hidden: [256], decoderHidden: [256], unroll: false };

/** The pixel model: `forward` trains it, `nextFrame` and `step` use it. */
export interface NextFramePredictor extends Model<TrajectoryBatch> {
  readonly frames: number;
  /** Whether `forward` trains on the model's own rolled-out frames (see the option). */
  readonly unroll: boolean;
  /** Stacked frames [B, H, W, k] -> the predicted next frame [B, H, W, 1] in [0, 1]. */
  nextFrame(stack: tf.Tensor): tf.Tensor4D;
  /** One rollout step: drops the oldest frame and appends the prediction, [B, H, W, k] -> [B, H, W, k]. */
  step(stack: tf.Tensor): tf.Tensor4D;
}

/**
 * Builds the predictor: mlp body (k*H*W -> ...hidden, relu) then `pixelDecoder` (hidden -> H*W, sigmoid).
 * Batches are the JEPA's: `{ obs: [B, T+1, H, W, k] }` (stacked frames); every obs[:, t] predicts the
 * newest frame of obs[:, t+1].
 */
export function nextFramePredictor(opts: NextFramePredictorOptions): NextFramePredictor {
  const where = "nextFramePredictor";
  const o = withDefaults(nextFramePredictorDefaults, opts, where);
  if (!Array.isArray(o.frameShape) || o.frameShape.length !== 2) throw new Error(`${where}: opts.frameShape must be [H, W], received ${JSON.stringify(o.frameShape)}`);
  const [H, W] = o.frameShape;
  checkNumber(where, "opts.frameShape[0]", H, { min: 1, integer: true });
  checkNumber(where, "opts.frameShape[1]", W, { min: 1, integer: true });
  checkNumber(where, "opts.frames", o.frames, { min: 1, integer: true });
  if (!Array.isArray(o.hidden) || o.hidden.length === 0) throw new Error(`${where}: opts.hidden must be a non-empty number[] of layer sizes, received ${JSON.stringify(o.hidden)}`);
  o.hidden.forEach((h, i) => checkNumber(where, `opts.hidden[${i}]`, h, { min: 1, integer: true }));
  if (typeof o.unroll !== "boolean") throw new TypeError(`${where}: opts.unroll must be true or false, received ${JSON.stringify(o.unroll)}`);
  const k = o.frames;
  const body = mlp([H * W * k, ...o.hidden], { activation: "relu", finalActivation: "relu", name: "pixel/body" });
  const decoder = pixelDecoder({ inDim: o.hidden[o.hidden.length - 1], outShape: [H, W, 1], hidden: o.decoderHidden, name: "pixel/decoder" });
  const nextFrameOf = (stack: tf.Tensor) => {
    checkShape(`${where}.nextFrame`, "stack", stack, [null, H, W, k]);
    return decoder.apply(body.apply(stack)) as tf.Tensor4D; // [B, H, W, 1]
  };
  const stepOf = (stack: tf.Tensor) => {
    const kept = stack.slice([0, 0, 0, 1], [-1, H, W, k - 1]); // [B, H, W, k-1]
    return tf.concat([kept, nextFrameOf(stack)], 3) as tf.Tensor4D; // [B, H, W, k]
  };
  const step = (stack: tf.Tensor) => tf.tidy(() => stepOf(stack));
  /** Squared error of T frames rolled out from obs[:, 0] on the model's own predictions. */
  const unrolledLoss = (obs: tf.Tensor, B: number, T: number): tf.Scalar => {
    let stack = obs.slice([0, 0], [B, 1]).reshape([B, H, W, k]); // ô_0 = o_0
    const predicted: tf.Tensor[] = [];
    for (let t = 0; t < T; t++) {
      predicted.push(nextFrameOf(stack)); // x̂_{t+1} [B, H, W, 1]
      stack = tf.concat([stack.slice([0, 0, 0, 1], [-1, H, W, k - 1]), predicted[t]], 3); // ô_{t+1}
    }
    // time-major on both sides: concatenating on the leading axis keeps the backward pass cheap
    const real = obs.slice([0, 1, 0, 0, k - 1], [B, T, H, W, 1]).transpose([1, 0, 2, 3, 4]); // [T, B, H, W, 1]
    return tf.losses.meanSquaredError(real.reshape([T * B, H, W, 1]), tf.concat(predicted, 0)) as tf.Scalar;
  };
  return {
    name: o.unroll ? "next-frame-predictor(unrolled)" : "next-frame-predictor",
    frames: k,
    unroll: !!o.unroll,
    nextFrame: (stack) => tf.tidy(() => nextFrameOf(stack)),
    step,
    forward(batch: TrajectoryBatch): ForwardResult {
      const obs = batch?.obs;
      if (!(obs instanceof tf.Tensor) || obs.rank !== 5 || obs.shape[1]! < 2) {
        throw new Error(`${where}.forward: batch.obs must be [B, T+1, ${H}, ${W}, ${k}] with T+1 >= 2, received ${obs instanceof tf.Tensor ? `[${obs.shape.join(", ")}]` : typeof obs}`);
      }
      checkShape(`${where}.forward`, "batch.obs", obs, [null, null, H, W, k]);
      const [B, T1] = obs.shape;
      const T = T1 - 1;
      if (o.unroll) return { loss: unrolledLoss(obs, B, T) };
      const targets = obs.slice([0, 1, 0, 0, k - 1], [B, T, H, W, 1]).reshape([B * T, H, W, 1]);
      const inputs = obs.slice([0, 0], [B, T]).reshape([B * T, H, W, k]);
      return { loss: tf.losses.meanSquaredError(targets, nextFrameOf(inputs)) as tf.Scalar };
    },
    variables: () => [...body.variables(), ...decoder.variables()],
    dispose() {
      body.dispose();
      decoder.dispose();
    },
  };
}
