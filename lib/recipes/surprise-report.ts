/**
 * The surprise experiment of notebook 07 in one call: test clips that are normal, or where a shape
 * teleports or vanishes at a known frame; surprise over time; how much larger it is at the event
 * (ratio) and how often a threshold set on normal clips catches the event (detection at a fixed
 * false-alarm rate). Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 *
 * The detector: a clip raises an alarm at frame t when its surprise there exceeds a threshold. The
 * threshold is the (1 - falseAlarmRate) quantile of the largest surprise of each clip of one set
 * of normal clips, so on those clips it fires in falseAlarmRate of them; `falseAlarms` measures it
 * again on a second, fresh set of normal clips. An event clip counts as detected when the alarm
 * fires at a frame whose window contains the event (frames eventAt .. eventAt + k - 1).
 */
import { bouncingShapes, BouncingShapesOptions, ShapeEvent } from "../data/bouncing-shapes";
import { SurpriseOptions } from "../eval/surprise";
import { surpriseOverTime, SurpriseModel } from "../eval/surprise-over-time";
import { checkNumber, withDefaults } from "../check";

/** Options of `surpriseReport`. */
export interface SurpriseReportOptions {
  /** Clips of each kind (normal, teleport, vanish, and the second normal set). Default 200. */
  clips?: number;
  /** Frames per clip. Default 16. */
  frames?: number;
  /** Frame of the event. Default 8. */
  eventAt?: number;
  /** Share of normal clips on which the detector may fire (sets the threshold). Default 0.05. */
  falseAlarmRate?: number;
  /** How the newest frame's region errors become one number (see `surprise`). Default "max". */
  reduce?: SurpriseOptions["reduce"];
  /** Extra options for the test worlds (e.g. teleportDistance). */
  world?: Partial<BouncingShapesOptions>;
}

/** Default options of `surpriseReport`. */
export const surpriseReportDefaults = { clips: 200, frames: 16, eventAt: 8, falseAlarmRate: 0.05, reduce: "max" as const };

/** One row per event kind. */
export interface SurpriseRow {
  event: "teleport" | "vanish";
  /** Mean surprise at the event frame over the event clips. */
  surpriseAtEvent: number;
  /** Mean surprise at the same frame over the normal clips. */
  normalAtSameFrame: number;
  /** surpriseAtEvent / normalAtSameFrame. */
  ratio: number;
  /** Share of event clips where the detector fires at a frame whose window contains the event. */
  detected: number;
  /** Share of fresh normal clips where the detector fires at any frame. */
  falseAlarms: number;
  /** The detector's threshold on surprise. */
  threshold: number;
}

/** What `surpriseReport` returns. */
export interface SurpriseReport {
  rows: SurpriseRow[];
  /** The scored frames (k-1 .. frames-1). */
  times: number[];
  /** Mean surprise per scored frame, per kind of clip. */
  mean: Record<"none" | "teleport" | "vanish", number[]>;
  /** Surprise per clip and frame [clips][frames] (NaN before frame k-1), per kind of clip. */
  curves: Record<"none" | "teleport" | "vanish" | "fresh", number[][]>;
  threshold: number;
}

/** Runs the four sets of test clips through `model` and summarises. */
export function surpriseReport(model: SurpriseModel, opts: SurpriseReportOptions = {}): SurpriseReport {
  const where = "surpriseReport";
  const o = withDefaults(surpriseReportDefaults, opts, where);
  const k = model.options.frames;
  checkNumber(where, "opts.clips", o.clips, { min: 1, integer: true });
  checkNumber(where, "opts.frames", o.frames, { min: k, integer: true });
  checkNumber(where, "opts.eventAt", o.eventAt, { min: k - 1, max: o.frames - 1, integer: true });
  checkNumber(where, "opts.falseAlarmRate", o.falseAlarmRate, { min: 0, max: 1 });
  const run = (event: ShapeEvent) => {
    const c = bouncingShapes(o.clips, o.frames, { ...o.world, event, eventAt: event === "none" ? undefined : o.eventAt });
    try {
      return surpriseOverTime(model, c.frames, { reduce: o.reduce });
    } finally {
      c.frames.dispose();
      c.positions.dispose();
    }
  };
  const curves = { none: run("none"), teleport: run("teleport"), vanish: run("vanish"), fresh: run("none") };
  const times = Array.from({ length: o.frames - k + 1 }, (_, i) => k - 1 + i);
  const peak = (row: number[], ts: number[]) => Math.max(...ts.map((t) => row[t]));
  const threshold = quantile(curves.none.map((row) => peak(row, times)), 1 - o.falseAlarmRate);
  const eventTimes = times.filter((t) => t >= o.eventAt && t < o.eventAt + k);
  const share = (rows: number[][], ts: number[]) => rows.filter((row) => peak(row, ts) > threshold).length / rows.length;
  const meanAt = (rows: number[][], t: number) => rows.reduce((a, row) => a + row[t], 0) / rows.length;
  const falseAlarms = share(curves.fresh, times);
  const rows: SurpriseRow[] = (["teleport", "vanish"] as const).map((event) => ({
    event,
    surpriseAtEvent: meanAt(curves[event], o.eventAt),
    normalAtSameFrame: meanAt(curves.none, o.eventAt),
    ratio: meanAt(curves[event], o.eventAt) / meanAt(curves.none, o.eventAt),
    detected: share(curves[event], eventTimes),
    falseAlarms,
    threshold,
  }));
  const mean = (kind: "none" | "teleport" | "vanish") => times.map((t) => meanAt(curves[kind], t));
  return { rows, times, mean: { none: mean("none"), teleport: mean("teleport"), vanish: mean("vanish") }, curves, threshold };
}

/** The q-quantile of xs (the value below which a share q of them lie; nearest rank, rounding up). */
function quantile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}
