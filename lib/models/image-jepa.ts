/**
 * I-JEPA in miniature: predict the representation of hidden image blocks from the visible ones.
 * Introduced in notebooks/04-masked-image-jepa.ipynb.
 *
 * Images arrive as a grid of patches [B, G, G, P] (28x28 MNIST digits cut into 4x4 patches give
 * [B, 7, 7, 16]) with two masks on the grid: `context` (what the context encoder may see) and
 * `target` (the blocks to predict). Three networks:
 * - context encoder: patch embedding (+ learned position) then convs 3x3 over the grid; tokens outside
 *   the context are zeroed, so it only sees the context;
 * - target encoder: an EMA copy of the context encoder that sees the full image (no gradient);
 * - predictor: convs 3x3 over the context features, with a learned mask token plus its own positional
 *   embedding at each target position and a target indicator channel, so it knows where to predict.
 * The loss is the squared error at target positions between the prediction and the target
 * encoder's features, normalised per patch by layer norm (as I-JEPA does). No pixel is reconstructed.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../random";
import { checkNumber, checkShape, withDefaults } from "../check";
import { conv2d } from "./conv2d";
import { copyVariables, emaMomentum, updateEma } from "./ema";
import { ownedVariable } from "./linear";
import { normalizeFeatures } from "./mlp";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";
import { patchEmbed, PatchEmbed } from "./patch-embed";

/** One training batch: patches and the two masks on the patch grid (1 = in the set, 0 = not). */
export interface MaskedImageBatch {
  /** Image patches [B, G, G, P]. */
  patches: tf.Tensor;
  /** Context mask [B, G, G] (or [B, G, G, 1]): patches the context encoder sees. */
  context: tf.Tensor;
  /** Target mask [B, G, G] (or [B, G, G, 1]): patches whose representation is predicted. */
  target: tf.Tensor;
}

/** Options of `imageJepa`. */
export interface ImageJepaOptions {
  /** Patches per side of the grid. Default 7 (28x28 images, 4x4 patches). */
  grid?: number;
  /** Values per patch. Default 16 (4x4 grey). */
  patchDim?: number;
  /** Feature width D of encoder and predictor. Default 64. */
  embedDim?: number;
  /** Conv 3x3 layers of the encoder (ReLU between, none after the last). Default 3. */
  encoderLayers?: number;
  /** Conv 3x3 layers of the predictor (ReLU between, none after the last). Default 2. */
  predictorLayers?: number;
  /** Learned positional embedding in the encoders' patch embedding (the predictor always has its own). Default true. */
  positional?: boolean;
  /** Zero the context encoder's features outside the context after every layer, not only at the input, so no conv fills the holes before the predictor does. Default true. */
  maskEveryLayer?: boolean;
  /** Layer-normalise each target patch's features before the loss (I-JEPA). Default true. */
  normalizeTargets?: boolean;
  /** EMA momentum of the target encoder at the first step. Default 0.996. */
  momentum?: number;
  /** Momentum at the last step (I-JEPA raises it linearly to 1). Default 1. */
  momentumEnd?: number;
  /** Training steps over which the momentum rises; 0 keeps it at `momentum`. Default 0. */
  steps?: number;
  /** Variable name prefix. Default "imageJepa". */
  name?: string;
}

/** Default options of `imageJepa`. */
export const imageJepaDefaults: Required<ImageJepaOptions> = {
  grid: 7, patchDim: 16, embedDim: 64, encoderLayers: 3, predictorLayers: 2, positional: true, maskEveryLayer: true,
  normalizeTargets: true, momentum: 0.996, momentumEnd: 1, steps: 0, name: "imageJepa",
};

/** Patch embedding then convs over the grid: `apply(patches [B, G, G, P], keep? [B, G, G, 1]) -> [B, G, G, D]`. */
export interface GridEncoder extends Module {
  readonly embed: PatchEmbed;
  /** patches [B, G, G, P], keep [B, G, G, 1] (1 = visible; omitted = the full image) -> [B, G, G, D]. */
  apply(patches: tf.Tensor, keep?: tf.Tensor): tf.Tensor;
}

/** Predictor: `apply(contextFeatures [B, G, G, D], context [B, G, G, 1], target [B, G, G, 1]) -> [B, G, G, D]`. */
export type GridPredictor = Module<[tf.Tensor, tf.Tensor, tf.Tensor]>;

/** Which encoder gives features: the EMA target encoder (I-JEPA evaluates this one) or the context encoder. */
export type ImageJepaEncoderChoice = "target" | "context";

/** Options of `ImageJepa.features`. */
export interface ImageFeaturesOptions {
  /** Which encoder. Default "target". */
  encoder?: ImageJepaEncoderChoice;
  /** Layer-normalise each patch's features before averaging (the space the loss compares in, like the final LayerNorm of I-JEPA's ViT). Default false (measured on MNIST: no better for the JEPA, a little better for a random encoder). */
  normalize?: boolean;
  /** Images encoded per call (bounds memory). Default 500. */
  chunk?: number;
}

/** The model: trains with `train(model, ...)`; `encode`, `features`, `predict` for use. */
export interface ImageJepa extends Model<MaskedImageBatch> {
  readonly options: Required<ImageJepaOptions>;
  readonly encoder: GridEncoder;
  readonly targetEncoder: GridEncoder;
  readonly predictor: GridPredictor;
  /** Feature grid of full images: patches [B, G, G, P] -> [B, G, G, D]. */
  encode(patches: tf.Tensor, encoder?: ImageJepaEncoderChoice): tf.Tensor4D;
  /** Mean-pooled features of full images, computed in chunks: patches [N, G, G, P] -> [N, D]. */
  features(patches: tf.Tensor, opts?: ImageFeaturesOptions): tf.Tensor2D;
  /** Prediction and (normalised) target features at every grid position: each [B, G, G, D]. */
  predict(batch: MaskedImageBatch): { prediction: tf.Tensor4D; target: tf.Tensor4D };
}

/** A conv 3x3 encoder over the patch grid (used for the context and the target encoder). */
export function gridEncoder(opts: { grid: number; patchDim: number; embedDim: number; layers: number; positional?: boolean; maskEveryLayer?: boolean; name: string }): GridEncoder {
  const { grid, patchDim, embedDim: dim, layers, name } = opts;
  checkNumber("gridEncoder", "opts.layers", layers, { min: 1, integer: true });
  const embed = patchEmbed({ grid, patchDim, embedDim: dim, positional: opts.positional ?? true, name: `${name}/embed` });
  const convs = Array.from({ length: layers }, (_, i) => conv2d(dim, dim, { kernel: 3, name: `${name}/conv${i}` }));
  return {
    name,
    embed,
    apply(patches: tf.Tensor, keep?: tf.Tensor) {
      let h = embed.apply(patches); // [B, G, G, D]
      if (keep) checkShape(name, "keep", keep, [patches.shape[0], grid, grid, 1]);
      if (keep) h = tf.mul(h, keep);
      convs.forEach((c, i) => {
        h = c.apply(h);
        if (i < convs.length - 1) h = tf.relu(h);
        if (keep && opts.maskEveryLayer) h = tf.mul(h, keep);
      });
      return h; // [B, G, G, D]
    },
    variables: () => [...embed.variables(), ...convs.flatMap((c) => c.variables())],
    dispose: () => [embed, ...convs].forEach((m) => m.dispose()),
  };
}

/** The predictor: context features, plus (mask token + position) at targets, plus a target indicator. */
export function gridPredictor(opts: { grid: number; embedDim: number; layers: number; name: string }): GridPredictor {
  const { grid, embedDim: dim, layers, name } = opts;
  checkNumber("gridPredictor", "opts.layers", layers, { min: 1, integer: true });
  const token = ownedVariable(tf.randomNormal([dim], 0, 0.02, "float32", nextSeed("init")), `${name}/maskToken`);
  const pos = ownedVariable(tf.randomNormal([grid, grid, dim], 0, 0.02, "float32", nextSeed("init")), `${name}/pos`);
  const convs = Array.from({ length: layers }, (_, i) => conv2d(i === 0 ? dim + 1 : dim, dim, { kernel: 3, name: `${name}/conv${i}` }));
  return {
    name,
    apply(ctx: tf.Tensor, context: tf.Tensor, target: tf.Tensor) {
      const b = checkShape(name, "contextFeatures", ctx, ["B", grid, grid, dim]);
      checkShape(name, "context", context, ["B", grid, grid, 1], b);
      checkShape(name, "target", target, ["B", grid, grid, 1], b);
      const queries = tf.mul(tf.add(token, pos), target); // [B, G, G, D]: where to predict
      let h: tf.Tensor = tf.concat([tf.add(tf.mul(ctx, context), queries), target], 3); // [B, G, G, D+1]
      convs.forEach((c, i) => {
        h = c.apply(h);
        if (i < convs.length - 1) h = tf.relu(h);
      });
      return h; // [B, G, G, D]
    },
    variables: () => [token, pos, ...convs.flatMap((c) => c.variables())],
    dispose() {
      token.dispose();
      pos.dispose();
      convs.forEach((c) => c.dispose());
    },
  };
}

/** Builds the masked-image JEPA (context encoder, EMA target encoder, predictor). */
export function imageJepa(opts: ImageJepaOptions = {}): ImageJepa {
  const where = "imageJepa";
  const o: Required<ImageJepaOptions> = withDefaults(imageJepaDefaults, opts, where);
  checkNumber(where, "opts.grid", o.grid, { min: 1, integer: true });
  checkNumber(where, "opts.patchDim", o.patchDim, { min: 1, integer: true });
  checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.momentum", o.momentum, { min: 0, max: 1 });
  checkNumber(where, "opts.momentumEnd", o.momentumEnd, { min: 0, max: 1 });
  checkNumber(where, "opts.steps", o.steps, { min: 0, integer: true });
  const G = o.grid;
  const enc = { grid: G, patchDim: o.patchDim, embedDim: o.embedDim, layers: o.encoderLayers, positional: o.positional, maskEveryLayer: o.maskEveryLayer };
  const encoder = gridEncoder({ ...enc, name: `${o.name}/encoder` });
  const targetEncoder = gridEncoder({ ...enc, name: `${o.name}/target` });
  copyVariables(targetEncoder.variables(), encoder.variables());
  const predictor = gridPredictor({ grid: G, embedDim: o.embedDim, layers: o.predictorLayers, name: `${o.name}/predictor` });
  const pick = (which: ImageJepaEncoderChoice) => {
    if (which !== "target" && which !== "context") throw new Error(`${where}: encoder must be "target" or "context", received ${JSON.stringify(which)}`);
    return which === "target" ? targetEncoder : encoder;
  };
  const encode = (patches: tf.Tensor, which: ImageJepaEncoderChoice = "target") => {
    checkShape(`${where}.encode`, "patches", patches, [null, G, G, o.patchDim]);
    return pick(which).apply(patches) as tf.Tensor4D;
  };
  const run = (batch: MaskedImageBatch) => {
    const { patches, context, target } = checkBatch(batch, G, o.patchDim);
    const goal = targetEncoder.apply(patches); // [B, G, G, D], full image, no gradient (not in variables())
    const ctx = encoder.apply(patches, context); // [B, G, G, D], context only
    const prediction = predictor.apply(ctx, context, target) as tf.Tensor4D;
    return { prediction, target: (o.normalizeTargets ? normalizeFeatures(goal) : goal) as tf.Tensor4D, context };
  };
  const predict = (batch: MaskedImageBatch) => tf.tidy(() => {
    const { prediction, target } = run(batch);
    return { prediction, target };
  });
  return {
    name: "image-jepa",
    options: o,
    encoder,
    targetEncoder,
    predictor,
    encode: (patches, which) => tf.tidy(() => encode(patches, which)),
    predict,
    features(patches: tf.Tensor, fopts: ImageFeaturesOptions = {}) {
      const chunk = checkNumber(`${where}.features`, "opts.chunk", fopts.chunk ?? 500, { min: 1, integer: true });
      const which = fopts.encoder ?? "target";
      const norm = fopts.normalize ?? false;
      checkShape(`${where}.features`, "patches", patches, [null, G, G, o.patchDim]);
      const parts: tf.Tensor2D[] = [];
      for (let s = 0; s < patches.shape[0]; s += chunk) {
        const n = Math.min(chunk, patches.shape[0] - s);
        parts.push(tf.tidy(() => {
          const h = encode(patches.slice([s, 0, 0, 0], [n, -1, -1, -1]), which); // [n, G, G, D]
          return tf.mean(norm ? normalizeFeatures(h) : h, [1, 2]) as tf.Tensor2D; // [n, D]
        }));
      }
      const out = tf.concat(parts, 0) as tf.Tensor2D; // [N, D]
      tf.dispose(parts);
      return out;
    },
    forward(batch: MaskedImageBatch): ForwardResult {
      const { prediction, target, context } = run(batch);
      const t = toMask4(`${where}.forward`, "batch.target", batch.target, G); // [B, G, G, 1]
      const count = tf.maximum(tf.mul(tf.sum(t), o.embedDim), 1);
      const loss = tf.div(tf.sum(tf.mul(tf.square(tf.sub(prediction, target)), t)), count) as tf.Scalar;
      const visible = tf.mean(context) as tf.Scalar;
      const targetStd = tf.mean(tf.sqrt(tf.add(tf.moments(tf.mean(target, [1, 2]), 0).variance, 1e-8))) as tf.Scalar;
      return { loss, visible, targetStd };
    },
    variables: () => [...encoder.variables(), ...predictor.variables()],
    stateVariables: () => [...encoder.variables(), ...predictor.variables(), ...targetEncoder.variables()],
    afterStep(step: number) {
      const m = o.steps > 0 ? emaMomentum(step, o.steps, o.momentum, o.momentumEnd) : o.momentum;
      updateEma(targetEncoder.variables(), encoder.variables(), m);
    },
    dispose() {
      [encoder, targetEncoder, predictor].forEach((m) => m.dispose());
    },
  };
}

/** Masks of shape [B, G, G] or [B, G, G, 1] as float [B, G, G, 1]. */
function toMask4(where: string, arg: string, m: tf.Tensor, G: number): tf.Tensor4D {
  if (!(m instanceof tf.Tensor)) throw new TypeError(`${where}: ${arg} must be a tf.Tensor [B, ${G}, ${G}] of 0/1, received ${typeof m}`);
  const m4 = m.rank === 3 ? m.expandDims(3) : m;
  checkShape(where, arg, m4, [null, G, G, 1]);
  return (m4.dtype === "float32" ? m4 : tf.cast(m4, "float32")) as tf.Tensor4D;
}

function checkBatch(batch: MaskedImageBatch, G: number, P: number): { patches: tf.Tensor; context: tf.Tensor4D; target: tf.Tensor4D } {
  const where = "imageJepa";
  if (!batch || typeof batch !== "object") throw new TypeError(`${where}: batch must be { patches, context, target }, received ${typeof batch}`);
  const b = checkShape(where, "batch.patches", batch.patches, ["B", G, G, P]);
  const context = toMask4(where, "batch.context", batch.context, G);
  const target = toMask4(where, "batch.target", batch.target, G);
  checkShape(where, "batch.context", context, ["B", G, G, 1], b);
  checkShape(where, "batch.target", target, ["B", G, G, 1], b);
  return { patches: batch.patches, context, target };
}
