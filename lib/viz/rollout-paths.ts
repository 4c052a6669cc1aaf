/**
 * Imagined vs real paths: a world model's rollout, read out with a position probe, drawn over the
 * true path in the (x, y) plane, with the Two Rooms wall. Introduced in notebooks/03-mini-jepa.ipynb.
 */
import type { ProbedRollout } from "../eval/rollout-probe";
import { baseLayout, ChartOptions, Figure } from "./figure";

/** The wall of a Two Rooms world (a `TwoRooms` instance has these fields). */
export interface WallGeometry {
  wallLeft: number;
  wallRight: number;
  doorLow: number;
  doorHigh: number;
}

/** Options of `rolloutPathChart`. */
export interface RolloutPathOptions extends ChartOptions {
  /** Which episodes of the rollout to draw. Default the first 4. */
  episodes?: number[];
  /** Draw this wall (pass the `TwoRooms` world). Default: no wall. */
  wall?: WallGeometry;
  /** Also draw the probe on the encoded true frames (dotted). Default false. */
  showEncoded?: boolean;
}

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

/** True paths (solid) and probed rollouts (dashed) of a few episodes; a circle marks each start. */
export function rolloutPathChart(r: ProbedRollout, opts: RolloutPathOptions = {}): Figure {
  const where = "rolloutPathChart";
  if (!r || !Array.isArray(r.predicted) || !Array.isArray(r.truth)) throw new TypeError(`${where}: r must be a probedRollout result { predicted, encoded, truth }`);
  const n = r.truth.length;
  const episodes = opts.episodes ?? Array.from({ length: Math.min(4, n) }, (_, i) => i);
  episodes.forEach((e, i) => {
    if (!Number.isInteger(e) || e < 0 || e >= n) throw new RangeError(`${where}: opts.episodes[${i}] must be an episode index in [0, ${n - 1}], received ${e}`);
  });
  const xs = (path: number[][]) => path.map((p) => p[0]);
  const ys = (path: number[][]) => path.map((p) => p[1]);
  const data: Record<string, unknown>[] = [];
  episodes.forEach((e, i) => {
    const color = palette[i % palette.length];
    const group = `episode ${e}`;
    data.push({ type: "scatter", mode: "lines+markers", name: `${group}: true`, legendgroup: group, x: xs(r.truth[e]), y: ys(r.truth[e]), line: { color, width: 2 }, marker: { size: 4 } });
    data.push({ type: "scatter", mode: "lines+markers", name: `${group}: rollout`, legendgroup: group, x: xs(r.predicted[e]), y: ys(r.predicted[e]), line: { color, dash: "dash", width: 2 }, marker: { size: 4, symbol: "x" } });
    if (opts.showEncoded) data.push({ type: "scatter", mode: "lines", name: `${group}: probe of real frames`, legendgroup: group, x: xs(r.encoded[e]), y: ys(r.encoded[e]), line: { color, dash: "dot", width: 1 } });
    data.push({ type: "scatter", mode: "markers", showlegend: false, legendgroup: group, x: [r.truth[e][0][0]], y: [r.truth[e][0][1]], marker: { size: 11, color, symbol: "circle-open", line: { width: 2 } } });
  });
  const layout = baseLayout({ width: 560, height: 560, xLabel: "x", yLabel: "y", ...opts });
  layout.xaxis = { ...(layout.xaxis as object), range: [-0.02, 1.02] };
  layout.yaxis = { ...(layout.yaxis as object), range: [-0.02, 1.02], scaleanchor: "x" };
  if (opts.wall) {
    const w = opts.wall;
    const rect = (y0: number, y1: number) => ({ type: "rect", x0: w.wallLeft, x1: w.wallRight, y0, y1, fillcolor: "#888", opacity: 0.5, line: { width: 0 } });
    layout.shapes = [rect(0, w.doorLow), rect(w.doorHigh, 1)];
  }
  return { data, layout };
}
