/**
 * A row of rooms: a point agent in a long hall [0, rooms] x [0, 1], cut into square rooms by walls
 * at x = 1, 2, ..., rooms - 1. Each wall has one door, at the bottom and the top in turn, so the way
 * from the first room to the last zig-zags through every door: 100 and more steps, with a detour
 * along each wall that the straight line to the goal never shows. Introduced in
 * notebooks/09-hierarchical-planning.ipynb (where flat planning at a fixed budget fails and two
 * levels of planning do not).
 *
 * Rules like Two Rooms' (lib/data/two-rooms.ts, left untouched): state (x, y); action (dx, dy)
 * clipped to norm `maxStep`; moves are clipped to the hall. Unlike Two Rooms, a move whose straight
 * path would enter a wall slides along the wall's face (the part of the move into the wall is
 * dropped), so an agent pushed diagonally along a wall follows it to the door. Images are `pixelsPerUnit` rows by
 * `rooms * pixelsPerUnit` columns, y up (row 0 is the top), the walls grey, the agent a Gaussian
 * blob. All randomness comes from the stream `rng("data:row-of-rooms")`: `setSeed` fixes the data.
 */
import * as tf from "@tensorflow/tfjs";
import { rng, randn, type Rng } from "../random";
import { checkNumber, checkOptions, withDefaults } from "../check";
import { checkCount, checkPoints, clamp } from "./common";
import { enterTime } from "./two-rooms";

const STREAM = "data:row-of-rooms";

/** Options of `new RowOfRooms(opts)`. */
export interface RowOfRoomsOptions {
  /** Rooms in the row (integer in [2, 8]); the hall is `rooms` wide and 1 high. Default 4. */
  rooms: number;
  /** Height of each door's centre, one per wall (rooms - 1 values in [0, 1]). Default: 0.15 and 0.85 in turn (bottom, top, bottom, ...). */
  doorY: number[];
  /** Height of every door opening, in (0, 1]. Default 0.3. */
  doorHeight: number;
  /** Largest action norm; longer actions are scaled down to this. Default 0.03. */
  maxStep: number;
  /** Wall thickness, in (0, 0.5): the doors are short corridors through it. Default 0.2. */
  wallThickness: number;
  /** Image pixels per unit of length (the image is pixelsPerUnit x rooms * pixelsPerUnit). Default 16. */
  pixelsPerUnit: number;
  /** Standard deviation of the agent's Gaussian blob in `render`, in state units. Default 0.05. */
  blobSigma: number;
  /** Pixel value of the walls in `render`, in [0, 1] (below the agent's peak of 1). Default 0.5. */
  wallIntensity: number;
}

/** Default options of `RowOfRooms` (`doorY` is filled in from `rooms`). */
export const rowOfRoomsDefaults: Omit<RowOfRoomsOptions, "doorY"> = {
  rooms: 4, doorHeight: 0.3, maxStep: 0.03, wallThickness: 0.2, pixelsPerUnit: 16, blobSigma: 0.05, wallIntensity: 0.5,
};

/** Options of `RowOfRooms.paths` and `RowOfRooms.trajectories`. */
export interface RowOfRoomsPathOptions {
  /** How much each random action keeps of the previous one, in [0, 1): 0 = independent steps. Default 0.8. */
  persistence?: number;
  /** Fraction of episodes that start in a box around a door (drawn at random). Default 0. */
  nearDoor?: number;
}

/** Options of `RowOfRooms.sampleStartGoal`. */
export interface RowOfRoomsStartGoalOptions {
  /** Start and goal rooms differ by at least this many rooms (rooms - 1: opposite ends). Default 0. */
  minRoomsApart?: number;
  /** ... and by at most this many. Default rooms - 1. */
  maxRoomsApart?: number;
}

/** A policy for `paths`: actions [N][2] for the states [N][2] at step t (clipped to maxStep). */
export type RowOfRoomsPolicy = (states: number[][], t: number) => number[][];

/** Episodes as plain arrays (no images). */
export interface RowOfRoomsPaths {
  /** States [N][T+1][2]. */
  states: number[][][];
  /** Actions taken (clipped) [N][T][2]. */
  actions: number[][][];
  /** Whether a wall or the hall's edge stopped each move short [N][T] (the world reports bumps). */
  blocked: boolean[][];
}

/** Episodes of T steps with their images. Dispose the tensors when done. */
export interface RowOfRoomsTrajectories {
  /** Images. [N, T+1, H, W, 1]. */
  obs: tf.Tensor5D;
  /** Actions taken (clipped). [N, T, 2]. */
  actions: tf.Tensor3D;
  /** States. [N, T+1, 2]. */
  states: tf.Tensor3D;
}

/** An axis-aligned rectangle [x0, x1] x [y0, y1] (a piece of wall). */
export interface Rect {
  x0: number;
  x1: number;
  y0: number;
  y1: number;
}

/** The row-of-rooms world. Stateless: every method maps states to states or images. */
export class RowOfRooms {
  /** The options in use (defaults filled in). */
  readonly opts: Readonly<RowOfRoomsOptions>;
  /** Width of the hall (= rooms). */
  readonly width: number;
  /** Image rows (H). */
  readonly imageHeight: number;
  /** Image columns (W). */
  readonly imageWidth: number;
  /** The wall pieces (two per wall: below and above its door). */
  readonly walls: readonly Rect[];
  /** The door openings, one per wall, left to right: the gaps in the walls. */
  readonly doors: readonly Rect[];
  /** The walls as solids for collisions: pieces that touch the floor or the ceiling reach past it, so nothing slips along the hall's edge into a wall. */
  private readonly solids: readonly Rect[];
  private wallImage: Float32Array | null = null;

  constructor(opts: Partial<RowOfRoomsOptions> = {}) {
    const where = "RowOfRooms";
    checkOptions(where, opts);
    const base = withDefaults(rowOfRoomsDefaults, opts);
    const rooms = checkNumber(where, "opts.rooms", base.rooms, { min: 2, max: 8, integer: true });
    const doorY = opts.doorY ?? Array.from({ length: rooms - 1 }, (_, i) => (i % 2 === 0 ? 0.15 : 0.85));
    if (!Array.isArray(doorY) || doorY.length !== rooms - 1) {
      throw new Error(`${where}: opts.doorY must list one door height per wall (${rooms - 1} numbers), received ${JSON.stringify(doorY)}`);
    }
    doorY.forEach((y, i) => checkNumber(where, `opts.doorY[${i}]`, y, { min: 0, max: 1 }));
    checkNumber(where, "opts.doorHeight", base.doorHeight, { min: 0, max: 1, exclusiveMin: true });
    checkNumber(where, "opts.maxStep", base.maxStep, { min: 0, max: 1, exclusiveMin: true });
    checkNumber(where, "opts.wallThickness", base.wallThickness, { min: 0, max: 0.5, exclusiveMin: true });
    checkNumber(where, "opts.pixelsPerUnit", base.pixelsPerUnit, { min: 2, max: 64, integer: true });
    checkNumber(where, "opts.blobSigma", base.blobSigma, { min: 0, max: 1, exclusiveMin: true });
    checkNumber(where, "opts.wallIntensity", base.wallIntensity, { min: 0, max: 1 });
    this.opts = Object.freeze({ ...base, doorY: doorY.slice() });
    this.width = rooms;
    this.imageHeight = base.pixelsPerUnit;
    this.imageWidth = rooms * base.pixelsPerUnit;
    const half = base.wallThickness / 2;
    const doors: Rect[] = [];
    const walls: Rect[] = [];
    doorY.forEach((y, i) => {
      const [x0, x1] = [i + 1 - half, i + 1 + half];
      const door = { x0, x1, y0: Math.max(0, y - base.doorHeight / 2), y1: Math.min(1, y + base.doorHeight / 2) };
      doors.push(door);
      if (door.y0 > 0) walls.push({ x0, x1, y0: 0, y1: door.y0 });
      if (door.y1 < 1) walls.push({ x0, x1, y0: door.y1, y1: 1 });
    });
    this.doors = doors;
    this.walls = walls;
    this.solids = walls.map((w) => ({ ...w, y0: w.y0 <= 0 ? -1 : w.y0, y1: w.y1 >= 1 ? 2 : w.y1 }));
  }

  /** Image shape [H, W, 1] of one observation. */
  get imageShape(): [number, number, number] {
    return [this.imageHeight, this.imageWidth, 1];
  }

  /** Index of the room a state is in: 0 for x < 1, 1 for 1 <= x < 2, ... */
  room(state: number[]): number {
    checkPoints("RowOfRooms.room", "[state]", [state]);
    return clamp(Math.floor(state[0]), 0, this.width - 1);
  }

  /** True when (x, y) is inside the hall and not inside a wall (door openings are free). */
  isFree(state: number[]): boolean {
    const [x, y] = state;
    if (!(x >= 0 && x <= this.width && y >= 0 && y <= 1)) return false;
    return !this.solids.some((w) => x > w.x0 && x < w.x1 && y > w.y0 && y < w.y1);
  }

  /** The nearest free point: clipped to the hall, and out of a wall onto its nearest face. */
  project(state: number[]): number[] {
    const x = clamp(state[0], 0, this.width);
    const y = clamp(state[1], 0, 1);
    if (this.isFree([x, y])) return [x, y];
    const w = this.solids.find((r) => x > r.x0 && x < r.x1 && y > r.y0 && y < r.y1)!;
    const options = [[w.x0, y], [w.x1, y], [x, w.y0], [x, w.y1]].filter((p) => this.isFree(p));
    options.sort((a, b) => Math.hypot(a[0] - x, a[1] - y) - Math.hypot(b[0] - x, b[1] - y));
    return options[0];
  }

  /** The action scaled down to norm `maxStep` if longer. */
  clipAction(action: number[]): number[] {
    const [dx, dy] = action;
    const n = Math.hypot(dx, dy);
    const m = this.opts.maxStep;
    return n > m ? [(dx * m) / n, (dy * m) / n] : [dx, dy];
  }

  /** Next states [N][2] after actions [N][2] (clipped to maxStep; stopped by walls and the hall). */
  step(states: number[][], actions: number[][]): number[][] {
    const where = "RowOfRooms.step";
    const n = checkPoints(where, "states", states);
    const m = checkPoints(where, "actions", actions);
    if (n !== m) throw new Error(`${where}: states and actions must have the same length, received ${n} and ${m}`);
    return states.map((s, i) => this.move(this.project(s), this.clipAction(actions[i])));
  }

  /** Images of the states: walls and the agent's blob. [N, H, W, 1] in [0, 1]. */
  render(states: number[][]): tf.Tensor4D {
    const n = checkPoints("RowOfRooms.render", "states", states);
    const [H, W] = [this.imageHeight, this.imageWidth];
    const buf = new Float32Array(n * H * W);
    states.forEach((s, i) => this.draw(buf, i * H * W, s));
    return tf.tensor4d(buf, [n, H, W, 1], "float32");
  }

  /** n states uniform over the free space (rooms and door openings). */
  randomStates(n: number): number[][] {
    checkCount("RowOfRooms.randomStates", "n", n, 0);
    const r = rng(STREAM);
    return Array.from({ length: n }, () => this.sampleFree(r, 0, this.width, 0, 1));
  }

  /**
   * n episodes of T steps as arrays (no images: render what you need). Without a policy the actions
   * are a persistent random walk (v_t = p v_{t-1} + sqrt(1 - p^2) noise).
   */
  paths(n: number, T: number, policy?: RowOfRoomsPolicy, opts: RowOfRoomsPathOptions = {}): RowOfRoomsPaths {
    const where = "RowOfRooms.paths";
    checkCount(where, "n", n);
    checkCount(where, "T", T);
    if (policy !== undefined && typeof policy !== "function") throw new TypeError(`${where}: policy must be a function (states, t) => actions or undefined, received ${typeof policy}`);
    checkOptions(where, opts);
    const p = checkNumber(where, "opts.persistence", opts.persistence ?? 0.8, { min: 0, max: 0.999 });
    const nearDoor = checkNumber(where, "opts.nearDoor", opts.nearDoor ?? 0, { min: 0, max: 1 });
    const r = rng(STREAM);
    const sigma = this.opts.maxStep * 0.7;
    let cur = Array.from({ length: n }, () => this.sampleStart(r, nearDoor));
    let vel = cur.map(() => [sigma * randn(r), sigma * randn(r)]);
    const states: number[][][] = cur.map((s) => [s]);
    const actions: number[][][] = cur.map(() => []);
    const blocked: boolean[][] = cur.map(() => []);
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
      const prev = cur;
      cur = this.step(cur, a);
      cur.forEach((s, i) => {
        states[i].push(s);
        actions[i].push(a[i]);
        blocked[i].push(Math.hypot(s[0] - prev[i][0], s[1] - prev[i][1]) < Math.hypot(a[i][0], a[i][1]) - 1e-9);
      });
    }
    return { states, actions, blocked };
  }

  /** `paths` with their images as tensors (memory: N * (T+1) * H * W floats; use `paths` for many). */
  trajectories(n: number, T: number, policy?: RowOfRoomsPolicy, opts: RowOfRoomsPathOptions = {}): RowOfRoomsTrajectories {
    const { states, actions } = this.paths(n, T, policy, opts);
    const [H, W] = [this.imageHeight, this.imageWidth];
    const obs = tf.tidy(() => this.render(states.flat()).reshape([n, T + 1, H, W, 1]) as tf.Tensor5D);
    return { obs, actions: tf.tensor3d(actions, [n, T, 2], "float32"), states: tf.tensor3d(states, [n, T + 1, 2], "float32") };
  }

  /**
   * n (start, goal) pairs uniform inside the rooms (never in a wall band), their rooms between
   * `minRoomsApart` and `maxRoomsApart` apart.
   */
  sampleStartGoal(n: number, opts: RowOfRoomsStartGoalOptions = {}): { starts: number[][]; goals: number[][] } {
    const where = "RowOfRooms.sampleStartGoal";
    checkCount(where, "n", n);
    checkOptions(where, opts);
    const last = this.width - 1;
    const lo = checkNumber(where, "opts.minRoomsApart", opts.minRoomsApart ?? 0, { min: 0, max: last, integer: true });
    const hi = checkNumber(where, "opts.maxRoomsApart", opts.maxRoomsApart ?? last, { min: lo, max: last, integer: true });
    const r = rng(STREAM);
    const starts: number[][] = [];
    const goals: number[][] = [];
    for (let i = 0; i < n; i++) {
      for (;;) {
        const s = this.sampleRoomState(r);
        const g = this.sampleRoomState(r);
        const apart = Math.abs(this.room(s) - this.room(g));
        if (apart < lo || apart > hi) continue;
        starts.push(s);
        goals.push(g);
        break;
      }
    }
    return { starts, goals };
  }

  /**
   * Length of the shortest free path from a to b (through the door corridors between their rooms):
   * the yardstick for the planners' path lengths. Steps needed >= this / maxStep.
   */
  shortestPath(a: number[], b: number[]): number {
    checkPoints("RowOfRooms.shortestPath", "[a, b]", [a, b]);
    const [ra, rb] = [this.room(a), this.room(b)];
    const doors = this.doors.slice(Math.min(ra, rb), Math.max(ra, rb));
    // each door corridor is two gates, its two faces: vertical segments x = x0 and x = x1, y in [y0, y1]
    const gates = doors.flatMap((d) => [{ x: d.x0, y0: d.y0, y1: d.y1 }, { x: d.x1, y0: d.y0, y1: d.y1 }]);
    if (ra > rb) gates.reverse();
    const ys = gates.map((g) => (g.y0 + g.y1) / 2);
    for (let it = 0; it < 300; it++) {
      // each crossing height: where the line between its neighbours meets the gate, kept in the gate
      for (let i = 0; i < gates.length; i++) {
        const [px, py] = i === 0 ? a : [gates[i - 1].x, ys[i - 1]];
        const [qx, qy] = i === gates.length - 1 ? b : [gates[i + 1].x, ys[i + 1]];
        const y = qx === px ? (py + qy) / 2 : py + ((qy - py) * (gates[i].x - px)) / (qx - px);
        ys[i] = clamp(y, gates[i].y0, gates[i].y1);
      }
    }
    const pts = [a, ...gates.map((g, i) => [g.x, ys[i]]), b];
    return pts.slice(1).reduce((s, p, i) => s + Math.hypot(p[0] - pts[i][0], p[1] - pts[i][1]), 0);
  }

  // ---- internals ----

  /**
   * Moves from a free point along a clipped action. Where the straight path first enters a wall, the
   * agent stops on the wall's face and the rest of the move slides along it (the part into the wall
   * is dropped); a second wall on the slide stops it there.
   */
  private move(from: number[], a: number[]): number[] {
    const target = [clamp(from[0] + a[0], 0, this.width), clamp(from[1] + a[1], 0, 1)];
    const hit = this.firstHit(from, target);
    if (!hit) return target;
    const contact = hit.point;
    const slide = [target[0], target[1]];
    slide[hit.axis] = contact[hit.axis]; // keep the component along the face
    const second = this.firstHit(contact, slide);
    return second ? second.point : slide;
  }

  /** Where the segment p -> q first enters a wall (the point, on the face), and the face's axis. */
  private firstHit(p: number[], q: number[]): { point: number[]; axis: number } | null {
    let best: { t: number; axis: number; face: number } | null = null;
    for (const w of this.solids) {
      const hit = enterTime(p, [q[0] - p[0], q[1] - p[1]], [w.x0, w.y0], [w.x1, w.y1]);
      if (hit && (!best || hit.t < best.t)) best = hit;
    }
    if (!best) return null;
    const point = [p[0] + best.t * (q[0] - p[0]), p[1] + best.t * (q[1] - p[1])];
    const axis = best.axis >= 0 ? best.axis : 0;
    point[axis] = best.axis >= 0 ? best.face : point[axis]; // exactly on the face, never inside by rounding
    return { point, axis };
  }

  /** A free state: with probability nearDoor in a box around a random door, else anywhere. */
  private sampleStart(r: Rng, nearDoor: number): number[] {
    if (r() >= nearDoor) return this.sampleFree(r, 0, this.width, 0, 1);
    const d = this.doors[Math.floor(r() * this.doors.length)];
    const m = this.opts.maxStep;
    return this.sampleFree(r, d.x0 - 4 * m, d.x1 + 4 * m, d.y0 - 2 * m, d.y1 + 2 * m);
  }

  /** Uniform over the free points of a box (intersected with the hall), by rejection. */
  private sampleFree(r: Rng, xlo: number, xhi: number, ylo: number, yhi: number): number[] {
    const [a, b, c, d] = [Math.max(0, xlo), Math.min(this.width, xhi), Math.max(0, ylo), Math.min(1, yhi)];
    for (;;) {
      const s = [a + (b - a) * r(), c + (d - c) * r()];
      if (this.isFree(s)) return s;
    }
  }

  /** Uniform over the rooms, excluding every wall band (door openings included). */
  private sampleRoomState(r: Rng): number[] {
    for (;;) {
      const s = [this.width * r(), r()];
      if (!this.doors.some((d) => s[0] >= d.x0 && s[0] <= d.x1)) return s;
    }
  }

  private draw(buf: Float32Array, offset: number, s: number[]): void {
    const [H, W, ppu, sigma] = [this.imageHeight, this.imageWidth, this.opts.pixelsPerUnit, this.opts.blobSigma];
    buf.set(this.wallPixels(), offset);
    const reach = 4 * sigma;
    const c0 = Math.max(0, Math.floor((s[0] - reach) * ppu));
    const c1 = Math.min(W - 1, Math.ceil((s[0] + reach) * ppu));
    const r0 = Math.max(0, Math.floor((1 - s[1] - reach) * ppu));
    const r1 = Math.min(H - 1, Math.ceil((1 - s[1] + reach) * ppu));
    const k2 = 1 / (2 * sigma * sigma);
    for (let row = r0; row <= r1; row++) {
      const gy = Math.exp(-((1 - (row + 0.5) / ppu - s[1]) ** 2) * k2);
      for (let col = c0; col <= c1; col++) {
        const v = gy * Math.exp(-(((col + 0.5) / ppu - s[0]) ** 2) * k2);
        const k = offset + row * W + col;
        if (v > buf[k]) buf[k] = v;
      }
    }
  }

  /** The walls' image [H * W]: pixel columns overlapping a wall, rows whose centre is in it. */
  private wallPixels(): Float32Array {
    if (this.wallImage) return this.wallImage;
    const [H, W, ppu] = [this.imageHeight, this.imageWidth, this.opts.pixelsPerUnit];
    const img = new Float32Array(H * W);
    for (const w of this.walls) {
      for (let col = 0; col < W; col++) {
        if ((col + 1) / ppu <= w.x0 || col / ppu >= w.x1) continue;
        for (let row = 0; row < H; row++) {
          const y = 1 - (row + 0.5) / ppu;
          if (y >= w.y0 && y <= w.y1) img[row * W + col] = this.opts.wallIntensity;
        }
      }
    }
    return (this.wallImage = img);
  }
}
