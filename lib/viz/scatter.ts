/** Scatter plot, optionally coloured by a value: latent maps coloured by the true state. Introduced in notebooks/00-setup.ipynb. */
import { baseLayout, ChartOptions, checkSeries, Figure } from "./figure";

/** One group of points. */
export interface ScatterSeries {
  /** Legend name. */
  name?: string;
  x: number[];
  y: number[];
  /** Colour per point: numbers use a continuous colour scale, strings are colours or categories. */
  color?: number[] | string[];
  /** Hover text per point. */
  text?: string[];
  /** Marker size in pixels (default 6). */
  size?: number;
}

/** Options of `scatterChart`. */
export interface ScatterOptions extends ChartOptions {
  /** Title of the colour bar (numeric colours only). */
  colorLabel?: string;
  /** Same scale on both axes (default false). */
  equalAxes?: boolean;
}

/** Builds a scatter plot of one or more point groups. */
export function scatterChart(series: ScatterSeries[], opts: ScatterOptions = {}): Figure {
  if (!Array.isArray(series)) throw new TypeError("scatterChart: series must be an array of { x, y }");
  const data = series.map((s, i) => {
    const x = checkSeries("scatterChart", `series[${i}].x`, s.x);
    const y = checkSeries("scatterChart", `series[${i}].y`, s.y);
    if (x.length !== y.length) {
      throw new Error(`scatterChart: series[${i}].x and .y must have the same length, received ${x.length} and ${y.length}`);
    }
    const numeric = Array.isArray(s.color) && typeof s.color[0] === "number";
    return {
      type: "scatter",
      mode: "markers",
      name: s.name,
      x,
      y,
      text: s.text,
      marker: {
        size: s.size ?? 6,
        color: s.color,
        colorscale: numeric ? "Viridis" : undefined,
        showscale: numeric && i === 0,
        colorbar: numeric ? { title: { text: opts.colorLabel ?? "" } } : undefined,
      },
    };
  });
  const layout = baseLayout(opts);
  if (opts.equalAxes) (layout.yaxis as Record<string, unknown>).scaleanchor = "x";
  return { data, layout };
}
