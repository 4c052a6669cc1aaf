/**
 * Paths in the (x, y) plane of a Two Rooms world, drawn over its wall: executed episodes, imagined
 * plans, goals and subgoals. Introduced in notebooks/06-planning.ipynb (planned vs executed paths)
 * and used in notebooks/09-hierarchical-planning.ipynb (paths with their subgoals).
 */
import { baseLayout, ChartOptions, Figure } from "./figure";
import type { WallGeometry } from "./rollout-paths";

/** One path: a line through points [T][2]. */
export interface RoomPath {
  /** Legend name. */
  name: string;
  /** Points [T][2] (x, y). */
  points: number[][];
  /** Line style: solid (default), "dash" or "dot". */
  dash?: "solid" | "dash" | "dot";
  /** Line colour (default: the palette, by path index). */
  color?: string;
  /** Mark the first point with an open circle. Default true. */
  markStart?: boolean;
}

/** A set of marked points (goals, subgoals). */
export interface RoomPoints {
  /** Legend name. */
  name: string;
  /** Points [N][2]. */
  points: number[][];
  /** Plotly marker symbol. Default "star". */
  symbol?: string;
  /** Marker colour (default: the palette, by position after the paths). */
  color?: string;
  /** Marker size in pixels. Default 12. */
  size?: number;
}

/** Options of `roomPathChart`. */
export interface RoomPathOptions extends ChartOptions {
  /** Draw this wall (pass the `TwoRooms` world). Default: no wall. */
  wall?: WallGeometry;
  /** Marked points drawn over the paths. Default none. */
  points?: RoomPoints[];
}

const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2"];

/** Paths and points in the unit square, equal axes, with the wall as grey rectangles. */
export function roomPathChart(paths: RoomPath[], opts: RoomPathOptions = {}): Figure {
  const where = "roomPathChart";
  if (!Array.isArray(paths)) throw new TypeError(`${where}: paths must be an array of { name, points }, received ${typeof paths}`);
  const check = (arg: string, pts: unknown) => {
    if (!Array.isArray(pts) || !pts.every((p) => Array.isArray(p) && p.length >= 2 && p.every((v) => typeof v === "number"))) {
      throw new TypeError(`${where}: ${arg} must be an array of [x, y] points, received ${Array.isArray(pts) ? "an array with a bad point" : typeof pts}`);
    }
    return pts as number[][];
  };
  const data: Record<string, unknown>[] = [];
  paths.forEach((p, i) => {
    const pts = check(`paths[${i}].points`, p?.points);
    const color = p.color ?? palette[i % palette.length];
    const group = `path ${i}`;
    data.push({
      type: "scatter", mode: "lines+markers", name: p.name, legendgroup: group, x: pts.map((q) => q[0]), y: pts.map((q) => q[1]),
      line: { color, width: 2, dash: p.dash ?? "solid" }, marker: { size: 4, color },
    });
    if ((p.markStart ?? true) && pts.length) {
      data.push({ type: "scatter", mode: "markers", showlegend: false, legendgroup: group, x: [pts[0][0]], y: [pts[0][1]], marker: { size: 11, color, symbol: "circle-open", line: { width: 2 } } });
    }
  });
  (opts.points ?? []).forEach((s, i) => {
    const pts = check(`opts.points[${i}].points`, s?.points);
    data.push({
      type: "scatter", mode: "markers", name: s.name, x: pts.map((q) => q[0]), y: pts.map((q) => q[1]),
      marker: { size: s.size ?? 12, symbol: s.symbol ?? "star", color: s.color ?? palette[(paths.length + i) % palette.length], line: { width: 1, color: "#333" } },
    });
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
