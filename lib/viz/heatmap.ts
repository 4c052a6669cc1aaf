/** Heatmap of a matrix: cost landscapes, energies over z, covariance. Introduced in notebooks/00-setup.ipynb. */
import { baseLayout, ChartOptions, Figure } from "./figure";

/** Options of `heatmap`. */
export interface HeatmapOptions extends ChartOptions {
  /** Column coordinates (default 0..cols-1). */
  x?: number[];
  /** Row coordinates (default 0..rows-1). */
  y?: number[];
  /** Plotly colour scale name (default "Viridis"). */
  colorscale?: string;
  /** Title of the colour bar. */
  colorLabel?: string;
}

/** Builds a heatmap of `z` ([rows][cols]); row 0 is drawn at the bottom, as on a plot's y axis. */
export function heatmap(z: number[][], opts: HeatmapOptions = {}): Figure {
  if (!Array.isArray(z) || !Array.isArray(z[0])) throw new TypeError("heatmap: z must be a 2-D array [rows][cols]");
  const cols = z[0].length;
  z.forEach((row, i) => {
    if (row.length !== cols) throw new Error(`heatmap: z rows must have equal length, row ${i} has ${row.length}, expected ${cols}`);
  });
  return {
    data: [{
      type: "heatmap", z, x: opts.x, y: opts.y,
      colorscale: opts.colorscale ?? "Viridis",
      colorbar: { title: { text: opts.colorLabel ?? "" } },
    }],
    layout: baseLayout(opts),
  };
}
