/**
 * A 2-D map of a latent space (PCA or UMAP), coloured by something true about each point: position,
 * digit, room. Introduced in notebooks/03-mini-jepa.ipynb; used in 04.
 */
import { UMAP } from "umap-js";
import { pca } from "../eval/pca";
import { RowsInput, toDense } from "../eval/dense";
import { mulberry32, nextSeed } from "../random";
import { Figure } from "./figure";
import { scatterChart } from "./scatter";

/** Options of `latentMap`. */
export interface LatentMapOptions {
  /** "pca" (fast, linear) or "umap" (non-linear neighbourhoods, seeded). Default "pca". */
  method?: "pca" | "umap";
  /** Chart title. Default "latent map (<method>)". */
  title?: string;
  /** Title of the colour bar / legend. Default "". */
  colorLabel?: string;
  /** Treat colour values as categories (one legend entry each, e.g. digits). Default: true when there are at most 12 distinct integers. */
  categorical?: boolean;
  /** UMAP neighbours. Default 15. */
  neighbors?: number;
  /** Marker size. Default 5. */
  markerSize?: number;
}

/** The 2-D coordinates of the map, then the figure. `where` names the caller in error messages. */
export function latentCoords(z: RowsInput, method: "pca" | "umap" = "pca", neighbors = 15, where = "latentCoords"): number[][] {
  if (method === "pca") return pca(z, 2, where).projected;
  const m = toDense(where, "z", z);
  if (m.n < 2) throw new Error(`${where}: z must have at least 2 rows, received ${m.n}`);
  const rows = Array.from({ length: m.n }, (_, i) => Array.from(m.data.subarray(i * m.d, (i + 1) * m.d)));
  const umap = new UMAP({ nComponents: 2, nNeighbors: Math.min(neighbors, m.n - 1), random: mulberry32(nextSeed("umap")) });
  return umap.fit(rows);
}

/** Scatter of z: [N, D] mapped to 2-D, coloured by `color` ([N] numbers). */
export function latentMap(z: RowsInput, color: number[], opts: LatentMapOptions = {}): Figure {
  const method = opts.method ?? "pca";
  const xy = latentCoords(z, method, opts.neighbors, "latentMap");
  if (color.length !== xy.length) throw new Error(`latentMap: color must have one value per row of z (${xy.length}), received ${color.length}`);
  const distinct = [...new Set(color)];
  const categorical = opts.categorical ?? (distinct.length <= 12 && distinct.every(Number.isInteger));
  const title = opts.title ?? `latent map (${method})`;
  const size = opts.markerSize ?? 5;
  if (!categorical) {
    return scatterChart([{ x: xy.map((p) => p[0]), y: xy.map((p) => p[1]), color, size }], { title, colorLabel: opts.colorLabel, xLabel: `${method} 1`, yLabel: `${method} 2` });
  }
  const series = distinct.sort((a, b) => a - b).map((c) => {
    const idx = color.map((v, i) => (v === c ? i : -1)).filter((i) => i >= 0);
    return { name: `${opts.colorLabel ?? ""} ${c}`.trim(), x: idx.map((i) => xy[i][0]), y: idx.map((i) => xy[i][1]), size };
  });
  return scatterChart(series, { title, xLabel: `${method} 1`, yLabel: `${method} 2` });
}
