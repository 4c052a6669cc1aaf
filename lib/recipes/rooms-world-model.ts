/**
 * The low-level world model of notebooks/09-hierarchical-planning.ipynb: a JEPA like notebook 03's
 * mini JEPA (MLP encoder of the image, action-conditioned predictor unrolled over a window, VICReg),
 * trained on the row of rooms (lib/data/row-of-rooms.ts). Its images are not square, so the encoder
 * is built here; the recipe is notebook 03's (random-walk episodes, windows, cosine learning rate).
 * Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 *   encoder    o [B, H, W, 1] -> z [B, D]          MLP H*W -> encoderHidden -> D
 *   predictor  (z_t, a_t) -> z_t + f(z_t, s a_t)    MLP (D+A) -> hidden -> D, last layer starts at 0
 *
 * Episodes are kept as states (a few MB), and each batch renders its windows on the fly: the images
 * of 4000 episodes would take 400 MB.
 *
 *   const { model, source } = await roomsWorldModel();     // the shipped checkpoint, or trained here
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { RowOfRooms, RowOfRoomsOptions, RowOfRoomsPaths } from "../data/row-of-rooms";
import { effectiveRank } from "../eval/effective-rank";
import { ridgeProbe } from "../eval/ridge-probe";
import { actionPredictor } from "../models/action-predictor";
import { mlp } from "../models/mlp";
import { transitionJepa, TransitionJepa, TrajectoryBatch } from "../models/transition-jepa";
import { pick } from "../quick";
import { getSeed, hashString, mulberry32 } from "../random";
import { checkNumber, checkSizes, withDefaults } from "../check";
import { Row } from "../table/row";
import { loadCheckpoint, readCheckpoint, saveCheckpoint } from "../train/checkpoint";
import { cosineLr } from "../train/schedule";
import { train, TrainResult } from "../train/train";

/** Options of `roomsJepa`. */
export interface RoomsJepaOptions {
  /** Options of the world the images come from (its image shape sizes the encoder). Default {}. */
  world?: Partial<RowOfRoomsOptions>;
  /** Embedding width D. Default 32. */
  embedDim?: number;
  /** Hidden layer sizes of the encoder. Default [256, 256]. */
  encoderHidden?: number[];
  /** Hidden layer sizes of the predictor (planners call it thousands of times a step: keep it small). Default [128, 128]. */
  hidden?: number[];
  /** Actions are multiplied by this inside the predictor (1 / maxStep maps a step to norm <= 1). Default 1 / maxStep. */
  actionScale?: number;
  /** VICReg weights. Default { sim: 25, std: 25, cov: 1 }. */
  vicreg?: { sim?: number; std?: number; cov?: number };
}

/** Default options of `roomsJepa` (actionScale defaults to 1 / world.maxStep). */
export const roomsJepaDefaults = { world: {}, embedDim: 32, encoderHidden: [256, 256], hidden: [128, 128], vicreg: { sim: 25, std: 25, cov: 1 } };

/** The world model: a `TransitionJepa` that remembers its options (saved with its checkpoint). */
export interface RoomsJepa extends TransitionJepa {
  readonly options: Required<RoomsJepaOptions>;
}

/** Builds the world model for the row of rooms. */
export function roomsJepa(opts: RoomsJepaOptions = {}): RoomsJepa {
  const where = "roomsJepa";
  const world = new RowOfRooms(opts.world ?? {});
  const merged = withDefaults({ ...roomsJepaDefaults, actionScale: 1 / world.opts.maxStep }, opts, where);
  const o: Required<RoomsJepaOptions> = { ...merged, vicreg: { ...roomsJepaDefaults.vicreg, ...opts.vicreg } };
  const D = checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.actionScale", o.actionScale, { min: 0, exclusiveMin: true });
  for (const k of ["encoderHidden", "hidden"] as const) checkSizes(where, `opts.${k}`, o[k]);
  const pixels = world.imageHeight * world.imageWidth;
  const encoder = mlp([pixels, ...o.encoderHidden, D], { name: "encoder" });
  const inner = actionPredictor({ embedDim: D, actionDim: 2, hidden: o.hidden, name: "predictor" });
  tf.tidy(() => inner.variables().slice(-2).forEach((v) => v.assign(tf.zerosLike(v)))); // starts at z' = z
  const predictor = { ...inner, apply: (z: tf.Tensor, a: tf.Tensor) => inner.apply(z, tf.mul(a, o.actionScale)) }; // [B, D]
  const model = transitionJepa({ encoder, predictor, regularizer: "vicreg", vicreg: o.vicreg });
  return Object.assign(model, { name: "rooms-jepa", options: o });
}

/** The training recipe of the world model. */
export interface RoomsRecipe {
  /** Training episodes (random walks, 20% starting near a door). Default 4000. */
  episodes: number;
  /** Steps per episode. Default 24. */
  episodeLength: number;
  /** Steps unrolled per training example. Default 12. */
  window: number;
  /** Windows per batch. Default 64. */
  batchSize: number;
  /** Optimiser steps. Default 2500. */
  steps: number;
  /** Peak learning rate (cosine decay after warm-up). Default 1e-3. */
  lr: number;
  /** Warm-up steps. Default 200. */
  warmup: number;
  /** Held-out episodes for the probe and the rank. Default 200. */
  evalEpisodes: number;
}

/** The full recipe (what the shipped checkpoint was trained with). */
export const roomsRecipeDefaults: RoomsRecipe = { episodes: 4000, episodeLength: 24, window: 12, batchSize: 64, steps: 2500, lr: 1e-3, warmup: 200, evalEpisodes: 200 };

/** A QUICK-sized recipe (CI, or a missing checkpoint in QUICK mode): under a minute. */
export const roomsRecipeQuick: Partial<RoomsRecipe> = { episodes: 400, window: 6, steps: 150, warmup: 20, evalEpisodes: 40 };

/** Episodes of the recipe as states and actions (no images). */
export interface RoomsData {
  world: RowOfRooms;
  train: RowOfRoomsPaths;
  test: RowOfRoomsPaths;
}

/** Training and held-out random walks (20% of them start near a door, so crossings are common). */
export function roomsData(world: RowOfRooms, recipe: RoomsRecipe): RoomsData {
  return {
    world,
    train: world.paths(recipe.episodes, recipe.episodeLength, undefined, { nearDoor: 0.2 }),
    test: world.paths(recipe.evalEpisodes, recipe.episodeLength, undefined, { nearDoor: 0.2 }),
  };
}

/**
 * The batch function for `train`: `batchSize` random windows of `window` steps, rendered now:
 * { obs [B, W+1, H, W, 1], actions [B, W, 2] }. Depends only on the seed and the step.
 */
export function roomsBatches(data: RoomsData, recipe: RoomsRecipe): (step: number) => TrajectoryBatch {
  const { batchSize: B, window: W } = recipe;
  const { states, actions } = data.train;
  const L = actions[0].length;
  if (W > L) throw new Error(`roomsBatches: recipe.window (${W}) must be at most the episodes' length (${L})`);
  return (step: number) => {
    const r = mulberry32(hashString(`${getSeed()}:rooms:batches:${step}`));
    const frames: number[][] = [];
    const acts: number[][] = [];
    for (let b = 0; b < B; b++) {
      const ep = Math.floor(r() * states.length);
      const t0 = Math.floor(r() * (L - W + 1));
      frames.push(...states[ep].slice(t0, t0 + W + 1));
      acts.push(...actions[ep].slice(t0, t0 + W));
    }
    return tf.tidy(() => ({
      obs: data.world.render(frames).reshape([B, W + 1, ...data.world.imageShape]), // [B, W+1, H, W, 1]
      actions: tf.tensor3d(acts.flat(), [B, W, 2]), // [B, W, 2]
    }));
  };
}

/** Encodes states through their images, in chunks: [N][2] -> [N][D] (nothing leaks). */
export function encodeStates(model: TransitionJepa, world: RowOfRooms, states: number[][], chunk = 512): number[][] {
  const out: number[][] = [];
  for (let i = 0; i < states.length; i += chunk) {
    const z = tf.tidy(() => model.encode(world.render(states.slice(i, i + chunk))));
    out.push(...(z.arraySync() as number[][]));
    z.dispose();
  }
  return out;
}

/**
 * Position probe R² (ridge, fitted on half the held-out episodes, scored on the other half) and the
 * effective rank of the held-out embeddings.
 */
export function roomsMetrics(model: TransitionJepa, data: RoomsData): { probeR2: number; effectiveRank: number } {
  const eps = data.test.states;
  const half = Math.floor(eps.length / 2);
  const fit = eps.slice(0, half).flat();
  const held = eps.slice(half).flat();
  const zFit = encodeStates(model, data.world, fit);
  const zHeld = encodeStates(model, data.world, held);
  const probe = ridgeProbe(zFit, fit, zHeld, held);
  return { probeR2: round(probe.r2), effectiveRank: round(effectiveRank(zHeld)) };
}

/** Options of `trainRoomsJepa`. */
export interface TrainRoomsOptions {
  /** Recipe fields to change. Default {} (the full recipe). */
  recipe?: Partial<RoomsRecipe>;
  /** Model options. Default {}. */
  model?: RoomsJepaOptions;
  /** Training checkpoint (resumed when present). Default none. */
  checkpoint?: string;
  /** Chart title. */
  title?: string;
  /** Progress bar and live chart. Default true. */
  progress?: boolean;
}

/** Trains the world model with the recipe; returns it with the training result and final metrics. */
export async function trainRoomsJepa(opts: TrainRoomsOptions = {}): Promise<{ model: RoomsJepa; run: TrainResult; metrics: { probeR2: number; effectiveRank: number } }> {
  const recipe: RoomsRecipe = withDefaults(roomsRecipeDefaults, opts.recipe, "trainRoomsJepa");
  const model = roomsJepa(opts.model);
  const world = new RowOfRooms(model.options.world);
  const data = roomsData(world, recipe);
  const show = opts.progress ?? true;
  const run = await train(model, {
    steps: recipe.steps, batch: roomsBatches(data, recipe), lr: cosineLr({ lr: recipe.lr, steps: recipe.steps, warmup: Math.min(recipe.warmup, recipe.steps) }),
    evaluate: () => roomsMetrics(model, data), checkpoint: opts.checkpoint, title: opts.title ?? "World model of the row of rooms",
    progress: show, chart: show ? undefined : false,
  });
  return { model, run, metrics: roomsMetrics(model, data) };
}

/** The shipped world model (trained with the full recipe by scripts/train-rooms-world-model.ts). */
export const roomsWorldModelCheckpoint = path.join("data", "checkpoints", "09-world-model.json");

/** Saves the world model for `loadRoomsJepa`: variables and options, no optimiser state (small). */
export async function saveRoomsJepa(model: RoomsJepa, file: string, extra: { step?: number; history?: Row[]; meta?: Record<string, unknown> } = {}): Promise<void> {
  if (!model || !model.options || typeof model.stateVariables !== "function") throw new TypeError("saveRoomsJepa: model must be built by roomsJepa()");
  await saveCheckpoint(file, { model: model.name, step: extra.step ?? 0, variables: model.stateVariables(), history: extra.history ?? [], meta: { ...extra.meta, options: model.options } });
}

/** A world model from a checkpoint, rebuilt with the options saved in it (`meta.options`). */
export async function loadRoomsJepa(file: string = roomsWorldModelCheckpoint): Promise<RoomsJepa> {
  const saved = (readCheckpoint(file).meta.options ?? {}) as RoomsJepaOptions;
  const model = roomsJepa(saved);
  await loadCheckpoint(file, model.stateVariables!(), { restoreRandom: false });
  return model;
}

/**
 * The world model notebook 09 plans with: the shipped checkpoint, or, when it is missing, one
 * trained on the spot (QUICK-sized in QUICK mode, so its plans are not the lesson's).
 */
export async function roomsWorldModel(file: string = roomsWorldModelCheckpoint): Promise<{ model: RoomsJepa; source: string }> {
  if (fs.existsSync(file)) return { model: await loadRoomsJepa(file), source: `loaded ${file}` };
  const { model, run } = await trainRoomsJepa({ recipe: pick(roomsRecipeQuick, {}), title: `Training the world model (${file} is missing)` });
  return { model, source: `trained here (${run.steps} steps; ${file} is missing)` };
}

function round(x: number): number {
  return Number(x.toPrecision(4));
}
