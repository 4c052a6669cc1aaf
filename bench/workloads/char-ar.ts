/**
 * Workload (c): the tiny auto-regressive character model of notebooks/01-autoregressive-contrast.ipynb.
 * vocab 48, context 16 characters, embedding 32 via tf.gather, concat -> dense 512 -> 256 tanh
 * -> 48 logits, softmax cross-entropy; batch 256; Adam 1e-3. bench/torch_bench.py builds the same.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../../lib/random";
import { LayerOptions, Params, Workload, adam, bias, dense, disposeAll, layerDefaults, trainStep, weight } from "./common";

/** Sizes of workload (c); smaller values make a quick test model. */
export interface CharArOptions extends LayerOptions {
  /** Examples per step. */
  batch: number;
  /** Alphabet size. */
  vocab: number;
  /** Characters of context. */
  context: number;
  /** Embedding size per character. */
  embed: number;
  /** Hidden width. */
  hidden: number;
}

/** The benchmark's sizes. */
export const charArDefaults: CharArOptions = { ...layerDefaults, batch: 256, vocab: 48, context: 16, embed: 32, hidden: 256 };

/** Builds workload (c) on the current backend with random data made once. */
export function charAr(options: Partial<CharArOptions> = {}): Workload {
  const o = { ...charArDefaults, ...options };
  const params: Params = {};
  const table = weight(params, "embed", [o.vocab, o.embed], 1);
  const w1 = weight(params, "w1", [o.context * o.embed, o.hidden], o.context * o.embed) as tf.Variable<tf.Rank.R2>;
  const b1 = bias(params, "b1", o.hidden) as tf.Variable<tf.Rank.R1>;
  const w2 = weight(params, "w2", [o.hidden, o.vocab], o.hidden) as tf.Variable<tf.Rank.R2>;
  const b2 = bias(params, "b2", o.vocab) as tf.Variable<tf.Rank.R1>;
  const tokens = tf.tidy(() => tf.floor(tf.randomUniform([o.batch, o.context], 0, o.vocab, "float32", nextSeed("bench"))).toInt()); // [B, T]
  const labels = tf.tidy(() => tf.oneHot(tf.floor(tf.randomUniform([o.batch], 0, o.vocab, "float32", nextSeed("bench"))).toInt(), o.vocab).toFloat()); // [B, V]
  const optimizer = adam(1e-3, o);
  const loss = () => tf.tidy(() => {
    const e = tf.reshape(tf.gather(table, tokens), [o.batch, o.context * o.embed]) as tf.Tensor2D; // [B, T*E]
    const h = dense(e, w1, b1, "tanh", o); // [B, H]
    const logits = dense(h, w2, b2, "linear", o); // [B, V]
    return tf.neg(tf.mean(tf.sum(tf.mul(labels, tf.logSoftmax(logits)), 1))) as tf.Scalar;
  });
  const forward = 2 * o.batch * (o.context * o.embed * o.hidden + o.hidden * o.vocab);
  return {
    name: "char-ar",
    batch: o.batch,
    flopsPerStep: 3 * forward,
    step: () => trainStep(optimizer, params, loss),
    dispose: () => disposeAll(params, optimizer, [tokens, labels]),
  };
}
