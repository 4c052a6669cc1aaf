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
  /**
   * One panel per series, stacked with a shared x axis, each with its own y scale and labelled with
   * the series name: for quantities of different units or scales (a loss near 20 and an R² in [0, 1]).
   * Default false (one shared axis).
   */
  panels?: boolean;
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
  return opts.panels && data.length > 1 ? stackPanels({ data, layout }, opts) : { data, layout };
}

/** Puts trace i on its own y axis (panel i from the top), all sharing the x axis. */
function stackPanels(fig: Figure, opts: LineOptions): Figure {
  const n = fig.data.length;
  const gap = 0.04;
  const layout: Record<string, unknown> = { ...fig.layout, height: opts.height ?? Math.max(400, 150 * n), showlegend: false };
  fig.data.forEach((trace, i) => {
    const axis = i === 0 ? "yaxis" : `yaxis${i + 1}`;
    const top = 1 - i / n;
    layout[axis] = {
      domain: [Math.max(0, top - 1 / n + gap / 2), top - gap / 2], zeroline: false, type: opts.logY ? "log" : undefined,
      title: { text: String(trace.name), font: { size: 12 } }, anchor: "x",
    };
    trace.yaxis = i === 0 ? "y" : `y${i + 1}`;
    trace.xaxis = "x";
  });
  return { data: fig.data, layout };
}
