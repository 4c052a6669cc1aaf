/**
 * A Plotly figure as plain data, and the common layout options of every builder. Introduced in
 * notebooks/00-setup.ipynb.
 */

/** A Plotly figure: traces and a layout, exactly what `Plotly.newPlot(div, data, layout)` takes. */
export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

/** Options every figure builder accepts. */
export interface ChartOptions {
  /** Title above the chart. */
  title?: string;
  /** Label of the x axis. */
  xLabel?: string;
  /** Label of the y axis. */
  yLabel?: string;
  /** Width in pixels (default 640). */
  width?: number;
  /** Height in pixels (default 400). */
  height?: number;
}

/** Default size of a figure in pixels. */
export const figureDefaults = { width: 640, height: 400 };

/** The layout shared by every builder: title, axis labels, size, a clean white template. */
export function baseLayout(opts: ChartOptions, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    title: opts.title ? { text: opts.title } : undefined,
    width: opts.width ?? figureDefaults.width,
    height: opts.height ?? figureDefaults.height,
    margin: { l: 60, r: 20, t: opts.title ? 50 : 20, b: 50 },
    xaxis: { title: { text: opts.xLabel ?? "" }, zeroline: false },
    yaxis: { title: { text: opts.yLabel ?? "" }, zeroline: false },
    paper_bgcolor: "white",
    plot_bgcolor: "white",
    font: { family: "sans-serif", size: 13 },
    ...extra,
  };
}

/** Throws unless `xs` is an array; its values go to Plotly as they are (NaN or null leaves a gap). */
export function checkSeries(where: string, arg: string, xs: unknown): number[] {
  if (!Array.isArray(xs)) throw new TypeError(`${where}: ${arg} must be an array of numbers, received ${typeof xs}`);
  return xs as number[];
}
