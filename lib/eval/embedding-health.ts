/**
 * Three raw diagnostics in one call: the mean per-dimension standard deviation (near 0 = every
 * input gets the same embedding), the RankMe effective rank (uncentred) and a ridge-probe R² from
 * embedding to the true state on held-out rows. Scale-dependent and without verdicts: to ask "is
 * my run collapsing?", use `collapseReport` (lib/eval/collapse-report.ts), which notebook
 * 02-energy-and-collapse shows is scale-free and tells complete from dimensional collapse.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { RowsInput } from "./dense";
import { effectiveRank } from "./effective-rank";
import { perDimStd } from "./per-dim-std";
import { ridgeProbe, TargetsInput } from "./ridge-probe";

/** Options of `embeddingHealth`. */
export interface EmbeddingHealthOptions {
  /** Share of the rows the probe is fitted on; R² is measured on the rest. Default 0.7. */
  trainFraction?: number;
  /** Ridge penalty of the probe. Default 1e-3 (ridgeProbe's). */
  lambda?: number;
}

/** Default options of `embeddingHealth`. */
export const embeddingHealthDefaults: Required<EmbeddingHealthOptions> = { trainFraction: 0.7, lambda: 1e-3 };

/** What `embeddingHealth` returns. */
export interface EmbeddingHealth {
  /** Mean over dimensions of the per-dimension std. */
  meanStd: number;
  /** RankMe effective rank, between ~1 and min(N, D). */
  effectiveRank: number;
  /** Ridge probe R² (mean over the state's components) on the last 1 - trainFraction of the rows. */
  probeR2: number;
}

/**
 * z [N, D] embeddings of N observations, states [N, K] their true states (rows in the same order;
 * shuffle beforehand if neighbouring rows are alike). Leaks no tensors.
 */
export function embeddingHealth(z: RowsInput, states: TargetsInput, opts: EmbeddingHealthOptions = {}): EmbeddingHealth {
  const where = "embeddingHealth";
  const o = withDefaults(embeddingHealthDefaults, opts, where);
  checkNumber(where, "opts.trainFraction", o.trainFraction, { min: 0, max: 1, exclusiveMin: true });
  const zRows = z instanceof tf.Tensor ? (z.arraySync() as number[][]) : z;
  const sRows = states instanceof tf.Tensor ? (states.arraySync() as number[][] | number[]) : states;
  if (!Array.isArray(zRows) || !Array.isArray(sRows) || zRows.length !== sRows.length) {
    throw new Error(`${where}: z and states must have the same number of rows, received ${Array.isArray(zRows) ? zRows.length : typeof z} and ${Array.isArray(sRows) ? sRows.length : typeof states}`);
  }
  const n = zRows.length;
  const cut = Math.round(n * o.trainFraction);
  if (cut < 2 || n - cut < 2) throw new Error(`${where}: z must have enough rows for a probe split (at least 2 each side with trainFraction ${o.trainFraction}), received N = ${n}`);
  const std = perDimStd(zRows);
  const probe = ridgeProbe(zRows.slice(0, cut), sRows.slice(0, cut) as TargetsInput, zRows.slice(cut), sRows.slice(cut) as TargetsInput, { lambda: o.lambda });
  return { meanStd: std.reduce((a, b) => a + b, 0) / std.length, effectiveRank: effectiveRank(zRows), probeR2: probe.r2 };
}
