/**
 * The training recipe of the mini JEPA, shared by notebooks/03-mini-jepa.ipynb and `npm run train`
 * (scripts/train.ts), so both train exactly the same model on the same data: Two Rooms episodes
 * generated once, windows of a few steps sampled per batch with tf.gather, an evaluation of
 * effective rank and position-probe R² on held-out episodes, and the final metrics with the
 * three targets. Introduced in notebooks/03-mini-jepa.ipynb.
 *
 *   const recipe = miniJepaRecipe({ steps: 200 });           // QUICK-sized run
 *   const data = miniJepaData(recipe);
 *   const model = miniJepa(recipe.model);
 *   await train(model, { steps: recipe.steps, batch: miniJepaBatches(data, recipe), lr: miniJepaLr(recipe),
 *                        evaluate: miniJepaEvaluator(model, data) });
 *   const m = miniJepaMetrics(model, data);                   // probe R², rank, rollout errors, targets
 */
import * as tf from "@tensorflow/tfjs";
import { effectiveRank } from "../eval/effective-rank";
import { ridgeProbe, RidgeProbeResult } from "../eval/ridge-probe";
import { rolloutProbeError, RolloutProbeRow } from "../eval/rollout-probe";
import { TwoRooms, TwoRoomsOptions, TwoRoomsTrajectories } from "../data/two-rooms";
import type { MiniJepaOptions } from "../models/mini-jepa";
import type { TransitionJepa, TrajectoryBatch } from "../models/transition-jepa";
import { getSeed, hashString, mulberry32 } from "../random";
import { checkNumber } from "../shape";
import { cosineLr, Schedule } from "./schedule";

/** Options of the recipe (`miniJepaRecipe` fills in the defaults). */
export interface MiniJepaRecipe {
  /** Training episodes generated up front. Default 3000. */
  episodes: number;
  /** Steps per generated episode (each has length + 1 frames). Default 24. */
  episodeLength: number;
  /** Steps unrolled per training example (a window of the episode); rollouts learn from this. Default 12. */
  window: number;
  /** Episodes (windows) per batch. Default 64. */
  batchSize: number;
  /** Optimiser steps. Default 6000. */
  steps: number;
  /** Peak learning rate (cosine decay after a linear warm-up). Default 1e-3. */
  lr: number;
  /** Warm-up steps. Default 200. */
  warmup: number;
  /** Rescale gradients whose global norm exceeds this (0: never). Default 0. */
  clipNorm: number;
  /** Held-out episodes for the probe, the rank and the rollouts. Default 300. */
  evalEpisodes: number;
  /** Steps per held-out episode (the longest rollout horizon). Default 20. */
  evalLength: number;
  /** Rollout horizons reported by `miniJepaMetrics`. Default [1, 5, 10, 20]. */
  horizons: number[];
  /** Model options (see `miniJepa`). Default {} (the model's defaults). */
  model: MiniJepaOptions;
  /** World options (see `TwoRooms`). Default {} (16×16 images). */
  world: Partial<TwoRoomsOptions>;
}

/**
 * Default recipe: the full run (6000 steps, ~7 CPU minutes of training with the wasm backend; 16
 * minutes wall on the shared 2-core machine). What was measured while choosing it (seed 1, held-out
 * probe R² / effective rank / rollout error at 1 and 10 steps / ratio):
 *   window 8,  2000 steps:               0.996 / 12.5 / 0.025, 0.062 / 2.53
 *   window 8,  2000 steps, lr 2e-3:      0.997 / 12.0 / 0.022, 0.057 / 2.56
 *   window 8,  2000 steps, VICReg sim 50: 0.993 /  9.1 / 0.028, 0.058 / 2.05
 *   window 8,  2000 steps, actions ×12.5: 0.992 / 16.9 / 0.034, 0.054 / 1.59 (worse probe floor)
 *   window 12, 2000 steps:               0.996 / 10.7 / 0.026, 0.054 / 2.07
 *   window 16, 4000 steps:               0.996 / 13.1 / 0.025, 0.053 / 2.14
 *   window 12, 6000 steps:               0.998 / 14.8 / 0.025, 0.041 / 1.62 (this recipe; 0.997 / 14.4 / 0.022, 0.040 / 1.86 in `npm run train`)
 * Without the zero-initialised predictor the 8-step unroll explodes at the start (loss ~1e4).
 */
export const miniJepaRecipeDefaults: MiniJepaRecipe = {
  episodes: 3000, episodeLength: 24, window: 12, batchSize: 64, steps: 6000, lr: 1e-3, warmup: 200, clipNorm: 0,
  evalEpisodes: 300, evalLength: 20, horizons: [1, 5, 10, 20], model: {}, world: {},
};

/** The QUICK-mode recipe (CI, a first look): about a minute. */
export const miniJepaQuick: Partial<MiniJepaRecipe> = { episodes: 400, window: 8, steps: 150, warmup: 30, evalEpisodes: 100 };

/** The targets of the full run, checked by `miniJepaMetrics`. */
export const miniJepaTargets = {
  /** Position-probe R² on held-out states, at least. */
  probeR2: 0.95,
  /** Effective rank (RankMe) of held-out embeddings, at least. */
  effectiveRank: 8,
  /** 10-step rollout probe error / 1-step error, at most. */
  rolloutRatio: 2,
};

/** The recipe with defaults filled in and checked. */
export function miniJepaRecipe(opts: Partial<MiniJepaRecipe> = {}): MiniJepaRecipe {
  const where = "miniJepaRecipe";
  const r: MiniJepaRecipe = { ...miniJepaRecipeDefaults, ...dropUndefined(opts) };
  for (const k of ["episodes", "episodeLength", "window", "batchSize", "steps", "evalEpisodes", "evalLength"] as const) {
    checkNumber(where, `opts.${k}`, r[k], { min: 1, integer: true });
  }
  checkNumber(where, "opts.warmup", r.warmup, { min: 0, integer: true });
  checkNumber(where, "opts.lr", r.lr, { min: 0, exclusiveMin: true });
  checkNumber(where, "opts.clipNorm", r.clipNorm, { min: 0 });
  checkNumber(where, "opts.window", r.window, { min: 1, max: r.episodeLength, integer: true });
  checkNumber(where, "opts.batchSize", r.batchSize, { min: 2, integer: true });
  checkNumber(where, "opts.evalEpisodes", r.evalEpisodes, { min: 4, integer: true });
  if (!Array.isArray(r.horizons) || r.horizons.length === 0) throw new TypeError(`${where}: opts.horizons must be a non-empty number[], received ${JSON.stringify(r.horizons)}`);
  r.horizons.forEach((h, i) => checkNumber(where, `opts.horizons[${i}]`, h, { min: 1, max: r.evalLength, integer: true }));
  return r;
}

/** Training and held-out data of the recipe. Call `dispose()` when done. */
export interface MiniJepaData {
  /** The world the episodes come from. */
  world: TwoRooms;
  /** Training episodes: obs [N, L+1, S, S, 1], actions [N, L, 2], states [N, L+1, 2]. */
  train: TwoRoomsTrajectories;
  /** Held-out episodes (never trained on): obs [M, E+1, S, S, 1], actions [M, E, 2], states [M, E+1, 2]. */
  test: TwoRoomsTrajectories;
  /** Training frames flattened for gathering windows: [N * (L+1), S, S, 1]. */
  frames: tf.Tensor4D;
  /** Training actions flattened: [N * L, 2]. */
  flatActions: tf.Tensor2D;
  /** The recipe the data was made for. */
  recipe: MiniJepaRecipe;
  /** Frees every tensor. */
  dispose(): void;
}

/**
 * Generates the training and held-out episodes once (persistent random walks, from the
 * `data:two-rooms` stream: `setSeed` first for the same data).
 */
export function miniJepaData(recipe: MiniJepaRecipe = miniJepaRecipe()): MiniJepaData {
  const r = miniJepaRecipe(recipe);
  const world = new TwoRooms(r.world);
  const train = world.trajectories(r.episodes, r.episodeLength);
  const test = world.trajectories(r.evalEpisodes, r.evalLength);
  const S = world.size;
  const frames = train.obs.reshape([r.episodes * (r.episodeLength + 1), S, S, 1]) as tf.Tensor4D;
  const flatActions = train.actions.reshape([r.episodes * r.episodeLength, 2]) as tf.Tensor2D;
  return {
    world, train, test, frames, flatActions, recipe: r,
    dispose: () => tf.dispose([train.obs, train.actions, train.states, test.obs, test.actions, test.states, frames, flatActions]),
  };
}

/**
 * The batch function for `train`: batch(step) draws `batchSize` training episodes and a random
 * window of `window` steps in each, gathered from the long-lived data:
 * { obs [B, W+1, S, S, 1], actions [B, W, 2] }. The draw depends only on the seed and the step, so
 * looking at a batch does not change training, and a resumed run sees the same batches.
 */
export function miniJepaBatches(data: MiniJepaData, recipe: MiniJepaRecipe = data.recipe): (step: number) => TrajectoryBatch {
  const { batchSize: B, window: W } = recipe;
  const L = data.recipe.episodeLength;
  const N = data.recipe.episodes;
  if (W > L) throw new Error(`miniJepaBatches: recipe.window (${W}) must be at most the data's episodeLength (${L})`);
  const S = data.world.size;
  return (step: number) => {
    const r = mulberry32(hashString(`${getSeed()}:mini-jepa:batches:${step}`));
    const frameIdx: number[] = [];
    const actionIdx: number[] = [];
    for (let b = 0; b < B; b++) {
      const ep = Math.floor(r() * N);
      const t0 = Math.floor(r() * (L - W + 1));
      for (let k = 0; k <= W; k++) frameIdx.push(ep * (L + 1) + t0 + k);
      for (let k = 0; k < W; k++) actionIdx.push(ep * L + t0 + k);
    }
    return tf.tidy(() => ({
      obs: tf.gather(data.frames, tf.tensor1d(frameIdx, "int32")).reshape([B, W + 1, S, S, 1]), // [B, W+1, S, S, 1]
      actions: tf.gather(data.flatActions, tf.tensor1d(actionIdx, "int32")).reshape([B, W, 2]) as tf.Tensor3D, // [B, W, 2]
    }));
  };
}

/** The learning-rate schedule of the recipe: linear warm-up, then cosine decay. */
export function miniJepaLr(recipe: MiniJepaRecipe): Schedule {
  return cosineLr({ lr: recipe.lr, steps: recipe.steps, warmup: Math.min(recipe.warmup, recipe.steps) });
}

/** Embeddings of every held-out frame [M * (E+1), D] with the true states [M * (E+1)][2], and the probe split. */
export interface HeldOutEmbeddings {
  /** Embeddings of the held-out frames, episode-major: [M * (E+1), D]. */
  z: number[][];
  /** True states of those frames. */
  states: number[][];
  /** Row indices of the probe's training frames (the first half of the held-out episodes). */
  fitRows: number[];
  /** Row indices of the probe's test frames (the other half: other episodes, never fitted on). */
  testRows: number[];
}

/** Encodes the held-out frames (in chunks, no tensor escapes) and splits them by episode for the probe. */
export function heldOutEmbeddings(model: TransitionJepa, data: MiniJepaData): HeldOutEmbeddings {
  const [M, E1] = data.test.obs.shape;
  const S = data.world.size;
  const flat = data.test.obs.reshape([M * E1, S, S, 1]);
  const z: number[][] = [];
  const chunk = 1024;
  for (let i = 0; i < M * E1; i += chunk) {
    const n = Math.min(chunk, M * E1 - i);
    const part = tf.tidy(() => model.encode(flat.slice([i, 0, 0, 0], [n, S, S, 1]))); // [n, D]
    z.push(...(part.arraySync() as number[][]));
    part.dispose();
  }
  flat.dispose();
  const states = (data.test.states.arraySync() as number[][][]).flat();
  const half = Math.floor(M / 2);
  const rows = Array.from({ length: M * E1 }, (_, i) => i);
  return { z, states, fitRows: rows.filter((i) => Math.floor(i / E1) < half), testRows: rows.filter((i) => Math.floor(i / E1) >= half) };
}

/** A position probe (ridge) fitted on half the held-out episodes, scored on the other half. */
export function positionProbe(h: HeldOutEmbeddings): RidgeProbeResult {
  const pick = (rows: number[], a: number[][]) => rows.map((i) => a[i]);
  return ridgeProbe(pick(h.fitRows, h.z), pick(h.fitRows, h.states), pick(h.testRows, h.z), pick(h.testRows, h.states));
}

/**
 * The `evaluate` function for `train`: effective rank of the held-out embeddings and the
 * position-probe R² on held-out episodes.
 */
export function miniJepaEvaluator(model: TransitionJepa, data: MiniJepaData): (step: number) => Record<string, number> {
  return () => {
    const h = heldOutEmbeddings(model, data);
    return { probeR2: round(positionProbe(h).meanR2), effectiveRank: round(effectiveRank(h.z)) };
  };
}

/** One target: its value, the bound and whether it is met. */
export interface TargetCheck {
  metric: string;
  value: number;
  target: string;
  met: boolean;
}

/** What `miniJepaMetrics` returns. */
export interface MiniJepaMetrics {
  /** Position-probe R² on held-out episodes (mean over x and y). */
  probeR2: number;
  /** Effective rank (RankMe) of the held-out embeddings. */
  effectiveRank: number;
  /** Rollout probe error per horizon (mean distance to the true position, in room units). */
  rollout: RolloutProbeRow[];
  /** 10-step rollout error / 1-step rollout error (min(10, evalLength) steps). */
  rolloutRatio: number;
  /** The three targets, checked. */
  targets: TargetCheck[];
  /** The fitted probe (weights, bias, test predictions). */
  probe: RidgeProbeResult;
}

/**
 * Final metrics: probe R² and effective rank on the held-out episodes, and the rollout probe error
 * at `recipe.horizons` on the held-out episodes the probe was not fitted on.
 */
export function miniJepaMetrics(model: TransitionJepa, data: MiniJepaData): MiniJepaMetrics {
  const h = heldOutEmbeddings(model, data);
  const probe = positionProbe(h);
  const rank = effectiveRank(h.z);
  const M = data.test.obs.shape[0];
  const half = Math.floor(M / 2);
  const part = (t: tf.Tensor) => t.slice([half], [M - half]);
  const [obs, actions, states] = [part(data.test.obs), part(data.test.actions) as tf.Tensor3D, part(data.test.states) as tf.Tensor3D];
  const far = Math.min(10, data.recipe.evalLength); // the target compares 10 steps with 1 (fewer if the episodes are shorter)
  const horizons = [...new Set([1, far, ...data.recipe.horizons])].sort((a, b) => a - b);
  let rows: RolloutProbeRow[];
  try {
    rows = rolloutProbeError({ encode: model.encode, predict: model.predict, probe, obs, actions, states, horizons });
  } finally {
    tf.dispose([obs, actions, states]);
  }
  const at = (k: number) => rows.find((r) => r.horizon === k)!.error;
  const ratio = at(far) / at(1);
  const t = miniJepaTargets;
  return {
    probeR2: probe.meanR2,
    effectiveRank: rank,
    rollout: rows.filter((r) => data.recipe.horizons.includes(r.horizon)),
    rolloutRatio: ratio,
    probe,
    targets: [
      { metric: "probe R² (held-out)", value: round(probe.meanR2), target: `≥ ${t.probeR2}`, met: probe.meanR2 >= t.probeR2 },
      { metric: "effective rank", value: round(rank), target: `≥ ${t.effectiveRank}`, met: rank >= t.effectiveRank },
      { metric: `rollout error ${far}-step / 1-step`, value: round(ratio), target: `≤ ${t.rolloutRatio}`, met: ratio <= t.rolloutRatio },
    ],
  };
}

function round(x: number): number {
  return Number(x.toPrecision(5));
}

function dropUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
