/**
 * The training recipe of notebook 07's masked video JEPA (the notebook, its solutions and the
 * shipped checkpoint data/checkpoints/07-masked-video-jepa.json use the same one): the normal clips
 * it learns from, windows of k frames, masks, batch size, steps and learning-rate schedule.
 * Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 *
 *   const recipe = videoJepaRecipe(QUICK ? videoJepaQuick : {});
 *   const windows = videoJepaData(recipe);                           // [W, k, 16, 16, 1]
 *   const model = maskedVideoJepa({ ...recipe.model, steps: recipe.steps });
 *   await train(model, { steps: recipe.steps, batch: videoBatches(windows, recipe.batches), lr: videoJepaLr(recipe) });
 *
 * What was measured while choosing it (prototype runs on the shared 2-core machine: teleport ratio,
 * detected / vanish ratio, detected, with the threshold at the 95th percentile of the same normal
 * clips; clips of each kind in brackets). The encoder is what mattered most:
 *   per-patch linear encoder + position, LN targets, 400 steps (60):        4.3x,  97% / 3.4x, 80%
 *   per-patch MLP encoder, variance + covariance terms, 1500 steps (100):   3.1x,  82% / 2.3x,  8%
 *   conv-and-mean encoder, variance + covariance terms, 600 steps (100):     26x,  99% /  20x, 96%
 *     ... the same (8 channels) at 1500 steps (200):                        7.1x,  85% / 5.2x, 50%
 *   conv-and-mean encoder, EMA alone, 1500 steps (200):                      12x,  97% / 8.5x, 81%
 *   conv-and-mean encoder, variance term only, 1500 steps (200):             71x, 100% /  54x, 90%
 *     ... with a 2-block tube in half the masks (this recipe) (200):         36x, 100% /  27x, 90%
 *     ... V-JEPA's 8-block tube in every mask, variance + covariance, 600 steps (100): 1.8x, 25% / 1.1x, 0%
 * (All masks also hide the newest frame; "newest frame only" masks gave the 71x.)
 */
import * as tf from "@tensorflow/tfjs";
import { bouncingShapes, BouncingShapesOptions } from "../data/bouncing-shapes";
import { frameWindows } from "../data/frame-windows";
import { VideoBatchOptions } from "../data/video-batches";
import { MaskedVideoJepaOptions } from "../models/masked-video-jepa";
import { checkNumber, withDefaults } from "../check";
import { cosineLr, Schedule } from "../train/schedule";

/** The recipe. */
export interface VideoJepaRecipe {
  /** Normal training clips generated up front. Default 1200. */
  clips: number;
  /** Frames per training clip (each gives clipFrames - k + 1 windows). Default 20. */
  clipFrames: number;
  /** Optimiser steps. Default 1500. */
  steps: number;
  /** Peak learning rate (cosine decay after a linear warm-up). Default 2e-3. */
  lr: number;
  /** Warm-up steps. Default 100. */
  warmup: number;
  /** Model options (see `maskedVideoJepa`); `frames` is k. Default {} (the model's defaults). */
  model: MaskedVideoJepaOptions;
  /** Batch and mask options (see `videoBatches`). Default {} (32 windows, a tube in half of them). */
  batches: Partial<VideoBatchOptions>;
  /** World options of the training clips (see `bouncingShapes`). Default {}. */
  world: Partial<BouncingShapesOptions>;
}

/** Default recipe: the full run. */
export const videoJepaRecipeDefaults: VideoJepaRecipe = {
  clips: 1200, clipFrames: 20, steps: 1500, lr: 2e-3, warmup: 100, model: {}, batches: {}, world: {},
};

/** The QUICK-mode recipe (CI, a first look): seconds of training, nothing learned yet. */
export const videoJepaQuick: Partial<VideoJepaRecipe> = { clips: 96, clipFrames: 12, steps: 60, warmup: 6 };

/** The recipe with defaults filled in and checked. */
export function videoJepaRecipe(opts: Partial<VideoJepaRecipe> = {}): VideoJepaRecipe {
  const where = "videoJepaRecipe";
  const r = withDefaults(videoJepaRecipeDefaults, opts, where);
  checkNumber(where, "opts.clips", r.clips, { min: 1, integer: true });
  checkNumber(where, "opts.clipFrames", r.clipFrames, { min: r.model.frames ?? 4, integer: true });
  checkNumber(where, "opts.steps", r.steps, { min: 1, integer: true });
  checkNumber(where, "opts.lr", r.lr, { min: 0, exclusiveMin: true });
  checkNumber(where, "opts.warmup", r.warmup, { min: 0, max: r.steps, integer: true });
  return r;
}

/** Every window of k frames of the recipe's normal training clips: [W, k, S, S, 1]. The caller disposes it. */
export function videoJepaData(recipe: VideoJepaRecipe): tf.Tensor5D {
  const c = bouncingShapes(recipe.clips, recipe.clipFrames, recipe.world);
  try {
    return frameWindows(c.frames, recipe.model.frames ?? 4).windows;
  } finally {
    tf.dispose([c.frames, c.positions]);
  }
}

/** The recipe's learning-rate schedule. */
export function videoJepaLr(recipe: VideoJepaRecipe): Schedule {
  return cosineLr({ lr: recipe.lr, steps: recipe.steps, warmup: recipe.warmup });
}
