/**
 * V-JEPA in miniature: a masked video JEPA. A clip of k frames is cut into space-time tubelets
 * (tokens); a mask hides some of them (a tube: the same patches at every time step, and/or the
 * newest frame); the encoder embeds each visible tubelet on its own; the predictor is told where
 * the hidden ones are (a learned mask token plus a learned position at every token) and predicts
 * their embeddings; the targets are the EMA target encoder's embeddings of every tubelet. The loss
 * counts hidden tokens only (plus VICReg's variance term on the encoder's embeddings, so they
 * cannot all collapse to one point). No pixel is reconstructed. Introduced in
 * notebooks/07-video-jepa-and-surprise.ipynb, where its error on the newest frame is the surprise.
 *
 * Shapes: clips [B, k, S, S, 1] (S = imageSize); a tubelet is `tubelet` frames x `patch` x `patch`
 * pixels, so the token grid is [k / tubelet, G, G] with G = S / patch, N = (k / tubelet) G^2 tokens
 * in time-major order (all patches of the first tubelet time, then the next), each of
 * P = tubelet * patch^2 values. Masks are [B, k / tubelet, G, G], 1 = hidden (to predict).
 *
 * At toy scale two choices differ from V-JEPA's ViTs, both measured in notebook 07's recipe
 * (lib/recipes/video-jepa-recipe.ts): the encoder sees one tubelet at a time (a 3x3 convolution
 * averaged over the patch, then an MLP), which makes an embedding say *what* is in a patch more
 * than exactly where; and the predictor mixes tokens with space-time convolutions, not attention
 * (on the wasm backend a 2-block transformer step measured 245 ms against 101 ms for token mixing
 * of the same width, nearly all of the difference in attention's batched matrix products).
 */
import * as tf from "@tensorflow/tfjs";
import { nextFrameMask, patchify } from "../data/masks";
import { latentDistance } from "../losses/latent-distance";
import { vicregLoss } from "../losses/vicreg";
import { nextSeed } from "../random";
import { checkInt, checkNumber, checkOptions, checkShape, checkSizes, withDefaults } from "../check";
import { conv2d } from "./conv2d";
import { copyVariables, emaMomentum, updateEma } from "./ema";
import { linear, ownedVariable } from "./linear";
import { mlp, normalizeFeatures } from "./mlp";
import { ForwardResult, Model } from "./model";
import { Module } from "./module";
import { spaceTimeConv } from "./space-time-conv";

/** A training batch: clips and which of their tubelets to hide and predict. */
export interface MaskedVideoBatch {
  /** Clips of k frames. [B, k, S, S, 1]. */
  clips: tf.Tensor;
  /** 1 = hidden from the context encoder and predicted. [B, k / tubelet, G, G]; at least one 0 per example. */
  mask: tf.Tensor;
}

/** Settings of the variance/covariance term on the online encoder's tokens (VICReg's two anti-collapse terms). */
export interface VideoVicregSettings {
  /** Weight of the variance term (a hinge on each dimension's std across tokens). Default 1. */
  std?: number;
  /** Weight of the covariance term. Default 0. */
  cov?: number;
}

/** Options of `maskedVideoJepa`. */
export interface MaskedVideoJepaOptions {
  /** Frame side S in pixels. Default 16. */
  imageSize?: number;
  /** Frames per clip k (a multiple of `tubelet`). Default 4. */
  frames?: number;
  /** Patch side in pixels (S must be a multiple). Default 4. */
  patch?: number;
  /** Frames per tubelet (token). Default 1. */
  tubelet?: number;
  /** Embedding width D of a token. Default 32. */
  embedDim?: number;
  /** Channels of the encoder's 3x3 convolution inside each tubelet, averaged over the patch (0 = none). Default 8. */
  channels?: number;
  /** Hidden layer sizes of the encoder's per-tubelet MLP. Default [64]. */
  hidden?: number[];
  /** Token width of the predictor. Default 16. */
  predictorDim?: number;
  /** Space-time convolution blocks of the predictor. Default 2. */
  predictorDepth?: number;
  /** Spatial kernel side of the predictor's convolutions. Default 3. */
  kernel?: number;
  /** Layer-normalise every target token (I-JEPA, V-JEPA). Default false. */
  normalizeTargets?: boolean;
  /** EMA momentum of the target encoder at the first step. Default 0.99. */
  momentum?: number;
  /** Momentum at the last step (rises linearly, as in I-JEPA and V-JEPA). Default 0.999. */
  momentumEnd?: number;
  /** Training steps over which the momentum rises; 0 keeps it at `momentum`. Default 0. */
  steps?: number;
  /** Variance/covariance term on the online encoder's tokens; { std: 0, cov: 0 } = EMA alone. Default { std: 1, cov: 0 }. */
  vicreg?: VideoVicregSettings;
  /** Variable name prefix. Default "maskedVideoJepa". */
  name?: string;
}

/** Default options of `maskedVideoJepa`. */
export const maskedVideoJepaDefaults = {
  imageSize: 16, frames: 4, patch: 4, tubelet: 1, embedDim: 32, channels: 8, hidden: [64], predictorDim: 16, predictorDepth: 2,
  kernel: 3, normalizeTargets: false, momentum: 0.99, momentumEnd: 0.999, steps: 0, vicreg: { std: 1, cov: 0 },
  name: "maskedVideoJepa",
};

/** The options after defaults: every field set. */
export type MaskedVideoJepaConfig = typeof maskedVideoJepaDefaults & { vicreg: Required<VideoVicregSettings> };

/** Tubelets to embeddings, each on its own: `apply(tokens [B, N, P]) -> [B, N, D]`. */
export type TokenEncoder = Module;

/** The predictor: `apply(context [B, N, D], mask [B, N]) -> predicted embeddings [B, N, D]`. */
export type TokenPredictor = Module<[tf.Tensor, tf.Tensor]>;

/** Predicted and target embeddings, both [B, M, D] (targets as the loss sees them). */
export interface VideoPrediction {
  prediction: tf.Tensor3D;
  target: tf.Tensor3D;
}

/** The model: trains with `train(model, ...)`; `tokens`, `encode`, `predict`, `predictNext` for use. */
export interface MaskedVideoJepa extends Model<MaskedVideoBatch> {
  readonly options: MaskedVideoJepaConfig;
  /** Token grid [k / tubelet, G, G]. */
  readonly grid: [number, number, number];
  readonly encoder: TokenEncoder;
  readonly targetEncoder: TokenEncoder;
  readonly predictor: TokenPredictor;
  /** Clips [B, k, S, S, 1] -> tubelet tokens [B, N, P] (time-major). */
  tokens(clips: tf.Tensor): tf.Tensor3D;
  /** Token embeddings of clips by the target (default) or online encoder: [B, N, D]. */
  encode(clips: tf.Tensor, encoder?: "target" | "online"): tf.Tensor3D;
  /** Prediction and target at every token, [B, N, D] each (only masked tokens are predicted). */
  predict(batch: MaskedVideoBatch): VideoPrediction;
  /**
   * The newest tubelet predicted from the frames before it (the mask hides the last tubelet time
   * of each clip): prediction and target for its G^2 patches, [B, G^2, D] each.
   */
  predictNext(clips: tf.Tensor): VideoPrediction;
}

/**
 * The encoder, applied to each tubelet on its own: a 3x3 convolution inside the patch (tubelet
 * frames as channels), ReLU, the mean over the patch, then an MLP; `channels: 0` skips the
 * convolution (an MLP on the raw pixels). It carries no position: an empty patch has the same
 * embedding anywhere.
 */
export function tokenEncoder(opts: { patch: number; tubelet: number; channels: number; hidden: number[]; embedDim: number; normalize: boolean; name: string }): TokenEncoder {
  const where = "tokenEncoder";
  checkOptions(where, opts);
  const { patch: p, tubelet: tt, embedDim: D, name } = opts ?? {};
  for (const [k, v] of Object.entries({ patch: p, tubelet: tt, embedDim: D })) checkInt(where, `opts.${k}`, v);
  checkInt(where, "opts.channels", opts.channels, 0);
  checkSizes(where, "opts.hidden", opts.hidden);
  const P = p * p * tt;
  const C = opts.channels;
  const conv = C > 0 ? conv2d(tt, C, { kernel: 3, name: `${name}/conv` }) : null;
  const net = mlp([C > 0 ? C : P, ...opts.hidden, D], { name: `${name}/mlp` });
  return {
    name,
    apply(tokens: tf.Tensor) {
      const { B, N } = checkShape(name, "tokens", tokens, ["B", "N", P]);
      let h = tokens.reshape([B * N, P]);
      if (conv) h = tf.mean(tf.relu(conv.apply(h.reshape([B * N, p, p, tt]))), [1, 2]); // [B*N, C]
      const z = net.apply(h).reshape([B, N, D]); // [B, N, D]
      return opts.normalize ? normalizeFeatures(z) : z;
    },
    variables: () => [...(conv ? conv.variables() : []), ...net.variables()],
    dispose: () => [conv, net].forEach((m) => m?.dispose()),
  };
}

/**
 * The predictor: each visible token's embedding, or the learned mask token where it is hidden,
 * plus a learned position for every token (so it knows where the targets are); then space-time
 * convolution blocks; then a linear map back to the embedding width.
 */
export function tokenPredictor(opts: { grid: [number, number, number]; embedDim: number; dim: number; depth: number; kernel: number; name: string }): TokenPredictor {
  const where = "tokenPredictor";
  checkOptions(where, opts);
  const { grid, embedDim: D, dim: Dp, name } = opts ?? {};
  checkSizes(where, "opts.grid", grid, 3);
  for (const [k, v] of Object.entries({ embedDim: D, dim: Dp, kernel: opts.kernel })) checkInt(where, `opts.${k}`, v);
  checkInt(where, "opts.depth", opts.depth, 0);
  const N = grid[0] * grid[1] * grid[2];
  const inProj = linear(D, Dp, { name: `${name}/in`, init: "glorot" });
  const outProj = linear(Dp, D, { name: `${name}/out`, init: "glorot" });
  const token = ownedVariable(tf.randomNormal([Dp], 0, 0.02, "float32", nextSeed("init")), `${name}/maskToken`);
  const pos = ownedVariable(tf.randomNormal([N, Dp], 0, 0.02, "float32", nextSeed("init")), `${name}/pos`);
  const blocks = Array.from({ length: opts.depth }, (_, i) => spaceTimeConv(grid, Dp, { kernel: opts.kernel, name: `${name}/block${i}` }));
  return {
    name,
    apply(context: tf.Tensor, mask: tf.Tensor) {
      const { B } = checkShape(name, "context", context, ["B", N, D]);
      checkShape(name, "mask", mask, [B, N]);
      const m = mask.expandDims(2); // [B, N, 1], 1 = hidden
      const ctx = inProj.apply(context.reshape([B * N, D])).reshape([B, N, Dp]);
      let h = tf.add(tf.add(tf.mul(ctx, tf.sub(1, m)), tf.mul(token, m)), pos); // [B, N, Dp]
      for (const b of blocks) h = b.apply(h);
      return outProj.apply(h.reshape([B * N, Dp])).reshape([B, N, D]); // [B, N, D]
    },
    variables: () => [...inProj.variables(), ...outProj.variables(), token, pos, ...blocks.flatMap((b) => b.variables())],
    dispose() {
      [inProj, outProj, ...blocks].forEach((mod) => mod.dispose());
      token.dispose();
      pos.dispose();
    },
  };
}

/** Builds the masked video JEPA (online encoder, EMA target encoder, predictor). */
export function maskedVideoJepa(opts: MaskedVideoJepaOptions = {}): MaskedVideoJepa {
  const where = "maskedVideoJepa";
  const merged = withDefaults(maskedVideoJepaDefaults, opts, where);
  const vicreg = withDefaults(maskedVideoJepaDefaults.vicreg, opts?.vicreg, where);
  const o: MaskedVideoJepaConfig = { ...merged, vicreg };
  const S = checkNumber(where, "opts.imageSize", o.imageSize, { min: 1, integer: true });
  const p = checkNumber(where, "opts.patch", o.patch, { min: 1, max: S, integer: true });
  const tt = checkNumber(where, "opts.tubelet", o.tubelet, { min: 1, integer: true });
  const k = checkNumber(where, "opts.frames", o.frames, { min: tt, integer: true });
  if (S % p !== 0) throw new RangeError(`${where}: opts.imageSize ${S} must be a multiple of opts.patch ${p}`);
  if (k % tt !== 0) throw new RangeError(`${where}: opts.frames ${k} must be a multiple of opts.tubelet ${tt}`);
  if (k / tt < 2) throw new RangeError(`${where}: opts.frames / opts.tubelet must be >= 2 (a past to predict the newest tubelet from), received ${k} / ${tt}`);
  checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.predictorDim", o.predictorDim, { min: 1, integer: true });
  checkNumber(where, "opts.predictorDepth", o.predictorDepth, { min: 0, integer: true });
  checkNumber(where, "opts.kernel", o.kernel, { min: 1, integer: true });
  checkSizes(where, "opts.hidden", o.hidden);
  checkNumber(where, "opts.momentum", o.momentum, { min: 0, max: 1 });
  checkNumber(where, "opts.momentumEnd", o.momentumEnd, { min: 0, max: 1 });
  checkNumber(where, "opts.steps", o.steps, { min: 0, integer: true });
  checkNumber(where, "opts.vicreg.std", o.vicreg.std, { min: 0 });
  checkNumber(where, "opts.vicreg.cov", o.vicreg.cov, { min: 0 });
  const G = S / p;
  const Tt = k / tt;
  const N = Tt * G * G;
  const P = tt * p * p;
  const D = o.embedDim;
  const enc = { patch: p, tubelet: tt, channels: o.channels, hidden: o.hidden, embedDim: D, normalize: o.normalizeTargets };
  const encoder = tokenEncoder({ ...enc, name: `${o.name}/encoder` });
  const targetEncoder = tokenEncoder({ ...enc, name: `${o.name}/target` });
  copyVariables(targetEncoder.variables(), encoder.variables());
  const grid: [number, number, number] = [Tt, G, G];
  const predictor = tokenPredictor({ grid, embedDim: D, dim: o.predictorDim, depth: o.predictorDepth, kernel: o.kernel, name: `${o.name}/predictor` });

  const tokens = (clips: tf.Tensor, arg = "clips") => {
    const { B } = checkShape(where, arg, clips, ["B", k, S, S, 1]);
    return tf.tidy(() => {
      const byTime = clips.reshape([B * Tt, tt, S, S]).transpose([0, 2, 3, 1]) as tf.Tensor4D; // [B*Tt, S, S, tt]
      return patchify(byTime, p).reshape([B, N, P]) as tf.Tensor3D; // [B, N, P]
    });
  };
  const run = (clips: tf.Tensor, mask: tf.Tensor) => {
    const x = tokens(clips, "batch.clips");
    const B = x.shape[0];
    checkShape(where, "batch.mask", mask, [B, Tt, G, G]);
    const m = mask.reshape([B, N]); // [B, N], 1 = hidden
    const target = targetEncoder.apply(x) as tf.Tensor3D; // [B, N, D], every token; no gradient (not in variables())
    const online = encoder.apply(x); // [B, N, D]; each token on its own, so hiding is zeroing
    const prediction = predictor.apply(tf.mul(online, tf.sub(1, m).expandDims(2)), m) as tf.Tensor3D; // [B, N, D]
    return { prediction, target, online, m };
  };
  return {
    name: "masked-video-jepa",
    options: o,
    grid,
    encoder,
    targetEncoder,
    predictor,
    tokens: (clips) => tokens(clips),
    encode(clips, which = "target") {
      if (which !== "target" && which !== "online") throw new Error(`${where}.encode: encoder must be "target" or "online", received ${JSON.stringify(which)}`);
      return tf.tidy(() => (which === "target" ? targetEncoder : encoder).apply(tokens(clips)) as tf.Tensor3D);
    },
    predict(batch) {
      return tf.tidy(() => {
        const { prediction, target } = run(batch.clips, batch.mask);
        return { prediction, target };
      });
    },
    predictNext(clips) {
      const { B } = checkShape(`${where}.predictNext`, "clips", clips, ["B", k, S, S, 1]);
      return tf.tidy(() => {
        const { prediction, target } = run(clips, nextFrameMask(B, Tt, G, G));
        const last = (t: tf.Tensor3D) => t.slice([0, N - G * G, 0], [B, G * G, D]); // [B, G^2, D]
        return { prediction: last(prediction), target: last(target) };
      });
    },
    forward(batch: MaskedVideoBatch): ForwardResult {
      if (!batch || typeof batch !== "object") throw new TypeError(`${where}: batch must be { clips, mask }, received ${typeof batch}`);
      const { prediction, target, online, m } = run(batch.clips, batch.mask);
      const perToken = latentDistance(prediction, target, { reduction: "none", validate: false }); // [B, N]
      const predError = tf.div(tf.sum(tf.mul(perToken, m)), tf.maximum(tf.sum(m), 1)) as tf.Scalar;
      if (o.vicreg.std === 0 && o.vicreg.cov === 0) return { loss: predError, predError };
      const z = online.reshape([-1, D]); // every token of the batch
      const v = vicregLoss(z, z, { sim: 0, std: o.vicreg.std, cov: o.vicreg.cov, validate: false });
      return { loss: tf.add(predError, v.loss) as tf.Scalar, predError, variance: v.variance, covariance: v.covariance };
    },
    variables: () => [...encoder.variables(), ...predictor.variables()],
    stateVariables: () => [...encoder.variables(), ...predictor.variables(), ...targetEncoder.variables()],
    afterStep(step: number) {
      const mom = o.steps > 0 ? emaMomentum(step, o.steps, o.momentum, o.momentumEnd) : o.momentum;
      updateEma(targetEncoder.variables(), encoder.variables(), mom);
    },
    dispose() {
      [encoder, targetEncoder, predictor].forEach((mod) => mod.dispose());
    },
  };
}
