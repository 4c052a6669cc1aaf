/** Grouped bar chart: results side by side (probe scores, success rates). Introduced in notebooks/00-setup.ipynb. */
import { baseLayout, ChartOptions, checkSeries, Figure } from "./figure";

/** Builds grouped bars: one group per category, one bar per series. */
export function barChart(categories: string[], series: { name: string; y: number[] }[], opts: ChartOptions = {}): Figure {
  if (!Array.isArray(categories)) throw new TypeError("barChart: categories must be an array of strings");
  const data = series.map((s, i) => {
    const y = checkSeries("barChart", `series[${i}].y`, s.y);
    if (y.length !== categories.length) {
      throw new Error(`barChart: series[${i}].y must have one value per category (${categories.length}), received ${y.length}`);
    }
    return { type: "bar", name: s.name, x: categories, y };
  });
  return { data, layout: baseLayout(opts, { barmode: "group" }) };
}
