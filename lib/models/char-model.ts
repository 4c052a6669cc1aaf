/**
 * The auto-regressive baseline: a character-level next-token model (makemore's MLP, Bengio 2003).
 * What LLMs do, in miniature. Introduced in notebooks/01-autoregressive-contrast.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { crossEntropy } from "../losses/cross-entropy";
import { rng } from "../random";
import { checkNumber, checkShape, withDefaults } from "../check";
import { embedding } from "./embedding";
import { mlp } from "./mlp";
import { ForwardResult, Model } from "./model";

/** A batch of next-token examples: `x` int32 [B, context] token ids, `y` int32 [B] the next token. */
export interface TokenBatch {
  x: tf.Tensor2D;
  y: tf.Tensor1D;
}

/** Options of `charModel`. */
export interface CharModelOptions {
  /** Vocabulary size V. Required. */
  vocab: number;
  /** Tokens of context T. Default 16. */
  context?: number;
  /** Embedding width D of each token. Default 32. */
  embedDim?: number;
  /** Hidden layer sizes. Default [256]. */
  hidden?: number[];
}

/** Default options of `charModel` (vocab has no default). */
export const charModelDefaults = { context: 16, embedDim: 32, hidden: [256] };

/** The next-token model: `forward(batch)` gives the cross-entropy; `logits`, `generate` for sampling. */
export interface CharModel extends Model<TokenBatch> {
  readonly context: number;
  /** Next-token logits: x int32 [B, T] -> [B, V]. */
  logits(x: tf.Tensor2D): tf.Tensor2D;
  /** Samples `n` tokens after `prompt` (ids), one at a time: each depends on the ones before. */
  generate(prompt: number[], n: number, opts?: { temperature?: number; stream?: string }): number[];
}

/** Builds the model: embed T tokens, concatenate, tanh hidden layers, logits over V. */
export function charModel(opts: CharModelOptions): CharModel {
  const o = withDefaults(charModelDefaults, opts, "charModel");
  checkNumber("charModel", "opts.vocab", o.vocab, { min: 2, integer: true });
  checkNumber("charModel", "opts.context", o.context, { min: 1, integer: true });
  const emb = embedding(o.vocab, o.embedDim, "char/embedding");
  const net = mlp([o.context * o.embedDim, ...o.hidden, o.vocab], { activation: "tanh", name: "char/mlp" });
  const logitsOf = (x: tf.Tensor2D) => {
    checkShape("charModel", "x", x, [null, o.context]);
    return net.apply(emb.apply(x)) as tf.Tensor2D; // [B, V]
  };
  return {
    name: "char-model",
    context: o.context,
    logits: (x) => tf.tidy(() => logitsOf(x)),
    forward(batch: TokenBatch): ForwardResult {
      const b = checkShape("charModel.forward", "batch.x", batch.x, ["B", o.context]);
      checkShape("charModel.forward", "batch.y", batch.y, ["B"], b);
      return crossEntropy(logitsOf(batch.x), batch.y, { validate: false });
    },
    generate(prompt, n, g = {}) {
      const temperature = g.temperature ?? 1;
      const r = rng(g.stream ?? "sample");
      const ids = [...prompt];
      for (let i = 0; i < n; i++) {
        const ctx = ids.slice(-o.context);
        while (ctx.length < o.context) ctx.unshift(0);
        const p = tf.tidy(() => tf.softmax(tf.div(logitsOf(tf.tensor2d([ctx], [1, o.context], "int32")), temperature)).dataSync());
        ids.push(sampleIndex(p, r()));
      }
      return ids.slice(prompt.length);
    },
    variables: () => [...emb.variables(), ...net.variables()],
    dispose() {
      emb.dispose();
      net.dispose();
    },
  };
}

/** Index drawn from probabilities p with a uniform number u in [0, 1). */
function sampleIndex(p: ArrayLike<number>, u: number): number {
  let acc = 0;
  for (let i = 0; i < p.length; i++) {
    acc += p[i];
    if (u < acc) return i;
  }
  return p.length - 1;
}
