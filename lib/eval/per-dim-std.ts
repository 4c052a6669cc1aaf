/**
 * Per-dimension standard deviation of embeddings: the simplest collapse diagnostic (VICReg's
 * variance term watches the same number). Written out in notebooks/02-energy-and-collapse.ipynb, on
 * l2-normalised embeddings (the spread `collapseReport` judges complete collapse by).
 */
import { RowsInput, toDense } from "./dense";
import { withDefaults } from "../check";

/** Options for `perDimStd`. */
export interface PerDimStdOptions {
  /** Divide by N - 1 (as VICReg does) instead of N; needs N >= 2. Default true. */
  unbiased?: boolean;
}

/** Default options of `perDimStd`. */
export const perDimStdDefaults: Required<PerDimStdOptions> = { unbiased: true };

/**
 * Standard deviation of each embedding dimension over the rows of z: [N, D] (a [B, T, D] tensor is
 * flattened to [B*T, D]). Returns D numbers; all ~0 means the embedding collapsed.
 */
export function perDimStd(z: RowsInput, opts: PerDimStdOptions = {}): number[] {
  const where = "perDimStd";
  const o = withDefaults(perDimStdDefaults, opts, where);
  const { n, d, data } = toDense(where, "z", z, true);
  if (o.unbiased && n < 2) throw new Error(`${where}: z must have N >= 2 rows for the unbiased std, received N = ${n}`);
  const out: number[] = [];
  for (let j = 0; j < d; j++) {
    let mean = 0;
    for (let i = 0; i < n; i++) mean += data[i * d + j];
    mean /= n;
    let ss = 0;
    for (let i = 0; i < n; i++) ss += (data[i * d + j] - mean) ** 2;
    out.push(Math.sqrt(ss / (o.unbiased ? n - 1 : n)));
  }
  return out;
}
