/**
 * Linear probe for regression, closed-form ridge: how much of a known quantity (position, velocity)
 * a frozen embedding holds linearly. Introduced in notebooks/01-autoregressive-contrast.ipynb
 * (reading the dot's position out of an embedding, with its equation), then used for the probe R²
 * of notebooks/02 (`collapseReport`) and 03.
 *
 * Fits W, b minimising ||Y - X W - b||^2 / N + lambda ||W||^2 on the training rows (X and Y centred
 * on their training means, so b is not penalised): (Xc^T Xc / N + lambda I) W = Xc^T Yc / N, solved in
 * float64 with ml-matrix (Cholesky, LU as fallback). R² on the test rows, per target:
 * 1 - SS_res / SS_tot around the test mean (a constant target gives 1 if predicted exactly, else 0).
 */
import { CholeskyDecomposition, Matrix, solve } from "ml-matrix";
import { checkNumber, withDefaults } from "../check";
import { RowsInput, sameRows, sameWidth, toDense, toMatrix, toTargets } from "./dense";

/** Regression targets: number[] (one target) or [N, K] rows (tf.Tensor or number[][]). */
export type TargetsInput = RowsInput | number[];

/** Options for `ridgeProbe`. */
export interface RidgeProbeOptions {
  /** Ridge penalty, added to the per-sample covariance Xc^T Xc / N (same scale as the feature variances). Default 1e-3. */
  lambda?: number;
}

/** Default options of `ridgeProbe`. */
export const ridgeProbeDefaults: Required<RidgeProbeOptions> = { lambda: 1e-3 };

/** What `ridgeProbe` returns. */
export interface RidgeProbeResult {
  /** Test R², averaged over the targets (1 = perfect, 0 = no better than the mean, can be negative). */
  r2: number;
  /** Test R² per target, length K. */
  r2PerTarget: number[];
  /** Training R², averaged over the targets (compare with r2 to spot overfitting). */
  trainR2: number;
  /** Test predictions, [Ntest, K]. */
  predictions: number[][];
  /** Fitted weights, [D, K]. */
  weights: number[][];
  /** Fitted intercepts, length K. */
  bias: number[];
}

/**
 * Closed-form ridge probe. trainX [N, D], trainY [N, K] or [N]; testX [M, D], testY [M, K] or [M]
 * (tf.Tensor or arrays). Returns test R² per target and the predictions.
 */
export function ridgeProbe(
  trainX: RowsInput,
  trainY: TargetsInput,
  testX: RowsInput,
  testY: TargetsInput,
  opts: RidgeProbeOptions = {},
): RidgeProbeResult {
  const where = "ridgeProbe";
  const o = withDefaults(ridgeProbeDefaults, opts, where);
  checkNumber(where, "opts.lambda", o.lambda, { min: 0 });
  const xtr = toDense(where, "trainX", trainX);
  const ytr = toTargets(where, "trainY", trainY);
  const xte = toDense(where, "testX", testX);
  const yte = toTargets(where, "testY", testY);
  sameRows(where, "trainX", xtr.n, "trainY", ytr.n);
  sameRows(where, "testX", xte.n, "testY", yte.n);
  sameWidth(where, "trainX", xtr, "testX", xte);
  sameWidth(where, "trainY", ytr, "testY", yte);
  const X = toMatrix(xtr); // [N, D]
  const Y = toMatrix(ytr); // [N, K]
  const xMean = X.mean("column");
  const yMean = Y.mean("column");
  const Xc = X.clone().subRowVector(xMean);
  const Yc = Y.clone().subRowVector(yMean);
  const n = xtr.n;
  const gram = Xc.transpose().mmul(Xc).div(n); // [D, D]
  for (let j = 0; j < xtr.d; j++) gram.set(j, j, gram.get(j, j) + o.lambda);
  const rhs = Xc.transpose().mmul(Yc).div(n); // [D, K]
  const W = solveSpd(gram, rhs); // [D, K]
  const bias = yMean.map((m, k) => m - xMean.reduce((s, v, j) => s + v * W.get(j, k), 0));
  const predict = (x: Matrix) => x.mmul(W).addRowVector(bias);
  const predTest = predict(toMatrix(xte));
  const r2 = rSquared(toMatrix(yte), predTest);
  const trainR2 = rSquared(Y, predict(X));
  const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;
  return { r2: mean(r2), r2PerTarget: r2, trainR2: mean(trainR2), predictions: predTest.to2DArray(), weights: W.to2DArray(), bias };
}

/** Solves A W = B for symmetric positive (semi)definite A: Cholesky, LU/QR when A is singular. */
function solveSpd(a: Matrix, b: Matrix): Matrix {
  const chol = new CholeskyDecomposition(a);
  if (chol.isPositiveDefinite()) return chol.solve(b);
  return solve(a, b, true); // least-squares / pseudo-inverse for a singular Gram matrix (lambda = 0)
}

/** R² per column of y against predictions p (both [M, K]). */
function rSquared(y: Matrix, p: Matrix): number[] {
  const mean = y.mean("column");
  return mean.map((m, k) => {
    let res = 0;
    let tot = 0;
    for (let i = 0; i < y.rows; i++) {
      res += (y.get(i, k) - p.get(i, k)) ** 2;
      tot += (y.get(i, k) - m) ** 2;
    }
    if (tot > 0) return 1 - res / tot;
    return res <= 1e-12 * Math.max(1, m * m) * y.rows ? 1 : 0;
  });
}
