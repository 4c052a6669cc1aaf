/**
 * The surprise experiment of notebook 07 in one call: test clips that are normal, or where a shape
 * teleports or vanishes at a known frame; mean surprise over time; ratio and detection rate.
 * Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 */
import { bouncingShapes, BouncingShapesOptions } from "../data/bouncing-shapes";
import { surpriseOverTime, SurpriseModel } from "./surprise-over-time";

/** Options of `surpriseReport`. */
export interface SurpriseReportOptions {
  /** Clips per kind. Default 100. */
  clips?: number;
  /** Frames per clip. Default 16. */
  frames?: number;
  /** Frame of the event. Default 8. */
  eventAt?: number;
  /** Extra options for the test worlds (e.g. teleportDistance). */
  world?: Partial<BouncingShapesOptions>;
}

/** One row per event kind. */
export interface SurpriseRow {
  event: "teleport" | "vanish";
  /** Mean surprise at the event frame, event clips. */
  surpriseAtEvent: number;
  /** Mean surprise at the same frame, normal clips. */
  normalAtSameFrame: number;
  /** surpriseAtEvent / normalAtSameFrame. */
  ratio: number;
  /** Share of event clips whose largest surprise is within the k frames that contain the event. */
  detected: number;
}

/** Runs the three kinds of test clips through `model` and summarises. */
export function surpriseReport(model: SurpriseModel, opts: SurpriseReportOptions = {}) {
  const { clips = 100, frames = 16, eventAt = 8, world = {} } = opts;
  const k = model.options.frames;
  const run = (event: "none" | "teleport" | "vanish") => {
    const c = bouncingShapes(clips, frames, { ...world, event, eventAt });
    try {
      return surpriseOverTime(model, c.frames);
    } finally {
      c.frames.dispose();
      c.positions.dispose();
    }
  };
  const curves = { none: run("none"), teleport: run("teleport"), vanish: run("vanish") };
  const meanAt = (s: number[][], t: number) => s.reduce((a, row) => a + row[t], 0) / s.length;
  const times = Array.from({ length: frames }, (_, t) => t).filter((t) => t >= k);
  const argmax = (row: number[]) => times.reduce((best, t) => (row[t] > row[best] ? t : best), times[0]);
  const detected = (s: number[][]) => s.filter((row) => { const t = argmax(row); return t >= eventAt && t < eventAt + k; }).length / s.length;
  const rows: SurpriseRow[] = (["teleport", "vanish"] as const).map((event) => ({
    event,
    surpriseAtEvent: meanAt(curves[event], eventAt),
    normalAtSameFrame: meanAt(curves.none, eventAt),
    ratio: meanAt(curves[event], eventAt) / meanAt(curves.none, eventAt),
    detected: detected(curves[event]),
  }));
  const mean = (kind: keyof typeof curves) => times.map((t) => meanAt(curves[kind], t));
  return { rows, times, mean: { none: mean("none"), teleport: mean("teleport"), vanish: mean("vanish") }, curves };
}
