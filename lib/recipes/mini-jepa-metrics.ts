/**
 * How good is a mini JEPA? Held-out embeddings, a position probe on them, their effective rank,
 * rollout errors, and the three targets of a full run. Introduced in notebooks/03-mini-jepa.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { effectiveRank } from "../eval/effective-rank";
import { ridgeProbe, RidgeProbeResult } from "../eval/ridge-probe";
import { rolloutProbeError, RolloutProbeRow } from "../eval/rollout-probe";
import type { TransitionJepa } from "../models/transition-jepa";
import { MiniJepaData } from "./mini-jepa-data";
import { miniJepaTargets } from "./mini-jepa-recipe";

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
  const S = data.world.imageSize;
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
    return { probeR2: round(positionProbe(h).r2), effectiveRank: round(effectiveRank(h.z)) };
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
    probeR2: probe.r2,
    effectiveRank: rank,
    rollout: rows.filter((r) => data.recipe.horizons.includes(r.horizon)),
    rolloutRatio: ratio,
    probe,
    targets: [
      { metric: "probe R² (held-out)", value: round(probe.r2), target: `≥ ${t.probeR2}`, met: probe.r2 >= t.probeR2 },
      { metric: "effective rank", value: round(rank), target: `≥ ${t.effectiveRank}`, met: rank >= t.effectiveRank },
      { metric: `rollout error ${far}-step / 1-step`, value: round(ratio), target: `≤ ${t.rolloutRatio}`, met: ratio <= t.rolloutRatio },
    ],
  };
}

function round(x: number): number {
  return Number(x.toPrecision(5));
}
