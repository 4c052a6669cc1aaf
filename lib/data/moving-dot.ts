/**
 * Moving dot with distractor noise. Introduced in notebooks/01-autoregressive-contrast.ipynb.
 *
 * A dot moves at constant speed in a box and bounces off its walls. Optional "leaves in the wind":
 * high-entropy noise drawn independently for every pixel of every frame, added to the image and
 * clipped to [0, 1]. A pixel predictor has to model it (and cannot: it is unpredictable, so it
 * predicts its mean and blurs); a latent predictor only needs the dot's position and can ignore it.
 *
 * Positions are (x, y) in [0,1]^2 with y up (row 0 of an image is the top; see ./common).
 * Randomness from the stream `rng("data:moving-dot")`.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { rng, randn } from "../random";
import { checkCount, clamp, drawShape } from "./common";

/** Options of `movingDotClips`. */
export interface MovingDotOptions {
  /** Image side in pixels (integer in [4, 256]). Default 16. */
  imageSize: number;
  /** Dot radius in state units (0, 0.25]. Default 0.08 (about 1.3 pixels at size 16). */
  radius: number;
  /** Distance travelled per frame in state units (0, 0.5]. The direction is random per clip. Default 0.05. */
  speed: number;
  /** Distractor strength in [0, 1]: 0 = clean frames, 1 = noise as bright as the dot. Default 0. */
  noise: number;
  /**
   * Kind of distractor, redrawn independently every frame: "leaves" = each pixel uniform in
   * [0, noise]; "gaussian" = each pixel normal with std `noise` (then clipped). Default "leaves".
   */
  noiseKind: "leaves" | "gaussian";
  /** Also return the noise-free frames as `clean`. Default false. */
  withClean: boolean;
}

/** Default options of `movingDotClips`. */
export const movingDotDefaults: MovingDotOptions = {
  imageSize: 16, radius: 0.08, speed: 0.05, noise: 0, noiseKind: "leaves", withClean: false,
};

/** Clips of a bouncing dot. Dispose the tensors when done. */
export interface MovingDotClips {
  /** Frames with the distractor. [N, T, S, S, 1] in [0, 1]. */
  frames: tf.Tensor5D;
  /** Dot centre (x, y) per frame. [N, T, 2] in [radius, 1 - radius]. */
  positions: tf.Tensor3D;
  /** Velocity per frame at the start of each clip, [N][2] (it flips sign at each bounce). */
  velocities: number[][];
  /** Noise-free frames [N, T, S, S, 1], only when `withClean` is set. */
  clean?: tf.Tensor5D;
}

/** n clips of T frames of a dot bouncing in a box, with optional per-frame distractor noise. */
export function movingDotClips(n: number, T: number, opts: Partial<MovingDotOptions> = {}): MovingDotClips {
  const where = "movingDotClips";
  checkCount(where, "n", n);
  checkCount(where, "T", T);
  const o = withDefaults(movingDotDefaults, opts, where);
  checkNumber(where, "opts.imageSize", o.imageSize, { min: 4, max: 256, integer: true });
  checkNumber(where, "opts.radius", o.radius, { min: 0, max: 0.25, exclusiveMin: true });
  checkNumber(where, "opts.speed", o.speed, { min: 0, max: 0.5, exclusiveMin: true });
  checkNumber(where, "opts.noise", o.noise, { min: 0, max: 1 });
  if (o.noiseKind !== "leaves" && o.noiseKind !== "gaussian") {
    throw new RangeError(`${where}: opts.noiseKind must be "leaves" or "gaussian", received ${String(o.noiseKind)}`);
  }
  const r = rng("data:moving-dot");
  const S = o.imageSize;
  const frame = S * S;
  const clean = new Float32Array(n * T * frame);
  const pos = new Float32Array(n * T * 2);
  const velocities: number[][] = [];
  const lo = o.radius;
  const hi = 1 - o.radius;
  for (let i = 0; i < n; i++) {
    let x = lo + (hi - lo) * r();
    let y = lo + (hi - lo) * r();
    const th = 2 * Math.PI * r();
    let vx = o.speed * Math.cos(th);
    let vy = o.speed * Math.sin(th);
    velocities.push([vx, vy]);
    for (let t = 0; t < T; t++) {
      const k = i * T + t;
      pos[2 * k] = x;
      pos[2 * k + 1] = y;
      drawShape(clean, k * frame, S, x, y, o.radius, "disc");
      [x, vx] = bounce(x + vx, vx, lo, hi);
      [y, vy] = bounce(y + vy, vy, lo, hi);
    }
  }
  const noisy = o.noise > 0 ? addNoise(clean, o.noise, o.noiseKind, r) : clean;
  const shape: [number, number, number, number, number] = [n, T, S, S, 1];
  return {
    frames: tf.tensor5d(noisy, shape, "float32"),
    positions: tf.tensor3d(pos, [n, T, 2], "float32"),
    velocities,
    ...(o.withClean ? { clean: tf.tensor5d(clean, shape, "float32") } : {}),
  };
}

/** Reflects a coordinate that left [lo, hi] back inside (also for steps longer than the box). */
function bounce(p: number, v: number, lo: number, hi: number): [number, number] {
  for (let k = 0; k < 8 && (p < lo || p > hi); k++) {
    if (p < lo) p = 2 * lo - p;
    else p = 2 * hi - p;
    v = -v;
  }
  return [clamp(p, lo, hi), v];
}

function addNoise(clean: Float32Array, level: number, kind: "leaves" | "gaussian", r: () => number): Float32Array {
  const out = new Float32Array(clean.length);
  for (let j = 0; j < clean.length; j++) {
    const e = kind === "leaves" ? level * r() : level * randn(r);
    out[j] = clamp(clean[j] + e, 0, 1);
  }
  return out;
}
