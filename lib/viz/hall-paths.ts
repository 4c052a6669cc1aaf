/**
 * Paths in a row of rooms (lib/data/row-of-rooms.ts), drawn over its walls: executed episodes,
 * subgoals, goals. `roomPathChart` with the hall's axes and walls. Introduced in
 * notebooks/09-hierarchical-planning.ipynb.
 */
import { ChartOptions, Figure } from "./figure";
import { RoomPath, roomPathChart, RoomPoints } from "./room-paths";

/** What `hallPathChart` needs of the world: its width and its wall rectangles. */
export interface HallGeometry {
  /** Width of the hall (its height is 1). */
  width: number;
  /** The wall pieces, { x0, x1, y0, y1 } each. */
  walls: readonly { x0: number; x1: number; y0: number; y1: number }[];
}

/** Options of `hallPathChart`. */
export interface HallPathOptions extends ChartOptions {
  /** The world whose walls are drawn (pass the `RowOfRooms`). Required. */
  world: HallGeometry;
  /** Marked points drawn over the paths (goals, subgoals). Default none. */
  points?: RoomPoints[];
}

/** Paths and points in the hall [0, width] x [0, 1], equal axes, walls as grey rectangles. */
export function hallPathChart(paths: RoomPath[], opts: HallPathOptions): Figure {
  const w = opts?.world;
  if (!w || typeof w.width !== "number" || !Array.isArray(w.walls)) {
    throw new TypeError(`hallPathChart: opts.world must have a width and walls (a RowOfRooms), received ${w === null ? "null" : typeof w}`);
  }
  const fig = roomPathChart(paths, { width: 960, height: 330, ...opts, wall: undefined });
  const layout = fig.layout as Record<string, Record<string, unknown> | unknown>;
  layout.xaxis = { ...(layout.xaxis as object), range: [-0.02, w.width + 0.02] };
  layout.yaxis = { ...(layout.yaxis as object), range: [-0.02, 1.02], scaleanchor: "x" };
  layout.shapes = w.walls.map((r) => ({ type: "rect", x0: r.x0, x1: r.x1, y0: r.y0, y1: r.y1, fillcolor: "#888", opacity: 0.5, line: { width: 0 } }));
  return fig;
}
