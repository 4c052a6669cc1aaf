/** A grid of grey images (frames, digits, masks, predictions). Introduced in notebooks/00-setup.ipynb. */
import * as tf from "@tensorflow/tfjs";
import { Figure } from "./figure";

/** Options of `imageGrid`. */
export interface ImageGridOptions {
  /** Images per row (default: min(n, 8)). */
  cols?: number;
  /** One caption per image. */
  titles?: string[];
  /** Title above the grid. */
  title?: string;
  /** Pixel size of one image cell on screen (default 90). */
  cell?: number;
  /** Colour scale (default "Greys", reversed so 1 is dark). */
  colorscale?: string;
  /** Value range (default [0, 1]). */
  range?: [number, number];
}

/** Images as [N][H][W] arrays (or a tensor [N, H, W] / [N, H, W, 1]) in [0, 1] by default. */
export function imageGrid(images: number[][][] | tf.Tensor, opts: ImageGridOptions = {}): Figure {
  const imgs = toArrays(images);
  const n = imgs.length;
  if (n === 0) throw new Error("imageGrid: images must hold at least one image, received 0");
  const cols = opts.cols ?? Math.min(n, 8);
  const rows = Math.ceil(n / cols);
  const cell = opts.cell ?? 90;
  const [lo, hi] = opts.range ?? [0, 1];
  const data: Record<string, unknown>[] = [];
  const layout: Record<string, unknown> = {
    title: opts.title ? { text: opts.title } : undefined,
    width: Math.max(cols * cell + 40, 200),
    height: rows * (cell + 20) + (opts.title ? 60 : 20),
    margin: { l: 10, r: 10, t: opts.title ? 50 : 10, b: 10 },
    showlegend: false,
    paper_bgcolor: "white",
    annotations: [] as unknown[],
  };
  const gap = 0.04;
  imgs.forEach((img, i) => {
    const r = Math.floor(i / cols);
    const c = i % cols;
    const ax = i === 0 ? "" : String(i + 1);
    data.push({
      type: "heatmap", z: img, xaxis: `x${ax}`, yaxis: `y${ax}`, zmin: lo, zmax: hi,
      colorscale: opts.colorscale ?? "Greys", reversescale: !opts.colorscale, showscale: false,
    });
    const x0 = c / cols + gap / cols;
    const x1 = (c + 1) / cols - gap / cols;
    const y1 = 1 - r / rows - (opts.titles ? 0.12 : gap) / rows;
    const y0 = 1 - (r + 1) / rows + gap / rows;
    layout[`xaxis${ax}`] = { domain: [x0, x1], visible: false, anchor: `y${ax}` };
    layout[`yaxis${ax}`] = { domain: [y0, y1], visible: false, autorange: "reversed", anchor: `x${ax}`, scaleanchor: `x${ax}` };
    if (opts.titles?.[i] !== undefined) {
      (layout.annotations as unknown[]).push({
        text: opts.titles[i], x: (x0 + x1) / 2, y: y1, xref: "paper", yref: "paper",
        yanchor: "bottom", showarrow: false, font: { size: 11 },
      });
    }
  });
  return { data, layout };
}

function toArrays(images: number[][][] | tf.Tensor): number[][][] {
  if (images instanceof tf.Tensor) {
    const t = images.rank === 4 && images.shape[3] === 1 ? images.squeeze([3]) : images;
    if (t.rank !== 3) throw new Error(`imageGrid: images must be [N, H, W] or [N, H, W, 1], received [${images.shape.join(", ")}]`);
    const arr = t.arraySync() as number[][][];
    if (t !== images) t.dispose();
    return arr;
  }
  if (!Array.isArray(images) || (images.length && !Array.isArray(images[0]))) {
    throw new TypeError("imageGrid: images must be an array of 2-D arrays [N][H][W] or a tensor [N, H, W]");
  }
  return images;
}
