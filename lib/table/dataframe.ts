/**
 * Results as danfojs-node DataFrames: rows of named numbers in, a DataFrame out. Introduced in
 * notebooks/00-setup.ipynb.
 */
import * as dfd from "danfojs-node";
import { Row } from "./row";

/** A danfojs DataFrame (re-exported type so notebooks need not import danfo). */
export type DataFrame = dfd.DataFrame;

/** Builds a DataFrame from rows; every row must have the same columns. */
export function toDataFrame(rows: Row[]): DataFrame {
  if (!Array.isArray(rows) || rows.length === 0) throw new Error("toDataFrame: rows must be a non-empty array of objects");
  const cols = Object.keys(rows[0]);
  rows.forEach((r, i) => {
    const missing = cols.filter((c) => !(c in r));
    if (missing.length) throw new Error(`toDataFrame: row ${i} lacks column(s) ${missing.join(", ")}`);
  });
  return new dfd.DataFrame(rows.map((r) => cols.map((c) => r[c])), { columns: cols });
}

/** Rows back from a DataFrame. */
export function fromDataFrame(df: DataFrame): Row[] {
  const cols = df.columns as string[];
  return (df.values as unknown[][]).map((v) => Object.fromEntries(cols.map((c, i) => [c, v[i] as Row[string]])));
}
