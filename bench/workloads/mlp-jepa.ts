/**
 * Workload (a): the MLP state-transition JEPA of notebooks/03-mini-jepa.ipynb.
 * obs 16x16x1 flattened (256) -> encoder MLP 256-256-256-32 (ReLU); predictor MLP on
 * concat(z_t 32, action 2) -> 256 -> 256 -> 32; loss = 25 * MSE(pred(z_t, a), z_{t+1})
 * + VICReg (std 25, cov 1) on both embeddings; batch 256; Adam 1e-3.
 * bench/torch_bench.py builds the same model in PyTorch.
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../../lib/random";
import { LayerOptions, Params, Workload, adam, disposeAll, layerDefaults, mlp, mlpFlops, trainStep, vicregTerms } from "./common";

/** Sizes of workload (a); smaller values make a quick test model. */
export interface MlpJepaOptions extends LayerOptions {
  /** Examples per step. */
  batch: number;
  /** Flattened observation size (16x16x1 = 256). */
  obs: number;
  /** Hidden width of encoder and predictor. */
  hidden: number;
  /** Embedding size. */
  latent: number;
  /** Action size. */
  action: number;
}

/** The benchmark's sizes. */
export const mlpJepaDefaults: MlpJepaOptions = { ...layerDefaults, batch: 256, obs: 256, hidden: 256, latent: 32, action: 2 };

/** Builds workload (a) on the current backend with random data made once. */
export function mlpJepa(options: Partial<MlpJepaOptions> = {}): Workload {
  const o = { ...mlpJepaDefaults, ...options };
  const params: Params = {};
  const encSizes = [o.obs, o.hidden, o.hidden, o.latent];
  const predSizes = [o.latent + o.action, o.hidden, o.hidden, o.latent];
  const encoder = mlp(params, "enc", encSizes);
  const predictor = mlp(params, "pred", predSizes);
  const obs = tf.randomUniform([2 * o.batch, o.obs], 0, 1, "float32", nextSeed("bench")) as tf.Tensor2D; // [obs_t; obs_t+1]
  const act = tf.randomUniform([o.batch, o.action], -1, 1, "float32", nextSeed("bench")) as tf.Tensor2D;
  const optimizer = adam(1e-3, o);
  const loss = () => tf.tidy(() => {
    const z = encoder(obs, o); // [2B, latent], both time steps in one pass
    const [zt, zt1] = tf.split(z, 2, 0) as [tf.Tensor2D, tf.Tensor2D];
    const pred = predictor(tf.concat([zt, act], 1), o); // [B, latent]
    const sim = tf.mean(tf.squaredDifference(pred, zt1));
    const a = vicregTerms(zt), b = vicregTerms(zt1);
    const std = tf.div(tf.add(a.std, b.std), 2);
    const cov = tf.add(a.cov, b.cov);
    return tf.addN([tf.mul(25, sim), tf.mul(25, std), cov]) as tf.Scalar;
  });
  const forward = 2 * o.batch * mlpFlops(encSizes) + o.batch * mlpFlops(predSizes) + 2 * 2 * o.batch * o.latent * o.latent;
  return {
    name: "mlp-jepa",
    batch: o.batch,
    flopsPerStep: 3 * forward,
    step: () => trainStep(optimizer, params, loss),
    dispose: () => disposeAll(params, optimizer, [obs, act]),
  };
}
