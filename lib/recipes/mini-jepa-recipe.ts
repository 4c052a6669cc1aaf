/**
 * The training recipe of the mini JEPA (notebook 03 and `npm run train` train exactly the same model
 * on the same data): how many episodes, windows of how many steps, batch size, steps, learning-rate
 * schedule, and the three targets of a full run. Introduced in notebooks/03-mini-jepa.ipynb.
 *
 *   const recipe = miniJepaRecipe({ steps: 200 });           // a short run
 *   const data = miniJepaData(recipe);                        // lib/recipes/mini-jepa-data.ts
 *   const model = miniJepa(recipe.model);                     // lib/recipes/mini-jepa.ts
 *   await train(model, { steps: recipe.steps, batch: miniJepaBatches(data), lr: miniJepaLr(recipe),
 *                        evaluate: miniJepaEvaluator(model, data) });
 *   const m = miniJepaMetrics(model, data);                   // probe R², rank, rollout errors, targets
 */
import { checkNumber, withDefaults } from "../check";
import type { TwoRoomsOptions } from "../data/two-rooms";
import { cosineLr, Schedule } from "../train/schedule";
import type { MiniJepaOptions } from "./mini-jepa";

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
  const r: MiniJepaRecipe = withDefaults(miniJepaRecipeDefaults, opts, where);
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


/** The learning-rate schedule of the recipe: linear warm-up, then cosine decay. */
export function miniJepaLr(recipe: MiniJepaRecipe): Schedule {
  return cosineLr({ lr: recipe.lr, steps: recipe.steps, warmup: Math.min(recipe.warmup, recipe.steps) });
}

