/**
 * Fork world: one past, two futures. Introduced in notebooks/05-latent-variables.ipynb.
 *
 * A dot starts at the bottom centre of the image, moves up for `k` steps, then turns left or right
 * at random (50/50) and moves sideways for `h` more steps. The context (frames up to the fork)
 * says nothing about the branch, so a deterministic predictor of the future frame averages the two
 * branches (a blur, or a dot in the middle where no real future is); a predictor with a latent
 * variable z can produce each real future. `forkBranches` gives both real futures, so a notebook
 * can measure the distance from a prediction to the nearest one.
 *
 * Positions (x, y) in [0,1]^2 with y up (row 0 is the top of the image, see ./common). Branch
 * choices and start jitter come from `rng("data:fork")`.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";
import { rng } from "../random";
import { checkCount, checkPoints, drawShape } from "./common";

/** Options of `forkClips` and `forkBranches`. */
export interface ForkOptions {
  /** Image side in pixels (integer in [4, 256]). Default 16. */
  imageSize: number;
  /** Steps up before the fork (>= 1). Default 4. */
  k: number;
  /** Steps sideways after the fork (>= 1): the future frame is h steps after the fork. Default 4. */
  h: number;
  /** Distance per step, in state units. Default 0.08. */
  step: number;
  /** Dot radius in state units. Default 0.07. */
  radius: number;
  /** Height (y) of the start, at the bottom centre. Default 0.12. */
  startY: number;
  /** Start x is uniform in 0.5 +- startJitter (0 = always the exact centre). Default 0. */
  startJitter: number;
  /** Frames stacked as channels in `context`: the last ones up to and including the fork point (1..k+1). Default 2. */
  contextFrames: number;
}

/** Default options of the fork world. */
export const forkDefaults: ForkOptions = { imageSize: 16, k: 4, h: 4, step: 0.08, radius: 0.07, startY: 0.12, startJitter: 0, contextFrames: 2 };

/** Fork-world samples. Dispose the two tensors when done. */
export interface ForkClips {
  /** Frames t = k-contextFrames+1 .. k (the fork point) as channels, oldest first. [N, S, S, contextFrames]. */
  context: tf.Tensor4D;
  /** The frame h steps after the fork. [N, S, S, 1]. */
  future: tf.Tensor4D;
  /** 0 = went left, 1 = went right. */
  branch: number[];
  /** Dot position in the future frame, [N][2]. */
  futurePositions: number[][];
  /** Start position of each sample, [N][2] (pass to `forkBranches` when startJitter > 0). */
  starts: number[][];
}

/** The two possible futures of one context. Dispose `frames` when done. */
export interface ForkBranches {
  /** Future frames: index 0 = left, 1 = right. [2, S, S, 1]. */
  frames: tf.Tensor4D;
  /** Future positions: [0] = left, [1] = right, [2][2]. */
  positions: number[][];
}

/** n fork-world samples: context frames, the future frame, which branch was taken. */
export function forkClips(n: number, opts: Partial<ForkOptions> = {}): ForkClips {
  const where = "forkClips";
  checkCount(where, "n", n);
  const o = checkForkOptions(where, opts);
  const r = rng("data:fork");
  const S = o.imageSize;
  const frame = S * S;
  const C = o.contextFrames;
  const ctx = new Float32Array(n * frame * C);
  const fut = new Float32Array(n * frame);
  const branch: number[] = [];
  const futurePositions: number[][] = [];
  const starts: number[][] = [];
  const one = new Float32Array(frame);
  for (let i = 0; i < n; i++) {
    const start = [0.5 + o.startJitter * (2 * r() - 1), o.startY];
    const b = r() < 0.5 ? 0 : 1;
    for (let c = 0; c < C; c++) {
      one.fill(0);
      const [x, y] = forkPosition(o, start, o.k - C + 1 + c, b);
      drawShape(one, 0, S, x, y, o.radius, "disc");
      for (let j = 0; j < frame; j++) ctx[(i * frame + j) * C + c] = one[j];
    }
    const p = forkPosition(o, start, o.k + o.h, b);
    drawShape(fut, i * frame, S, p[0], p[1], o.radius, "disc");
    branch.push(b);
    futurePositions.push(p);
    starts.push(start);
  }
  return {
    context: tf.tensor4d(ctx, [n, S, S, C], "float32"),
    future: tf.tensor4d(fut, [n, S, S, 1], "float32"),
    branch,
    futurePositions,
    starts,
  };
}

/** Both real futures (left, right) of a context that started at `start` (default: the bottom centre). */
export function forkBranches(opts: Partial<ForkOptions> = {}, start?: number[]): ForkBranches {
  const where = "forkBranches";
  const o = checkForkOptions(where, opts);
  const s = start ?? [0.5, o.startY];
  if (!Array.isArray(s) || s.length !== 2 || !s.every(Number.isFinite)) throw new TypeError(`${where}: start must be a pair [x, y] of finite numbers, received ${String(start)}`);
  const S = o.imageSize;
  const buf = new Float32Array(2 * S * S);
  const positions = [0, 1].map((b) => forkPosition(o, s, o.k + o.h, b));
  positions.forEach((p, b) => drawShape(buf, b * S * S, S, p[0], p[1], o.radius, "disc"));
  return { frames: tf.tensor4d(buf, [2, S, S, 1], "float32"), positions };
}

/**
 * Frames of the fork world with the dot at the given positions [N][2] (x right, y up): e.g. futures
 * that cannot happen (the dot went straight on, or landed off its branch). [N, S, S, 1].
 */
export function forkFrames(positions: number[][], opts: Partial<ForkOptions> = {}): tf.Tensor4D {
  const where = "forkFrames";
  const o = checkForkOptions(where, opts);
  const n = checkPoints(where, "positions", positions);
  const S = o.imageSize;
  const buf = new Float32Array(n * S * S);
  positions.forEach((p, i) => drawShape(buf, i * S * S, S, p[0], p[1], o.radius, "disc"));
  return tf.tensor4d(buf, [n, S, S, 1], "float32");
}

/** Dot position at time t (0 = start; the fork is at t = k) on branch b (0 left, 1 right). */
export function forkPosition(o: ForkOptions, start: number[], t: number, b: number): number[] {
  const up = Math.min(t, o.k);
  const side = Math.max(0, t - o.k);
  return [start[0] + (b === 1 ? 1 : -1) * side * o.step, start[1] + up * o.step];
}

function checkForkOptions(where: string, opts: Partial<ForkOptions>): ForkOptions {
  const o = withDefaults(forkDefaults, opts, where);
  checkNumber(where, "opts.imageSize", o.imageSize, { min: 4, max: 256, integer: true });
  checkCount(where, "opts.k", o.k, 1, 1000);
  checkCount(where, "opts.h", o.h, 1, 1000);
  checkNumber(where, "opts.step", o.step, { min: 0, max: 1, exclusiveMin: true });
  checkNumber(where, "opts.radius", o.radius, { min: 0, max: 0.25, exclusiveMin: true });
  checkNumber(where, "opts.startY", o.startY, { min: 0, max: 1 });
  checkNumber(where, "opts.startJitter", o.startJitter, { min: 0, max: 0.5 });
  checkCount(where, "opts.contextFrames", o.contextFrames, 1, o.k + 1);
  const top = o.startY + o.k * o.step;
  const reach = o.startJitter + o.h * o.step;
  if (top > 1 - o.radius || o.startY < o.radius || reach > 0.5 - o.radius) {
    throw new RangeError(`${where}: the path leaves the image: startY + k*step = ${top.toFixed(3)} must be <= 1 - radius and startJitter + h*step = ${reach.toFixed(3)} <= 0.5 - radius = ${(0.5 - o.radius).toFixed(3)}; use a smaller step, k or h`);
  }
  return o;
}
