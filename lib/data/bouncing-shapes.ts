/**
 * Bouncing shapes with physically impossible events. Introduced in
 * notebooks/07-video-jepa-and-surprise.ipynb (V-JEPA tube masking; surprise spikes at events).
 *
 * S shapes (alternately a square and a disc) move at constant speed and bounce off the walls; they
 * pass over each other. An optional event breaks physics once per clip, at `eventAt`:
 *   - "teleport": one shape jumps to a far random position (then moves on with its velocity);
 *   - "vanish": one shape disappears from that frame on (its position keeps following the physics
 *     it would have had, and `visible` says it is not drawn).
 * A predictor trained on normal clips should be surprised (large prediction error) right there.
 *
 * Positions (x, y) in [0,1]^2 with y up (row 0 is the top of the image, see ./common).
 * Randomness from `rng("data:bouncing-shapes")`.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { rng, randInt, type Rng } from "../random";
import { checkCount, drawShape } from "./common";

/** A physics-breaking event. */
export type ShapeEvent = "none" | "teleport" | "vanish";

/** Options of `bouncingShapes`. */
export interface BouncingShapesOptions {
  /** Image side in pixels (integer in [4, 256]). Default 16. */
  size: number;
  /** Number of shapes S: even indices are squares, odd ones discs. Default 2. */
  numShapes: number;
  /** Disc radius / square half-side, in state units. Default 0.1. */
  radius: number;
  /** Distance per frame, in state units (random direction per shape). Default 0.05. */
  speed: number;
  /** The event in each clip. Default "none". */
  event: ShapeEvent;
  /** Frame index of the event, in [1, T-1]; undefined = random in the middle third of the clip. Default undefined. */
  eventAt: number | undefined;
  /** Which shape the event happens to; undefined = random. Default undefined. */
  eventShape: number | undefined;
  /** Chance that a clip has the event (else eventAt = -1 for it), in [0, 1]. Default 1. */
  eventProbability: number;
  /** Smallest jump of a teleport, in state units. Default 0.4. */
  teleportDistance: number;
}

/** Default options of `bouncingShapes`. */
export const bouncingShapesDefaults: BouncingShapesOptions = {
  size: 16, numShapes: 2, radius: 0.1, speed: 0.05, event: "none", eventAt: undefined, eventShape: undefined,
  eventProbability: 1, teleportDistance: 0.4,
};

/** Clips of bouncing shapes. Dispose the two tensors when done. */
export interface BouncingShapesClips {
  /** Frames. [N, T, size, size, 1] in [0, 1]. */
  frames: tf.Tensor5D;
  /** Shape centres. [N, T, S, 2]. */
  positions: tf.Tensor4D;
  /** Frame of the event per clip, -1 for none. */
  eventAt: number[];
  /** Shape the event happened to per clip, -1 for none. */
  eventShape: number[];
  /** 1 if shape s is drawn at frame t, [N][T][S] (0 after a vanish). */
  visible: number[][][];
}

/** n clips of T frames of S bouncing shapes, with an optional teleport or vanish event. */
export function bouncingShapes(n: number, T: number, opts: Partial<BouncingShapesOptions> = {}): BouncingShapesClips {
  const where = "bouncingShapes";
  checkCount(where, "n", n);
  checkCount(where, "T", T);
  const o = checkShapesOptions(where, T, opts);
  const r = rng("data:bouncing-shapes");
  const S = o.numShapes;
  const P = o.size;
  const frame = P * P;
  const img = new Float32Array(n * T * frame);
  const pos = new Float32Array(n * T * S * 2);
  const eventAt: number[] = [];
  const eventShape: number[] = [];
  const visible: number[][][] = [];
  const lo = o.radius;
  const hi = 1 - o.radius;
  for (let i = 0; i < n; i++) {
    const p = Array.from({ length: S }, () => [lo + (hi - lo) * r(), lo + (hi - lo) * r()]);
    const v = p.map(() => {
      const th = 2 * Math.PI * r();
      return [o.speed * Math.cos(th), o.speed * Math.sin(th)];
    });
    const has = o.event !== "none" && r() < o.eventProbability;
    const at = has ? o.eventAt ?? middleThird(r, T) : -1;
    const who = has ? o.eventShape ?? randInt(r, S) : -1;
    eventAt.push(at);
    eventShape.push(who);
    const vis: number[][] = [];
    for (let t = 0; t < T; t++) {
      if (t === at && o.event === "teleport") p[who] = farPoint(r, p[who], lo, hi, o.teleportDistance);
      const shown = p.map((_, s) => (o.event === "vanish" && s === who && t >= at ? 0 : 1));
      vis.push(shown);
      const k = i * T + t;
      p.forEach(([x, y], s) => {
        pos[(k * S + s) * 2] = x;
        pos[(k * S + s) * 2 + 1] = y;
        if (shown[s]) drawShape(img, k * frame, P, x, y, o.radius, s % 2 === 0 ? "square" : "disc");
      });
      p.forEach((q, s) => {
        for (let d = 0; d < 2; d++) {
          q[d] += v[s][d];
          if (q[d] < lo) { q[d] = 2 * lo - q[d]; v[s][d] = -v[s][d]; }
          if (q[d] > hi) { q[d] = 2 * hi - q[d]; v[s][d] = -v[s][d]; }
        }
      });
    }
    visible.push(vis);
  }
  return {
    frames: tf.tensor5d(img, [n, T, P, P, 1], "float32"),
    positions: tf.tensor4d(pos, [n, T, S, 2], "float32"),
    eventAt,
    eventShape,
    visible,
  };
}

/** A frame index in the middle third of a clip of T frames, within [1, T-1]. */
function middleThird(r: Rng, T: number): number {
  const a = Math.max(1, Math.floor(T / 3));
  const b = Math.min(T - 1, Math.max(a, Math.ceil((2 * T) / 3) - 1));
  return a + randInt(r, b - a + 1);
}

/** A random point in [lo, hi]^2 at least `minDist` from `from` (the farthest of 50 tries if none is). */
function farPoint(r: Rng, from: number[], lo: number, hi: number, minDist: number): number[] {
  let best = from;
  let bestD = -1;
  for (let k = 0; k < 50; k++) {
    const q = [lo + (hi - lo) * r(), lo + (hi - lo) * r()];
    const d = Math.hypot(q[0] - from[0], q[1] - from[1]);
    if (d >= minDist) return q;
    if (d > bestD) { best = q; bestD = d; }
  }
  return best;
}

function checkShapesOptions(where: string, T: number, opts: Partial<BouncingShapesOptions>): BouncingShapesOptions {
  const o = withDefaults(bouncingShapesDefaults, opts, where);
  checkNumber(where, "opts.size", o.size, { min: 4, max: 256, integer: true });
  checkCount(where, "opts.numShapes", o.numShapes, 1, 100);
  checkNumber(where, "opts.radius", o.radius, { min: 0, max: 0.25, exclusiveMin: true });
  checkNumber(where, "opts.speed", o.speed, { min: 0, max: 0.5 });
  if (!["none", "teleport", "vanish"].includes(o.event)) throw new RangeError(`${where}: opts.event must be "none", "teleport" or "vanish", received ${String(o.event)}`);
  checkNumber(where, "opts.eventProbability", o.eventProbability, { min: 0, max: 1 });
  checkNumber(where, "opts.teleportDistance", o.teleportDistance, { min: 0, max: 1 });
  if (o.event !== "none") {
    if (T < 2) throw new RangeError(`${where}: T must be >= 2 for an event (one frame before it), received ${T}`);
    if (o.eventAt !== undefined) checkNumber(where, "opts.eventAt", o.eventAt, { min: 1, max: T - 1, integer: true });
    if (o.eventShape !== undefined) checkNumber(where, "opts.eventShape", o.eventShape, { min: 0, max: o.numShapes - 1, integer: true });
  }
  return o;
}
