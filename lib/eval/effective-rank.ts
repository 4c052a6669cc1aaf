/**
 * RankMe effective rank (Garrido et al. 2023): how many directions the embeddings really use, a
 * collapse diagnostic. Written out in notebooks/02-energy-and-collapse.ipynb, then imported from here;
 * there too why it cannot see complete collapse on its own (it is scale-free), and why
 * `collapseReport` centres it and reads it only over directions that have spread.
 *
 *   s = singular values of z (not centred),  p_i = s_i / Σ_j s_j + eps,  rank = exp(-Σ_i p_i log p_i)
 *
 * Between ~1 (every row on one line: collapse) and min(N, D) (a flat spectrum). test/fixtures/losses.json
 * holds float64 reference values of this formula, matched here to 1e-4. The SVD runs in float64 with
 * ml-matrix, O(N D^2): fine for embeddings (D up to a few hundred).
 */
import { SVD } from "ml-matrix";
import { checkNumber, withDefaults } from "../check";
import { RowsInput, toDense, toMatrix } from "./dense";

/**
 * RankMe effective rank of embeddings z: [N, D] (a [B, T, D] tensor is flattened to [B*T, D]),
 * as a number. An all-zero z has no spectrum: returns 0.
 */
export function effectiveRank(z: RowsInput, opts: EffectiveRankOptions = {}): number {
  const where = "effectiveRank";
  const o = withDefaults(effectiveRankDefaults, opts, where);
  checkNumber(where, "opts.eps", o.eps, { min: 0 });
  const m = toMatrix(toDense(where, "z", z, true)); // [N, D]
  if (o.center) m.subRowVector(m.mean("column"));
  const s = new SVD(m, { computeLeftSingularVectors: false, computeRightSingularVectors: false, autoTranspose: true }).diagonal;
  const total = s.reduce((a, v) => a + Math.max(v, 0), 0);
  if (!(total > 0)) return 0;
  let h = 0;
  for (const v of s) {
    const p = Math.max(v, 0) / total + o.eps;
    h -= p * Math.log(p);
  }
  return Math.exp(h);
}

/** Options for `effectiveRank`. */
export interface EffectiveRankOptions {
  /** Added to each normalised singular value before the log (RankMe's epsilon). Default 1e-7. */
  eps?: number;
  /** Subtract the column means before the SVD (RankMe does not). Default false. */
  center?: boolean;
}

/** Default options of `effectiveRank`. */
export const effectiveRankDefaults: Required<EffectiveRankOptions> = { eps: 1e-7, center: false };
