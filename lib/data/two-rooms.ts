/**
 * Two Rooms: a point agent in the unit square, split by a vertical wall with a door. Introduced in
 * notebooks/03-mini-jepa.ipynb (action-conditioned world model), used again in 06-planning and
 * 09-hierarchical-planning (reaching a goal in the other room means finding the door).
 *
 * State (x, y) in [0,1]^2; action (dx, dy), clipped to norm `maxStep`. The wall occupies
 * 0.5 - t/2 < x < 0.5 + t/2 (t = `wallThickness`) except the door, |y - doorY| <= doorHeight/2.
 * A move whose straight path would enter the wall stops at the point where it touches the wall
 * (no sliding): simple and deterministic. Moves are also clipped to the square.
 *
 * Images use y up: row 0 is the top (y near 1), column 0 is x near 0 (see ./common).
 * All randomness comes from the stream `rng("data:two-rooms")`, so `setSeed` fixes the data.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkOptions, withDefaults } from "../check";
import { rng, randn, type Rng } from "../random";
import { checkCount, checkPoints, clamp, drawBlob } from "./common";

const STREAM = "data:two-rooms";

/** Options of `new TwoRooms(opts)`. */
export interface TwoRoomsOptions {
  /** Image side in pixels for `render` (integer in [4, 256]). Default 16. */
  imageSize: number;
  /** Height (y) of the door's centre, in [0, 1]. Default 0.5. */
  doorY: number;
  /** Height of the door opening, in (0, 1]. Default 0.2. */
  doorHeight: number;
  /** Largest action norm; longer actions are scaled down to this. Default 0.08. */
  maxStep: number;
  /** Standard deviation of the agent's Gaussian blob in `render`, in state units. Default 0.05. */
  blobSigma: number;
  /** Wall thickness, in state units (0, 0.5). Default 0.04. */
  wallThickness: number;
  /** Pixel value of the wall in `render`, in [0, 1] (below the agent's peak of 1). Default 0.5. */
  wallIntensity: number;
}

/** Default options of `TwoRooms`. */
export const twoRoomsDefaults: TwoRoomsOptions = {
  imageSize: 16, doorY: 0.5, doorHeight: 0.2, maxStep: 0.08, blobSigma: 0.05, wallThickness: 0.04, wallIntensity: 0.5,
};

/** Options of `TwoRooms.transitions`. */
export interface TwoRoomsTransitionOptions {
  /** Fraction of start states drawn in a box around the door, so crossings are common. Default 0.1. */
  nearDoor?: number;
}

/** Options of `TwoRooms.trajectories`. */
export interface TwoRoomsTrajectoryOptions {
  /** How much each random action keeps of the previous one, in [0, 1): 0 = independent steps. Default 0.8. */
  persistence?: number;
  /** Fraction of episodes that start in a box around the door. Default 0.2. */
  nearDoor?: number;
}

/** Options of `TwoRooms.sampleStartGoal`. */
export interface TwoRoomsStartGoalOptions {
  /** Start and goal in different rooms (the path must go through the door). Default false. */
  differentRooms?: boolean;
  /** Smallest Euclidean distance between start and goal. Default 0. */
  minDistance?: number;
}

/** A policy for `trajectories`: actions [N][2] for the states [N][2] at step t (clipped to maxStep). */
export type TwoRoomsPolicy = (states: number[][], t: number) => number[][];

/** One-step transitions (s, a, s'), images and states. Dispose the tensors when done. */
export interface TwoRoomsTransitions {
  /** Images of s. [N, S, S, 1] in [0, 1]. */
  obs: tf.Tensor4D;
  /** Actions (clipped). [N, 2]. */
  actions: tf.Tensor2D;
  /** Images of s'. [N, S, S, 1]. */
  nextObs: tf.Tensor4D;
  /** States s. [N, 2]. */
  states: tf.Tensor2D;
  /** States s'. [N, 2]. */
  nextStates: tf.Tensor2D;
}

/** Episodes of T steps. Dispose the tensors when done. */
export interface TwoRoomsTrajectories {
  /** Images. [N, T+1, S, S, 1]. */
  obs: tf.Tensor5D;
  /** Actions taken (clipped). [N, T, 2]. */
  actions: tf.Tensor3D;
  /** States. [N, T+1, 2]. */
  states: tf.Tensor3D;
}

/** The Two Rooms world. Stateless: every method maps states to states or images. */
export class TwoRooms {
  /** The options in use (defaults filled in). */
  readonly opts: Readonly<TwoRoomsOptions>;
  /** Left face of the wall (x). */
  readonly wallLeft: number;
  /** Right face of the wall (x). */
  readonly wallRight: number;
  /** Bottom of the door opening (y). */
  readonly doorLow: number;
  /** Top of the door opening (y). */
  readonly doorHigh: number;
  private wallImage: Float32Array | null = null;

  constructor(opts: Partial<TwoRoomsOptions> = {}) {
    const where = "TwoRooms";
      const o = withDefaults(twoRoomsDefaults, opts, where);
    checkNumber(where, "opts.imageSize", o.imageSize, { min: 4, max: 256, integer: true });
    checkNumber(where, "opts.doorY", o.doorY, { min: 0, max: 1 });
    checkNumber(where, "opts.doorHeight", o.doorHeight, { min: 0, max: 1, exclusiveMin: true });
    checkNumber(where, "opts.maxStep", o.maxStep, { min: 0, max: 1, exclusiveMin: true });
    checkNumber(where, "opts.blobSigma", o.blobSigma, { min: 0, max: 1, exclusiveMin: true });
    checkNumber(where, "opts.wallThickness", o.wallThickness, { min: 0, max: 0.5, exclusiveMin: true });
    checkNumber(where, "opts.wallIntensity", o.wallIntensity, { min: 0, max: 1 });
    this.opts = Object.freeze({ ...o });
    this.wallLeft = 0.5 - o.wallThickness / 2;
    this.wallRight = 0.5 + o.wallThickness / 2;
    this.doorLow = Math.max(0, o.doorY - o.doorHeight / 2);
    this.doorHigh = Math.min(1, o.doorY + o.doorHeight / 2);
  }

  /** Image side in pixels. */
  get imageSize(): number {
    return this.opts.imageSize;
  }

  /** 0 for the left room (x < 0.5), 1 for the right room. */
  room(state: number[]): 0 | 1 {
    checkPoints("TwoRooms.room", "[state]", [state]);
    return state[0] < 0.5 ? 0 : 1;
  }

  /** `room` of each state. */
  rooms(states: number[][]): (0 | 1)[] {
    checkPoints("TwoRooms.rooms", "states", states);
    return states.map((s) => (s[0] < 0.5 ? 0 : 1));
  }

  /** True when (x, y) is inside the square and not inside the wall (the door opening is free). */
  isFree(state: number[]): boolean {
    const [x, y] = state;
    if (!(x >= 0 && x <= 1 && y >= 0 && y <= 1)) return false;
    return !(x > this.wallLeft && x < this.wallRight && (y < this.doorLow || y > this.doorHigh));
  }

  /**
   * The nearest free point: clipped to the square, and if inside the wall moved to the nearest
   * wall face or door frame (so float32-rounded states read back from tensors stay where they were).
   */
  project(state: number[]): number[] {
    const x = clamp(state[0], 0, 1);
    const y = clamp(state[1], 0, 1);
    if (this.isFree([x, y])) return [x, y];
    const options = [[this.wallLeft, y], [this.wallRight, y], [x, y < this.doorLow ? this.doorLow : this.doorHigh]];
    const free = options.filter((p) => this.isFree(p));
    free.sort((a, b) => Math.hypot(a[0] - x, a[1] - y) - Math.hypot(b[0] - x, b[1] - y));
    return free[0];
  }

  /** The action scaled down to norm `maxStep` if longer. */
  clipAction(action: number[]): number[] {
    const [dx, dy] = action;
    const n = Math.hypot(dx, dy);
    const m = this.opts.maxStep;
    return n > m ? [(dx * m) / n, (dy * m) / n] : [dx, dy];
  }

  /** Next states [N][2] after actions [N][2] (clipped to maxStep; blocked by the wall and the square). */
  step(states: number[][], actions: number[][]): number[][] {
    const where = "TwoRooms.step";
    const n = checkPoints(where, "states", states);
    const m = checkPoints(where, "actions", actions);
    if (n !== m) throw new Error(`${where}: states and actions must have the same length, received ${n} and ${m}`);
    return states.map((s, i) => this.move(this.project(s), this.clipAction(actions[i])));
  }

  /**
   * Which of the moves `step(states, actions)` makes were blocked: true where the wall or the edge
   * of the square stopped the agent short of the (clipped) action, i.e. it bumped into something.
   * The same dynamics as `step`, no randomness: the world's touch sensor (notebook 08's "pain").
   */
  blocked(states: number[][], actions: number[][]): boolean[] {
    const where = "TwoRooms.blocked";
    const n = checkPoints(where, "states", states);
    const m = checkPoints(where, "actions", actions);
    if (n !== m) throw new Error(`${where}: states and actions must have the same length, received ${n} and ${m}`);
    return states.map((s, i) => {
      const from = this.project(s);
      const a = this.clipAction(actions[i]);
      const to = this.move(from, a);
      return Math.hypot(to[0] - from[0] - a[0], to[1] - from[1] - a[1]) > 1e-9;
    });
  }

  /** Images of the states: the agent as a Gaussian blob over the wall. [N, S, S, 1] in [0, 1]. */
  render(states: number[][]): tf.Tensor4D {
    const n = checkPoints("TwoRooms.render", "states", states);
    const S = this.opts.imageSize;
    const buf = new Float32Array(n * S * S);
    states.forEach((s, i) => this.draw(buf, i * S * S, s));
    return tf.tensor4d(buf, [n, S, S, 1], "float32");
  }

  /** n states uniform over the free space (both rooms and the door opening). */
  randomStates(n: number): number[][] {
    checkCount("TwoRooms.randomStates", "n", n, 0);
    const r = rng(STREAM);
    return Array.from({ length: n }, () => this.sampleFree(r, 0, 1, 0, 1));
  }

  /**
   * n one-step transitions from random free states (a share near the door) with actions uniform in
   * the disc of radius maxStep.
   */
  transitions(n: number, opts: TwoRoomsTransitionOptions = {}): TwoRoomsTransitions {
    const where = "TwoRooms.transitions";
    checkCount(where, "n", n);
    checkOptions(where, opts);
    const nearDoor = checkNumber(where, "opts.nearDoor", opts.nearDoor ?? 0.1, { min: 0, max: 1 });
    const r = rng(STREAM);
    const states = Array.from({ length: n }, () => this.sampleStart(r, nearDoor));
    const actions = states.map(() => this.randomAction(r));
    const next = this.step(states, actions);
    return {
      obs: this.render(states),
      actions: tf.tensor2d(actions, [n, 2], "float32"),
      nextObs: this.render(next),
      states: tf.tensor2d(states, [n, 2], "float32"),
      nextStates: tf.tensor2d(next, [n, 2], "float32"),
    };
  }

  /**
   * n episodes of T steps. Without a policy the actions are a persistent random walk
   * (v_t = p v_{t-1} + sqrt(1 - p^2) noise), so episodes travel and sometimes pass the door.
   */
  trajectories(n: number, T: number, policy?: TwoRoomsPolicy, opts: TwoRoomsTrajectoryOptions = {}): TwoRoomsTrajectories {
    const where = "TwoRooms.trajectories";
    checkCount(where, "n", n);
    checkCount(where, "T", T);
    if (policy !== undefined && typeof policy !== "function") throw new TypeError(`${where}: policy must be a function (states, t) => actions or undefined, received ${typeof policy}`);
    checkOptions(where, opts);
    const p = checkNumber(where, "opts.persistence", opts.persistence ?? 0.8, { min: 0, max: 0.999 });
    const nearDoor = checkNumber(where, "opts.nearDoor", opts.nearDoor ?? 0.2, { min: 0, max: 1 });
    const r = rng(STREAM);
    const sigma = this.opts.maxStep * 0.7;
    let cur = Array.from({ length: n }, () => this.sampleStart(r, nearDoor));
    let vel = cur.map(() => [sigma * randn(r), sigma * randn(r)]);
    const states: number[][][] = [cur];
    const actions: number[][][] = [];
    for (let t = 0; t < T; t++) {
      let a: number[][];
      if (policy) {
        a = policy(cur.map((s) => s.slice()), t);
        const m = checkPoints(where, `policy(states, ${t})`, a);
        if (m !== n) throw new Error(`${where}: policy must return ${n} actions, returned ${m} at t=${t}`);
      } else {
        const q = Math.sqrt(1 - p * p) * sigma;
        vel = vel.map(([vx, vy]) => [p * vx + q * randn(r), p * vy + q * randn(r)]);
        a = vel;
      }
      a = a.map((ai) => this.clipAction(ai));
      cur = this.step(cur, a);
      actions.push(a);
      states.push(cur);
    }
    return this.packTrajectories(states, actions, n, T);
  }

  /**
   * n (start, goal) pairs of free states inside the rooms (never in the door opening), optionally in
   * different rooms and at least `minDistance` apart.
   */
  sampleStartGoal(n: number, opts: TwoRoomsStartGoalOptions = {}): { starts: number[][]; goals: number[][] } {
    const where = "TwoRooms.sampleStartGoal";
    checkCount(where, "n", n);
    checkOptions(where, opts);
    const minDistance = checkNumber(where, "opts.minDistance", opts.minDistance ?? 0, { min: 0, max: Math.SQRT2 });
    const different = opts.differentRooms ?? false;
    const r = rng(STREAM);
    const starts: number[][] = [];
    const goals: number[][] = [];
    for (let i = 0; i < n; i++) {
      for (let tries = 0; ; tries++) {
        if (tries > 10000) throw new Error(`${where}: could not find a start and goal at least opts.minDistance=${minDistance} apart${different ? " in different rooms" : ""}; use a smaller minDistance`);
        const s = this.sampleRoomState(r);
        const g = this.sampleRoomState(r);
        if (different && (s[0] < 0.5) === (g[0] < 0.5)) continue;
        if (Math.hypot(s[0] - g[0], s[1] - g[1]) < minDistance) continue;
        starts.push(s);
        goals.push(g);
        break;
      }
    }
    return { starts, goals };
  }

  // ---- internals ----

  /** Moves from a free point along a clipped action; stops where the path first enters the wall. */
  private move(from: number[], a: number[]): number[] {
    const [x0, y0] = from;
    const x1 = clamp(x0 + a[0], 0, 1);
    const y1 = clamp(y0 + a[1], 0, 1);
    let best: { t: number; axis: number; face: number } | null = null;
    for (const [lo, hi] of [[-1, this.doorLow], [this.doorHigh, 2]]) {
      const hit = enterTime([x0, y0], [x1 - x0, y1 - y0], [this.wallLeft, lo], [this.wallRight, hi]);
      if (hit && (!best || hit.t < best.t)) best = hit;
    }
    if (!best) return [x1, y1];
    const out = [x0 + best.t * (x1 - x0), y0 + best.t * (y1 - y0)];
    if (best.axis >= 0) out[best.axis] = best.face; // exactly on the face, never inside by rounding
    return out;
  }

  private randomAction(r: Rng): number[] {
    const rad = this.opts.maxStep * Math.sqrt(r());
    const th = 2 * Math.PI * r();
    return [rad * Math.cos(th), rad * Math.sin(th)];
  }

  /** A free state: with probability nearDoor in a box around the door, else anywhere. */
  private sampleStart(r: Rng, nearDoor: number): number[] {
    if (r() >= nearDoor) return this.sampleFree(r, 0, 1, 0, 1);
    const m = this.opts.maxStep;
    return this.sampleFree(r, this.wallLeft - 2 * m, this.wallRight + 2 * m, this.doorLow - m, this.doorHigh + m);
  }

  /** Uniform over the free points of a box (intersected with the square), by rejection. */
  private sampleFree(r: Rng, xlo: number, xhi: number, ylo: number, yhi: number): number[] {
    const [a, b, c, d] = [Math.max(0, xlo), Math.min(1, xhi), Math.max(0, ylo), Math.min(1, yhi)];
    for (;;) {
      const s = [a + (b - a) * r(), c + (d - c) * r()];
      if (this.isFree(s)) return s;
    }
  }

  /** Uniform over the two rooms, excluding the whole wall band (door opening included). */
  private sampleRoomState(r: Rng): number[] {
    for (;;) {
      const s = [r(), r()];
      if (s[0] <= this.wallLeft || s[0] >= this.wallRight) return s;
    }
  }

  private draw(buf: Float32Array, offset: number, s: number[]): void {
    const S = this.opts.imageSize;
    buf.set(this.wall(), offset);
    drawBlob(buf, offset, S, s[0], s[1], this.opts.blobSigma, 1);
  }

  /** The wall image [S*S]: pixel columns overlapping the wall, rows outside the door. */
  private wall(): Float32Array {
    if (this.wallImage) return this.wallImage;
    const S = this.opts.imageSize;
    const img = new Float32Array(S * S);
    for (let col = 0; col < S; col++) {
      if ((col + 1) / S <= this.wallLeft || col / S >= this.wallRight) continue;
      for (let row = 0; row < S; row++) {
        const y = 1 - (row + 0.5) / S;
        if (y < this.doorLow || y > this.doorHigh) img[row * S + col] = this.opts.wallIntensity;
      }
    }
    return (this.wallImage = img);
  }

  private packTrajectories(states: number[][][], actions: number[][][], n: number, T: number): TwoRoomsTrajectories {
    const S = this.opts.imageSize;
    const frame = S * S;
    const img = new Float32Array(n * (T + 1) * frame);
    const st = new Float32Array(n * (T + 1) * 2);
    const ac = new Float32Array(n * T * 2);
    for (let t = 0; t <= T; t++) {
      for (let i = 0; i < n; i++) {
        const k = i * (T + 1) + t;
        this.draw(img, k * frame, states[t][i]);
        st[2 * k] = states[t][i][0];
        st[2 * k + 1] = states[t][i][1];
        if (t < T) {
          ac[2 * (i * T + t)] = actions[t][i][0];
          ac[2 * (i * T + t) + 1] = actions[t][i][1];
        }
      }
    }
    return {
      obs: tf.tensor5d(img, [n, T + 1, S, S, 1], "float32"),
      actions: tf.tensor3d(ac, [n, T, 2], "float32"),
      states: tf.tensor3d(st, [n, T + 1, 2], "float32"),
    };
  }
}

/**
 * First time t in [0, 1] at which p + t d enters the OPEN box (lo, hi) (slab method), with the
 * axis and face crossed last, or null if the segment never enters it. Starting on a face and moving
 * away or along it does not count as entering. (Also the wall test of lib/data/row-of-rooms.ts.)
 */
export function enterTime(p: number[], d: number[], lo: number[], hi: number[]): { t: number; axis: number; face: number } | null {
  let tIn = 0;
  let tOut = 1;
  let axis = -1;
  let face = 0;
  for (let k = 0; k < 2; k++) {
    if (d[k] === 0) {
      if (!(p[k] > lo[k] && p[k] < hi[k])) return null;
      continue;
    }
    let ta = (lo[k] - p[k]) / d[k];
    let tb = (hi[k] - p[k]) / d[k];
    let fa = lo[k];
    if (ta > tb) {
      [ta, tb] = [tb, ta];
      fa = hi[k];
    }
    if (ta >= tIn) {
      tIn = ta;
      axis = k;
      face = fa;
    }
    tOut = Math.min(tOut, tb);
  }
  return tIn < tOut ? { t: tIn, axis, face } : null;
}
