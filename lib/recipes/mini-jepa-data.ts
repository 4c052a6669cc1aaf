/**
 * The mini JEPA's data: Two Rooms episodes generated once (training and held-out), and the batches
 * `train` draws from them: windows of a few steps at random starts. Introduced in
 * notebooks/03-mini-jepa.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { TwoRooms, TwoRoomsTrajectories } from "../data/two-rooms";
import { windowSampler } from "../data/window-sampler";
import type { TrajectoryBatch } from "../models/transition-jepa";
import { MiniJepaRecipe, miniJepaRecipe } from "./mini-jepa-recipe";

/** Training and held-out data of the recipe. Call `dispose()` when done. */
export interface MiniJepaData {
  /** The world the episodes come from. */
  world: TwoRooms;
  /** Training episodes: obs [N, L+1, S, S, 1], actions [N, L, 2], states [N, L+1, 2]. */
  train: TwoRoomsTrajectories;
  /** Held-out episodes (never trained on): obs [M, E+1, S, S, 1], actions [M, E, 2], states [M, E+1, 2]. */
  test: TwoRoomsTrajectories;
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
  return {
    world, train, test, recipe: r,
    dispose: () => tf.dispose([train.obs, train.actions, train.states, test.obs, test.actions, test.states]),
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
  if (W > L) throw new Error(`miniJepaBatches: recipe.window (${W}) must be at most the data's episodeLength (${L})`);
  const sample = windowSampler({ obs: data.train.obs, actions: data.train.actions }, { stream: "mini-jepa:batches" });
  return (step: number) => sample(B, W, step) as TrajectoryBatch; // obs [B, W+1, S, S, 1], actions [B, W, 2]
}

