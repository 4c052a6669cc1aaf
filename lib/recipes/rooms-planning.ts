/**
 * Notebook 09's set-up in two calls, for its solutions and exercises (the notebook writes each piece
 * out): `trainRoomsHighLevel` builds the high level of the row of rooms (its data, the high-level
 * encoder, the jump predictor, the landmark graph), and `roomsEvaluation` runs flat and hierarchical
 * planners on a set of tasks, one episode per task with the same seed, and tabulates them.
 * Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 *   const hl = await trainRoomsHighLevel(world, model, { nearDoor: 0 });
 *   const ev = roomsEvaluation(world, model);
 *   const eps = ev.hierarchical(tasks, { ...hl.planner, lowLevel: { samples: 32, ... }, replanEvery: 2 });
 */
import * as tf from "@tensorflow/tfjs";
import { withDefaults } from "../check";
import { RowOfRooms } from "../data/row-of-rooms";
import { highLevelEncoder, HighLevelEncoder } from "../models/high-level-encoder";
import { jumpPredictor, JumpPredictor, jumpTransitions, takeJumpBatch } from "../models/jump-predictor";
import { TransitionJepa } from "../models/transition-jepa";
import { Episode, summarizeEpisodes } from "../plan/episode";
import { HierarchicalEpisode, HierarchicalMpcOptions, runHierarchicalMpc } from "../plan/hierarchical";
import { jumpReach, landmarkGraph, LandmarkGraph } from "../plan/landmark-graph";
import { PlannerOptions, runMpc } from "../plan/mpc";
import { worldEnv } from "../plan/world-env";
import { rng, setSeed } from "../random";
import { Row } from "../table/row";
import { cosineLr } from "../train/schedule";
import { train, TrainResult } from "../train/train";
import { roomsHighLevelData, RoomsHighLevelData } from "./rooms-high-level";
import { encodeStates } from "./rooms-world-model";

/** Options of `trainRoomsHighLevel` (notebook 09's values by default). */
export interface RoomsHighLevelTraining {
  /** Exploration episodes. Default 2000. */
  episodes?: number;
  /** Steps per jump. Default 10. */
  k?: number;
  /** Share of episodes starting near a door. Default 0.5. */
  nearDoor?: number;
  /** Optimiser steps of the high-level encoder. Default 4000. */
  encoderSteps?: number;
  /** Optimiser steps of the jump predictor. Default 3000. */
  jumpSteps?: number;
  /** Chained jumps per training example of the jump predictor. Default 1. */
  jumps?: number;
  /** Remembered frames (landmarks): every (frames / landmarks)-th frame of the data. Default 1500. */
  landmarks?: number;
  /** A jump reaches a landmark when the predicted end is this close to it (in h). Default 0.03. */
  reachTol?: number;
  /** Finished runs to load instead of training (`pretrainedCheckpoint(...)`). Default none. */
  pretrained?: { encoder?: string; jump?: string };
  /** Training checkpoints (a finished one is resumed, i.e. reused). Default none. */
  checkpoints?: { encoder?: string; jump?: string };
  /** Progress bars and live charts. Default false. */
  progress?: boolean;
}

/** Default options of `trainRoomsHighLevel`. */
export const roomsHighLevelTrainingDefaults = { episodes: 2000, k: 10, nearDoor: 0.5, encoderSteps: 4000, jumpSteps: 3000, jumps: 1, landmarks: 1500, reachTol: 0.03, progress: false };

/** What `trainRoomsHighLevel` returns. `dispose()` frees the models and the data. */
export interface RoomsHighLevel {
  encoder: HighLevelEncoder;
  jump: JumpPredictor;
  data: RoomsHighLevelData;
  /** The landmark graph (edges: jumps the predictor says work both ways, radius k maxStep). */
  graph: LandmarkGraph;
  /** The planner's model options: abstract, graph, k, actionDim. */
  planner: Pick<HierarchicalMpcOptions, "abstract" | "graph" | "k" | "actionDim">;
  runs: { encoder: TrainResult; jump: TrainResult };
  dispose(): void;
}

/** Notebook 09's high level: data, high-level encoder, jump predictor (fourier 4, addMacro), landmark graph. */
export async function trainRoomsHighLevel(world: RowOfRooms, model: TransitionJepa, opts: RoomsHighLevelTraining = {}): Promise<RoomsHighLevel> {
  const o = withDefaults(roomsHighLevelTrainingDefaults, opts, "trainRoomsHighLevel");
  const { k } = o;
  const m = world.opts.maxStep;
  const data = roomsHighLevelData(world, model, { episodes: o.episodes, k, nearDoor: o.nearDoor });
  const [E, T1, D] = data.latents.shape;
  const encoder = highLevelEncoder({ embedDim: D, hidden: [128, 128] });
  const pairs = jumpTransitions(data.latents, data.actions, k);
  const free = data.freeWindows(k);
  const re = rng("batches:high");
  const show = o.progress ? {} : { progress: false, chart: false as const };
  const encRun = await train(encoder, {
    steps: o.encoderSteps, lr: cosineLr({ lr: 1e-3, steps: o.encoderSteps, warmup: Math.min(100, o.encoderSteps) }), title: "High-level encoder f",
    batch: () => takeJumpBatch(pairs, Array.from({ length: 256 }, () => free[Math.floor(re() * free.length)])), pretrained: o.pretrained?.encoder, checkpoint: o.checkpoints?.encoder, ...show,
  });
  tf.dispose([pairs.z, pairs.macro, pairs.zNext]);
  const hLatents = tf.tidy(() => encoder.encode(data.latents.reshape([-1, D]) as tf.Tensor2D).reshape([E, T1, 2])) as tf.Tensor3D; // [E, T+1, 2]
  const chains = jumpTransitions(hLatents, data.actions, k, o.jumps);
  const jump = jumpPredictor({ embedDim: 2, jump: k, fourier: 4, hidden: [128, 128], macroScale: 1 / (k * m), maxMacroNorm: k * m, addMacro: true });
  const rj = rng("batches:jump");
  const M = chains.z.shape[0];
  const jumpRun = await train(jump, {
    steps: o.jumpSteps, lr: cosineLr({ lr: 1e-3, steps: o.jumpSteps, warmup: Math.min(100, o.jumpSteps) }), title: `Jump predictor (k = ${k})`,
    batch: () => takeJumpBatch(chains, Array.from({ length: 256 }, () => Math.floor(rj() * M))), pretrained: o.pretrained?.jump, checkpoint: o.checkpoints?.jump, ...show,
  });
  tf.dispose([hLatents, chains.z, chains.macro, chains.zNext]);
  const flat = tf.tidy(() => data.latents.reshape([-1, D]).arraySync() as number[][]);
  const zs = Array.from({ length: o.landmarks }, (_, i) => flat[Math.floor((i * flat.length) / o.landmarks)]);
  const hs = tf.tidy(() => encoder.encode(tf.tensor2d(zs)).arraySync() as number[][]);
  const graph = landmarkGraph(hs, zs, jumpReach(jump, o.reachTol), { radius: k * m });
  return {
    encoder, jump, data, graph,
    planner: { abstract: (z) => encoder.encode(z), graph, k, actionDim: 2 },
    runs: { encoder: encRun, jump: jumpRun },
    dispose: () => {
      encoder.dispose();
      jump.dispose();
      data.dispose();
    },
  };
}

/** Start and goal states of a set of tasks. */
export interface RoomsTasks {
  starts: number[][];
  goals: number[][];
}

/** One row of a comparison: a planner's name, its budget and its episodes. */
export type PlannerRun = [name: string, budget: number, episodes: Episode[]];

/** Options of `roomsEvaluation`. */
export interface RoomsEvaluationOptions {
  /** Actions per episode at most. Default 250. */
  maxSteps?: number;
  /** Success: the agent within this distance of the goal. Default 0.1. */
  radius?: number;
  /** Seed set before each planner's episodes (the same for every planner). Default 100. */
  seed?: number;
}

/** Default options of `roomsEvaluation`. */
export const roomsEvaluationDefaults = { maxSteps: 250, radius: 0.1, seed: 100 };

/** Flat and hierarchical episodes on a set of tasks, and their comparison table. */
export function roomsEvaluation(world: RowOfRooms, model: TransitionJepa, opts: RoomsEvaluationOptions = {}) {
  const o = withDefaults(roomsEvaluationDefaults, opts, "roomsEvaluation");
  const encode = (obs: tf.Tensor) => tf.tidy(() => model.encode(obs)) as tf.Tensor2D;
  const near = (g: number[]) => (s: number[]) => Math.hypot(s[0] - g[0], s[1] - g[1]) < o.radius;
  function episodes<E extends Episode>(tasks: RoomsTasks, run: (i: number, goal: tf.Tensor1D) => E): E[] {
    setSeed(o.seed);
    return tasks.starts.map((_, i) => {
      const goal = tf.tidy(() => encode(world.render([tasks.goals[i]])).reshape([-1]) as tf.Tensor1D); // [D]
      try {
        return run(i, goal);
      } finally {
        goal.dispose();
      }
    });
  }
  return {
    /** Notebook 06's flat MPC (latent distance to the goal, no memory), one episode per task. */
    flat: (tasks: RoomsTasks, plannerOptions: PlannerOptions, replanEvery = 2): Episode[] => episodes(tasks, (i, goal) => runMpc({
      env: worldEnv(world, tasks.starts[i]), encode, step: (z, a) => model.predict(z, a), goal, planner: "cem", plannerOptions,
      maxSteps: o.maxSteps, replanEvery, memory: 0, success: near(tasks.goals[i]),
    })),
    /** `runHierarchicalMpc` with the given high level and low-level options, one episode per task. */
    hierarchical: (tasks: RoomsTasks, options: Omit<HierarchicalMpcOptions, "env" | "encode" | "goal" | "lowStep">): HierarchicalEpisode[] => episodes(tasks, (i, goal) => runHierarchicalMpc({
      maxSteps: o.maxSteps, ...options, env: worldEnv(world, tasks.starts[i]), encode, goal, lowStep: (z, a) => model.predict(z, a), success: near(tasks.goals[i]),
    })),
    /** One row per planner: success rate, steps and path length when the goal was reached, planning ms per step. */
    table: (runs: PlannerRun[], tasks: RoomsTasks): Row[] => runs.map(([planner, budget, eps]) => {
      const s = summarizeEpisodes(eps);
      const won = eps.map((e, i) => [e, i] as const).filter(([e]) => e.success);
      const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
      const steps = eps.reduce((a, e) => a + e.steps, 0);
      return {
        planner, budget: Math.round(budget), successRate: round(s.successRate, 2),
        stepsWhenReached: round(mean(won.map(([e]) => e.steps)), 0),
        pathLength: round(mean(won.map(([e]) => e.pathLength)), 2),
        shortestPath: round(mean(won.map(([, i]) => world.shortestPath(tasks.starts[i], tasks.goals[i]))), 2),
        planMsPerStep: round(eps.reduce((a, e) => a + e.planMs, 0) / Math.max(1, steps), 1),
      };
    }),
    /** The high level's predictor calls per executed action over hierarchical episodes (its part of the budget). */
    highChecksPerStep: (eps: HierarchicalEpisode[]): number => eps.reduce((a, e) => a + e.highChecks, 0) / Math.max(1, eps.reduce((a, e) => a + e.steps, 0)),
    /** Latents of states [N][2] -> [N][D] (the frozen encoder). */
    latents: (states: number[][]) => encodeStates(model, world, states),
  };
}

function round(x: number, digits: number): number {
  return Number.isFinite(x) ? Number(x.toFixed(digits)) : NaN;
}
