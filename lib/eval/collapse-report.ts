/**
 * "Is my run collapsing?" in one call: both kinds of collapse, judged from the embeddings alone
 * (labels optional). Written out in notebooks/02-energy-and-collapse.ipynb, then imported from here;
 * drop it into your own training loop as `train(..., { evaluate: () => collapseReport(...) })`.
 *
 * Every row is first put on the unit sphere, u_i = z_i / ||z_i||, so the report does not depend on
 * the embeddings' scale (small embeddings are not collapsed ones). With D the width:
 *   normalizedStd = mean_j std_i(u_ij)      ≈ 1/√D for a healthy, isotropic cloud (SimSiam's check);
 *   stdRatio      = normalizedStd · √D      1 healthy ... 0 when every row points the same way.
 *   λ_1 ≥ ... ≥ λ_D: variances of the centred u along its principal directions (`spectrum`: shares);
 *   effectiveRank = RankMe of the centred u (exp of the entropy of its normalised singular values);
 *   spreadRank    = the same RankMe over the directions whose std √λ_k reaches `floor`/√D only:
 *                   how many directions carry real spread (0 when none does, or when the report
 *                   finds complete collapse: then there is nothing to rank).
 * With `predicted`, the model's predictions ẑ_i of the rows z_i (a JEPA's pred(enc(x_t), a_t) for
 * z_i = enc(x_{t+1})), the energy of real pairs is compared with that of all pairs:
 *   energyRatio   = mean_i ||ẑ_i - z_i||² / mean_{i,j} ||ẑ_i - z_j||²
 *                   ≪ 1 when a prediction is closer to its own target than to the others; ≈ 1 when
 *                   the energy is flat (every y equally compatible). Also scale-free.
 * Verdicts:
 *   complete    = stdRatio < floor  or  energyRatio > flatAbove
 *                 every input maps to (almost) one point: no spread on the sphere, or none the
 *                 predictor can tell apart (a loss like MSE is also lowered by shrinking every
 *                 embedding towards the origin, which leaves the directions spread but the energy flat);
 *   dimensional = !complete && spreadRank < dimensionalBelow · D
 *                 the spread lives in a few of the D directions.
 * RankMe alone is scale-free: on a cloud that has shrunk to a point it measures the shape of what
 * is left (optimiser jitter, often all D directions), which is why the verdicts read the spread
 * first and the rank only over directions that have some. With `labels` (states, positions, one-hot
 * classes) a ridge probe (lib/eval/ridge-probe.ts, on z rescaled to unit overall std) adds `probeR2`,
 * its R² on the last rows (1 - trainFraction of them). An untrained predictor also has a flat
 * energy: pass `predicted` once the model has trained a little.
 *
 * Limits: the reference point is the origin, so embeddings whose common offset is much larger than
 * their spread (rows a few degrees apart) read as collapsed; centre them first if that offset is
 * harmless for your use. Rows of zero length count as a point at the origin.
 */
import { EigenvalueDecomposition, Matrix } from "ml-matrix";
import { checkNumber, withDefaults } from "../check";
import { RowsInput, toDense, toTargets } from "./dense";
import { effectiveRank } from "./effective-rank";
import { perDimStd } from "./per-dim-std";
import { ridgeProbe, TargetsInput } from "./ridge-probe";

/** Options of `collapseReport`. */
export interface CollapseReportOptions {
  /** True states of the rows ([N, K] or [N]): adds `probeR2`, a ridge probe's held-out R². Default: none. */
  labels?: TargetsInput;
  /** The model's predictions of the rows of z, same shape [N, D]: adds `energyRatio`. Default: none. */
  predicted?: RowsInput;
  /** Complete collapse when `energyRatio` exceeds this (a flat energy). Default 0.9. */
  flatAbove?: number;
  /** Share of the rows the probe is fitted on (in order); R² is measured on the rest. Default 0.7. */
  trainFraction?: number;
  /** Spread floor, as a fraction of the healthy 1/√D: complete collapse below it, and directions below it do not count in `spreadRank`. Default 0.3. */
  floor?: number;
  /** Dimensional collapse when `spreadRank` < dimensionalBelow · D. Default 0.25. */
  dimensionalBelow?: number;
}

/** Default options of `collapseReport` (`labels` unset). */
export const collapseReportDefaults = { trainFraction: 0.7, floor: 0.3, dimensionalBelow: 0.25, flatAbove: 0.9 };

/** What `collapseReport` returns (plain numbers: chart them, log them, put them in a table). */
export interface CollapseReport {
  /** Every input maps to (almost) one point: stdRatio < floor, or energyRatio > flatAbove. */
  complete: boolean;
  /** Not complete, but the spread uses fewer than dimensionalBelow · D directions. */
  dimensional: boolean;
  /** "complete", "dimensional" or "healthy". */
  verdict: "complete" | "dimensional" | "healthy";
  /** One sentence: the verdict and the numbers it rests on. */
  reason: string;
  /** Mean per-dimension std of the l2-normalised rows. */
  normalizedStd: number;
  /** normalizedStd · √D: 1 for an isotropic cloud, 0 for a point. */
  stdRatio: number;
  /** RankMe effective rank of the centred, l2-normalised rows, between ~1 and min(N, D). */
  effectiveRank: number;
  /** RankMe over the principal directions whose std reaches floor/√D; 0 when none does or when `complete`. */
  spreadRank: number;
  /** Share of the variance along each principal direction, largest first, min(N - 1, D) of them (sum 1; zeros for a point). */
  spectrum: number[];
  /** Energy of real (prediction, target) pairs over that of all pairs (only when `predicted` is given). */
  energyRatio?: number;
  /** Held-out R² of a ridge probe to `labels` (only when labels are given). */
  probeR2?: number;
  /** Rows N and width D of the embeddings. */
  n: number;
  d: number;
}

/**
 * Collapse diagnostics of embeddings z: [N, D] (tf.Tensor or number[][]; a [B, T, D] tensor is
 * flattened), N >= 2. Leaks no tensors. Errors name `collapseReport` and the argument.
 */
export function collapseReport(z: RowsInput, opts: CollapseReportOptions = {}): CollapseReport {
  const where = "collapseReport";
  const o = withDefaults(collapseReportDefaults, opts, where);
  checkNumber(where, "opts.floor", o.floor, { min: 0, max: 1, exclusiveMin: true });
  checkNumber(where, "opts.dimensionalBelow", o.dimensionalBelow, { min: 0, max: 1 });
  checkNumber(where, "opts.trainFraction", o.trainFraction, { min: 0, max: 1, exclusiveMin: true });
  checkNumber(where, "opts.flatAbove", o.flatAbove, { min: 0 });
  const { n, d, data } = toDense(where, "z", z, true);
  if (n < 2) throw new Error(`${where}: z must have N >= 2 rows [N, D], received N = ${n}`);
  const u = unitRows(data, n, d); // [N, D] rows on the unit sphere
  const normalizedStd = perDimStd(u).reduce((a, b) => a + b, 0) / d;
  const stdRatio = normalizedStd * Math.sqrt(d);
  const lambda = principalVariances(u); // [min(N - 1, D)] largest first
  const total = lambda.reduce((a, b) => a + b, 0);
  const spectrum = lambda.map((l) => (total > 0 ? l / total : 0));
  const kept = lambda.filter((l) => Math.sqrt(l * d) >= o.floor);
  const diag = kept.map((l, i) => kept.map((_, j) => (i === j ? Math.sqrt(l) : 0))); // singular values √λ
  const energyRatio = o.predicted === undefined ? undefined : energyRatioOf(where, o.predicted, data, n, d);
  const complete = stdRatio < o.floor || (energyRatio !== undefined && energyRatio > o.flatAbove);
  const spreadRank = kept.length && !complete ? effectiveRank(diag) : 0;
  const dimensional = !complete && spreadRank < o.dimensionalBelow * d;
  const report: CollapseReport = {
    complete, dimensional, verdict: complete ? "complete" : dimensional ? "dimensional" : "healthy", reason: "",
    normalizedStd, stdRatio, effectiveRank: effectiveRank(u, { center: true }), spreadRank, spectrum, n, d,
  };
  if (energyRatio !== undefined) report.energyRatio = energyRatio;
  if (o.labels !== undefined) report.probeR2 = probe(where, data, n, d, o.labels, o.trainFraction);
  report.reason = reasonOf(report, o);
  return report;
}

/** mean_i ||p_i - z_i||² / mean_{i,j} ||p_i - z_j||² (1 when the second is 0, up to rounding: nothing to tell apart). */
function energyRatioOf(where: string, predicted: RowsInput, z: Float64Array, n: number, d: number): number {
  const p = toDense(where, "opts.predicted", predicted, true);
  if (p.n !== n || p.d !== d) throw new Error(`${where}: opts.predicted must have the shape of z [N, D] = [${n}, ${d}], received [${p.n}, ${p.d}]`);
  const pMean = new Float64Array(d);
  const zMean = new Float64Array(d);
  let real = 0;
  let pSq = 0;
  let zSq = 0;
  for (let i = 0; i < n * d; i++) {
    real += (p.data[i] - z[i]) ** 2;
    pSq += p.data[i] ** 2;
    zSq += z[i] ** 2;
    pMean[i % d] += p.data[i] / n;
    zMean[i % d] += z[i] / n;
  }
  const cross = pMean.reduce((a, v, j) => a + v * zMean[j], 0);
  const all = Math.max(pSq / n + zSq / n - 2 * cross, 0); // mean over all pairs (i, j)
  // 0 up to rounding, relative to the embeddings' size (scale-free): nothing to tell apart
  return all > 1e-12 * ((pSq + zSq) / n) ? real / n / all : 1;
}

/** Rows divided by their length (zero rows stay zero). */
function unitRows(data: Float64Array, n: number, d: number): number[][] {
  return Array.from({ length: n }, (_, i) => {
    const row = Array.from(data.subarray(i * d, (i + 1) * d));
    const len = Math.hypot(...row);
    return len > 0 ? row.map((v) => v / len) : row;
  });
}

/** Variances of the centred rows along their principal directions (covariance eigenvalues), largest first. */
function principalVariances(rows: number[][]): number[] {
  const m = new Matrix(rows);
  m.subRowVector(m.mean("column"));
  const cov = m.transpose().mmul(m).div(rows.length - 1); // [D, D]
  const eig = new EigenvalueDecomposition(cov, { assumeSymmetric: true }).realEigenvalues;
  return eig.map((l) => Math.max(l, 0)).sort((a, b) => b - a).slice(0, Math.min(rows.length - 1, rows[0].length));
}

/**
 * Held-out R² of a ridge probe from the rows of z to the labels. z is divided by one number, its
 * overall std, first: the probe's penalty then means the same at every scale (R² is otherwise unchanged).
 */
function probe(where: string, data: Float64Array, n: number, d: number, labels: TargetsInput, trainFraction: number): number {
  const y = toTargets(where, "opts.labels", labels); // [N, K]
  if (y.n !== n) throw new Error(`${where}: opts.labels must have one row per row of z (N = ${n}), received ${y.n}`);
  const cut = Math.round(n * trainFraction);
  if (cut < 2 || n - cut < 2) throw new Error(`${where}: z must have at least 2 rows on each side of the probe split (trainFraction ${trainFraction}), received N = ${n}`);
  const rows = (m: Float64Array, w: number) => Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * w, (i + 1) * w)));
  const scale = Math.sqrt(perDimStd(rows(data, d)).reduce((a, v) => a + v * v, 0) / d) || 1;
  const x = rows(data.map((v) => v / scale), d);
  const t = rows(y.data, y.d);
  return ridgeProbe(x.slice(0, cut), t.slice(0, cut), x.slice(cut), t.slice(cut)).r2;
}

function reasonOf(r: CollapseReport, o: typeof collapseReportDefaults): string {
  const f = (x: number) => x.toPrecision(3);
  const spread = `spread ${f(r.stdRatio)} of a healthy cloud's (normalised std ${f(r.normalizedStd)} vs 1/√${r.d} = ${f(1 / Math.sqrt(r.d))})`;
  const probe = r.probeR2 === undefined ? "" : `; probe R² ${f(r.probeR2)}`;
  const energy = r.energyRatio === undefined ? "" : `; energy ratio ${f(r.energyRatio)}`;
  if (r.complete && r.stdRatio < o.floor) return `complete collapse: ${spread}, below the floor ${o.floor}${energy}${probe}`;
  if (r.complete) return `complete collapse: flat energy, ratio ${f(r.energyRatio!)} above ${o.flatAbove} (a prediction is no closer to its own target than to any other); ${spread}${probe}`;
  const rank = `${f(r.spreadRank)} of ${r.d} directions carry spread (RankMe ${f(r.effectiveRank)})`;
  if (r.dimensional) return `dimensional collapse: ${rank}, below ${f(o.dimensionalBelow * r.d)}; ${spread}${energy}${probe}`;
  return `healthy: ${spread}; ${rank}${energy}${probe}`;
}
