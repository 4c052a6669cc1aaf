/**
 * Workload (b): the conv/patch image JEPA of notebooks/04-masked-image-jepa.ipynb (I-JEPA style).
 * MNIST-shaped 28x28 images patchified 4x4 -> [B, 7, 7, 16]; patch embedding dense 16 -> 64;
 * encoder: 3 conv2d 3x3 same 64 -> 64 (ReLU between) over the 7x7 grid, fed the patches with
 * masked positions zeroed; EMA target encoder (same shape, no gradient) on the full image;
 * predictor: 2 conv2d 3x3 on concat(context features 64, mask indicator 1) -> 64; loss = MSE at
 * masked positions; batch 128; Adam 1e-3; EMA momentum 0.996. bench/torch_bench.py builds the same.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../../lib/random";
import { LayerOptions, Params, Workload, adam, bias, conv, dense, disposeAll, layerDefaults, trainStep, weight } from "./common";

/** Sizes of workload (b); smaller values make a quick test model. */
export interface ConvJepaOptions extends LayerOptions {
  /** Examples per step. */
  batch: number;
  /** Image side (28). */
  image: number;
  /** Patch side (4): the grid is image/patch on a side. */
  patch: number;
  /** Feature channels. */
  channels: number;
  /** EMA momentum of the target encoder. */
  momentum: number;
}

/** The benchmark's sizes. */
export const convJepaDefaults: ConvJepaOptions = { ...layerDefaults, batch: 128, image: 28, patch: 4, channels: 64, momentum: 0.996 };

type Enc = { embedW: tf.Variable; embedB: tf.Variable; convW: tf.Variable[]; convB: tf.Variable[] };

function makeEncoder(params: Params, prefix: string, p2: number, c: number): Enc {
  return {
    embedW: weight(params, `${prefix}.embed.w`, [p2, c], p2),
    embedB: bias(params, `${prefix}.embed.b`, c),
    convW: [0, 1, 2].map((i) => weight(params, `${prefix}.conv${i}.w`, [3, 3, c, c], 9 * c)),
    convB: [0, 1, 2].map((i) => bias(params, `${prefix}.conv${i}.b`, c)),
  };
}

/** Patch embedding then three convs: patches [B, G, G, P*P] (already masked) -> [B, G, G, C]. */
function encode(e: Enc, patches: tf.Tensor4D, opts: LayerOptions): tf.Tensor4D {
  const [b, g, p2] = [patches.shape[0], patches.shape[1], patches.shape[3]];
  const c = e.embedW.shape[1] as number;
  let h = tf.reshape(dense(tf.reshape(patches, [b * g * g, p2]) as tf.Tensor2D, e.embedW as tf.Tensor2D, e.embedB as tf.Tensor1D, "linear", opts), [b, g, g, c]) as tf.Tensor4D;
  for (let i = 0; i < 3; i++) h = conv(h, e.convW[i] as tf.Tensor4D, e.convB[i] as tf.Tensor1D, i < 2 ? "relu" : "linear", opts);
  return h;
}

/** Builds workload (b) on the current backend with random data made once. */
export function convJepa(options: Partial<ConvJepaOptions> = {}): Workload {
  const o = { ...convJepaDefaults, ...options };
  const g = o.image / o.patch, p2 = o.patch * o.patch, c = o.channels;
  const params: Params = {};
  const online = makeEncoder(params, "enc", p2, c);
  const predW = [weight(params, "pred0.w", [3, 3, c + 1, c], 9 * (c + 1)), weight(params, "pred1.w", [3, 3, c, c], 9 * c)];
  const predB = [bias(params, "pred0.b", c), bias(params, "pred1.b", c)];
  const targetParams: Params = {};
  const target = makeEncoder(targetParams, "target", p2, c);
  const names = Object.keys(targetParams);
  names.forEach((n) => targetParams[n].assign(params[n.replace(/^target/, "enc")]));
  const images = tf.randomUniform([o.batch, o.image, o.image, 1], 0, 1, "float32", nextSeed("bench")) as tf.Tensor4D;
  const mask = tf.tidy(() => tf.cast(tf.less(tf.randomUniform([o.batch, g, g, 1], 0, 1, "float32", nextSeed("bench")), 0.5), "float32")) as tf.Tensor4D;
  const optimizer = adam(1e-3, o);
  const loss = () => tf.tidy(() => {
    // Patchify: [B, 28, 28, 1] -> [B, 7, 4, 7, 4] -> [B, 7, 7, 4, 4] -> [B, 7, 7, 16].
    const patches = tf.reshape(tf.transpose(tf.reshape(images, [o.batch, g, o.patch, g, o.patch]), [0, 1, 3, 2, 4]), [o.batch, g, g, p2]) as tf.Tensor4D;
    const goal = encode(target, patches, o); // no gradient reaches target variables (not in the var list)
    const ctx = encode(online, tf.mul(patches, tf.sub(1, mask)) as tf.Tensor4D, o);
    let h = conv(tf.concat([ctx, mask], 3), predW[0] as tf.Tensor4D, predB[0] as tf.Tensor1D, "relu", o);
    h = conv(h, predW[1] as tf.Tensor4D, predB[1] as tf.Tensor1D, "linear", o);
    const err = tf.mul(tf.square(tf.sub(h, goal)), mask);
    return tf.div(tf.sum(err), tf.mul(tf.sum(mask), c)) as tf.Scalar;
  });
  const emaUpdate = () => tf.tidy(() => {
    for (const n of names) {
      const t = targetParams[n];
      t.assign(tf.add(tf.mul(t, o.momentum), tf.mul(params[n.replace(/^target/, "enc")], 1 - o.momentum)));
    }
  });
  const rows = o.batch * g * g;
  const encMacs = rows * (p2 * c + 3 * 9 * c * c);
  const predMacs = rows * (9 * (c + 1) * c + 9 * c * c);
  return {
    name: "conv-jepa",
    batch: o.batch,
    flopsPerStep: 2 * (3 * (encMacs + predMacs) + encMacs), // online trained (x3) + target forward (x1)
    step: () => {
      const v = trainStep(optimizer, params, loss);
      emaUpdate();
      return v;
    },
    dispose: () => { disposeAll(params, optimizer, [images, mask]); tf.dispose(Object.values(targetParams)); },
  };
}
