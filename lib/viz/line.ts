/** Line chart: training curves, errors over rollout steps. Introduced in notebooks/00-setup.ipynb. */
import { baseLayout, ChartOptions, checkSeries, Figure } from "./figure";

/** One line: y values, with x defaulting to 0..n-1. */
export interface LineSeries {
  /** Legend name. */
  name: string;
  /** X values (default: 0, 1, 2, ...). */
  x?: number[];
  /** Y values. */
  y: number[];
  /** Draw dashed (e.g. a baseline). */
  dash?: boolean;
}

/** Options of `lineChart`. */
export interface LineOptions extends ChartOptions {
  /** Logarithmic y axis. */
  logY?: boolean;
  /** Show markers on the points (default: only when a series has ≤ 40 points). */
  markers?: boolean;
}

/** Builds a line chart from several named series. */
export function lineChart(series: LineSeries[], opts: LineOptions = {}): Figure {
  if (!Array.isArray(series)) throw new TypeError("lineChart: series must be an array of { name, y }");
  const data = series.map((s, i) => {
    const y = checkSeries("lineChart", `series[${i}].y`, s.y);
    const markers = opts.markers ?? y.length <= 40;
    return {
      type: "scatter",
      mode: markers ? "lines+markers" : "lines",
      name: s.name,
      x: s.x ?? y.map((_, k) => k),
      y,
      line: s.dash ? { dash: "dash" } : undefined,
    };
  });
  const layout = baseLayout(opts);
  if (opts.logY) (layout.yaxis as Record<string, unknown>).type = "log";
  return { data, layout };
}
