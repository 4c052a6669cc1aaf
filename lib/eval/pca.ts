/**
 * Principal component analysis: the 2-D view of a latent space. Used by `latentMap`
 * (notebooks/03-mini-jepa.ipynb: latent maps coloured by the true position; 04 too).
 */
import { EVD, Matrix } from "ml-matrix";
import { checkNumber } from "../check";
import { RowsInput, toDense } from "./dense";

/** What `pca` returns. */
export interface PcaResult {
  /** The rows projected on the first k components, [N][k]. */
  projected: number[][];
  /** Fraction of the total variance each component explains, [k]. */
  explained: number[];
  /** The components as rows, [k][D]. */
  components: number[][];
  /** The column means that were subtracted, [D]. */
  mean: number[];
}

/** Projects z: [N, D] onto its top-k principal components (eigenvectors of the covariance, via ml-matrix). `where` names the caller in errors. */
export function pca(z: RowsInput, k = 2, where = "pca"): PcaResult {
  const m = toDense(where, "z", z);
  checkNumber(where, "k", k, { min: 1, max: m.d, integer: true });
  if (m.n < 2) throw new Error(`${where}: z must have at least 2 rows, received ${m.n}`);
  const x = new Matrix(m.n, m.d);
  for (let i = 0; i < m.n; i++) for (let j = 0; j < m.d; j++) x.set(i, j, m.data[i * m.d + j]);
  const mean = x.mean("column");
  x.subRowVector(mean);
  const cov = x.transpose().mmul(x).div(m.n - 1);
  const evd = new EVD(cov, { assumeSymmetric: true });
  const values = evd.realEigenvalues; // ascending
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => b[0] - a[0]).slice(0, k).map(([, i]) => i);
  const total = values.reduce((s, v) => s + Math.max(v, 0), 0) || 1;
  const vecs = evd.eigenvectorMatrix;
  const components = order.map((i) => vecs.getColumn(i));
  const proj = x.mmul(new Matrix(components).transpose());
  return {
    projected: proj.to2DArray(),
    explained: order.map((i) => Math.max(values[i], 0) / total),
    components,
    mean,
  };
}
