/**
 * Random training windows from trajectories: `T+1` consecutive observations (and the `T` actions
 * between them) from a random clip at a random start. The batches the world models of
 * notebooks/01-autoregressive-contrast.ipynb and 02-energy-and-collapse.ipynb train on; T can change
 * from step to step (a curriculum of longer unrolls). Draws from the stream `rng(opts.stream)`
 * (default "batches"), so `setSeed` fixes the sequence of batches; or, when the caller passes the
 * training step, from a generator keyed by (seed, stream, step) alone, so a batch does not depend on
 * what was drawn before (a resumed run, or a look at one batch, sees the same batches).
 */
import * as tf from "@tensorflow/tfjs";
import { getSeed, hashString, mulberry32, randInt, rng } from "../random";
import { checkNumber } from "../check";

/** Options of `windowSampler`. */
export interface WindowSamplerOptions {
  /** Random stream name. Default "batches". */
  stream?: string;
}

/** A batch of windows: obs [B, T+1, ...obsShape], actions [B, T, A] when the data has actions. */
export interface WindowBatch {
  obs: tf.Tensor;
  actions?: tf.Tensor3D;
}

/**
 * From `data.obs` [N, P, ...obsShape] (P observations per clip) and optional `data.actions`
 * [N, P-1, A], returns `(batch, T, step?) => { obs: [batch, T+1, ...], actions?: [batch, T, A] }` with
 * 1 <= T <= P-1. The returned tensors are new (dispose them, or let `train` free them).
 */
export function windowSampler(data: { obs: tf.Tensor; actions?: tf.Tensor }, opts: WindowSamplerOptions = {}): (batch: number, T: number, step?: number) => WindowBatch {
  const where = "windowSampler";
  const obs = data?.obs;
  if (!(obs instanceof tf.Tensor) || obs.rank < 3) {
    throw new Error(`${where}: data.obs must be a tf.Tensor [N, P, ...obsShape], received ${obs instanceof tf.Tensor ? `[${obs.shape.join(", ")}]` : typeof obs}`);
  }
  const [N, P] = obs.shape;
  const rest = obs.shape.slice(2);
  const acts = data.actions;
  if (acts !== undefined && (!(acts instanceof tf.Tensor) || acts.rank !== 3 || acts.shape[0] !== N || acts.shape[1] !== P - 1)) {
    throw new Error(`${where}: data.actions must be [N=${N}, P-1=${P - 1}, A], received ${acts instanceof tf.Tensor ? `[${acts.shape.join(", ")}]` : typeof acts}`);
  }
  const stream = opts.stream ?? "batches";
  return (batch: number, T: number, step?: number) => {
    checkNumber(where, "batch", batch, { min: 1, integer: true });
    checkNumber(where, "T", T, { min: 1, max: P - 1, integer: true });
    if (step !== undefined) checkNumber(where, "step", step, { min: 0, integer: true });
    const r = step === undefined ? rng(stream) : mulberry32(hashString(`${getSeed()}:${stream}:${step}`));
    const obsIdx: number[] = [];
    const actIdx: number[] = [];
    for (let b = 0; b < batch; b++) {
      const clip = randInt(r, N);
      const start = randInt(r, P - T);
      for (let t = 0; t <= T; t++) obsIdx.push(clip * P + start + t);
      for (let t = 0; t < T; t++) actIdx.push(clip * (P - 1) + start + t);
    }
    return tf.tidy(() => {
      const o = tf.gather(obs.reshape([N * P, ...rest]), obsIdx).reshape([batch, T + 1, ...rest]); // [B, T+1, ...]
      if (!acts) return { obs: o };
      const A = acts.shape[2] as number;
      const a = tf.gather(acts.reshape([N * (P - 1), A]), actIdx).reshape([batch, T, A]) as tf.Tensor3D; // [B, T, A]
      return { obs: o, actions: a };
    });
  };
}
