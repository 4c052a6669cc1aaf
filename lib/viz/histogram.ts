/** Histograms: distributions of embedding values, errors. Introduced in notebooks/00-setup.ipynb. */
import { baseLayout, ChartOptions, checkSeries, Figure } from "./figure";

/** Options of `histogram`. */
export interface HistogramOptions extends ChartOptions {
  /** Number of bins (default: Plotly's choice). */
  bins?: number;
}

/** Overlaid histograms of several named samples. */
export function histogram(series: { name: string; values: number[] }[], opts: HistogramOptions = {}): Figure {
  if (!Array.isArray(series)) throw new TypeError("histogram: series must be an array of { name, values }");
  const data = series.map((s, i) => ({
    type: "histogram",
    name: s.name,
    x: checkSeries("histogram", `series[${i}].values`, s.values),
    opacity: series.length > 1 ? 0.6 : 1,
    nbinsx: opts.bins,
  }));
  return { data, layout: baseLayout(opts, { barmode: "overlay" }) };
}
