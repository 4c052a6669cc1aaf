/**
 * The high level's map: a graph of landmarks (frames the agent has seen, each remembered by its
 * high-level state h and its low-level latent z), with an edge wherever ONE k-step jump of the
 * high-level predictor gets from one landmark to the other. Walls cut edges: the predictor says the
 * jump stops short. Planning on it is a search, not a sampling: the cost-to-go of every landmark
 * (the length in h of the shortest chain of jumps to the goal, Dijkstra) and, every k steps, the
 * subgoal: the landmark one jump away with the least cost-to-go. Its z is what the low level then
 * plans to reach. Written out in notebooks/09-hierarchical-planning.ipynb.
 *
 *   const reach = jumpReach(jump, 0.03);                          // one jump from h to h'? [P] booleans
 *   const graph = landmarkGraph(hs, zs, reach, { radius: 0.3 });  // hs [M][Dh], zs [M][D]
 *   const toGo = costToGo(graph, hGoal);                          // [M] (Infinity: no way found)
 *   const next = nextSubgoal(graph, h, hGoal, toGo.cost);         // { index, h, z, cost, checks }
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, withDefaults } from "../check";

/**
 * Does one k-step jump from each `from` [P][Dh] land within a tolerance of its `to` [P][Dh]? The
 * jump's macro action is `to - from`. Returns [P] booleans.
 */
export type Reach = (from: number[][], to: number[][]) => boolean[];

/** Anything that predicts one k-step jump: h [N, Dh], macro action [N, Dh] -> h k steps later [N, Dh]. */
export interface JumpModel {
  predict(h: tf.Tensor2D, macro: tf.Tensor2D): tf.Tensor2D;
}

/**
 * `Reach` from a jump predictor (lib/models/jump-predictor.ts): the jump from h with macro action
 * h' - h reaches h' when the predicted end is within `tol` of h'. One predictor call per pair.
 */
export function jumpReach(jump: JumpModel, tol: number): Reach {
  const where = "jumpReach";
  if (!jump || typeof jump.predict !== "function") throw new TypeError(`${where}: jump must have predict(h, macro), received ${jump === null ? "null" : typeof jump}`);
  checkNumber(where, "tol", tol, { min: 0, exclusiveMin: true });
  return (from, to) => {
    if (from.length !== to.length) throw new Error(`${where}: from and to must have the same length, received ${from.length} and ${to.length}`);
    if (from.length === 0) return [];
    const end = tf.tidy(() => {
      const h = tf.tensor2d(from); // [P, Dh]
      return jump.predict(h, tf.sub(tf.tensor2d(to), h) as tf.Tensor2D).arraySync() as number[][]; // [P, Dh]
    });
    return end.map((e, i) => distance(e, to[i]) < tol);
  };
}

/** Options of `landmarkGraph`. */
export interface LandmarkGraphOptions {
  /** Pairs closer than this in h are checked for an edge: the longest jump (k times the largest step). Required. */
  radius: number;
  /** Keep an edge only when the jump works both ways (a wall the predictor blurs rarely fools it twice). Default true. */
  bothWays?: boolean;
  /** Pairs checked per predictor call. Default 20000. */
  chunk?: number;
}

/** Default options of `landmarkGraph`. */
export const landmarkGraphDefaults = { bothWays: true, chunk: 20000 };

/** Landmarks and the jumps between them. */
export interface LandmarkGraph {
  /** High-level states of the landmarks [M][Dh]. */
  hs: number[][];
  /** Their low-level latents [M][D]: what the low level is given as a target. */
  zs: number[][];
  /** Out-edges of each landmark: [to, length in h]. */
  edges: [number, number][][];
  /** Longest edge (the options' radius). */
  radius: number;
  /** The reach test the edges were checked with (the planner checks jumps from the agent with it too). */
  reach: Reach;
  /** Pairs checked with the predictor while building (both ways counted): its cost. */
  checks: number;
}

/** Links landmarks whose distance in h is below `radius` and between which `reach` says one jump gets. */
export function landmarkGraph(hs: number[][], zs: number[][], reach: Reach, opts: LandmarkGraphOptions): LandmarkGraph {
  const where = "landmarkGraph";
  if (!Array.isArray(hs) || !Array.isArray(zs) || hs.length === 0 || hs.length !== zs.length) {
    throw new Error(`${where}: hs and zs must be non-empty arrays of the same length (one high-level state and one latent per landmark), received ${Array.isArray(hs) ? hs.length : typeof hs} and ${Array.isArray(zs) ? zs.length : typeof zs}`);
  }
  if (typeof reach !== "function") throw new TypeError(`${where}: reach must be a function (from, to) => boolean[] (e.g. jumpReach(jump, tol)), received ${typeof reach}`);
  const o = withDefaults(landmarkGraphDefaults, opts, where);
  const radius = checkNumber(where, "opts.radius", opts?.radius, { min: 0, exclusiveMin: true });
  checkNumber(where, "opts.chunk", o.chunk, { min: 1, integer: true });
  const pairs: [number, number][] = [];
  for (let i = 0; i < hs.length; i++) {
    for (let j = 0; j < hs.length; j++) if (i !== j && distance(hs[i], hs[j]) < radius) pairs.push([i, j]);
  }
  const edges: [number, number][][] = hs.map(() => []);
  let checks = 0;
  for (let b = 0; b < pairs.length; b += o.chunk) {
    const part = pairs.slice(b, b + o.chunk);
    const there = reach(part.map(([i]) => hs[i]), part.map(([, j]) => hs[j]));
    const back = o.bothWays ? reach(part.map(([, j]) => hs[j]), part.map(([i]) => hs[i])) : there;
    checks += part.length * (o.bothWays ? 2 : 1);
    part.forEach(([i, j], q) => {
      if (there[q] && back[q]) edges[i].push([j, distance(hs[i], hs[j])]);
    });
  }
  return { hs, zs, edges, radius, reach, checks };
}

/**
 * Cost-to-go of every landmark to the goal state hGoal [Dh]: the length in h of the shortest chain
 * of jumps, ending with one jump onto hGoal (Dijkstra from the goal over reversed edges).
 * Infinity where no chain was found. `checks`: predictor calls made (the jumps onto the goal).
 */
export function costToGo(graph: LandmarkGraph, hGoal: number[]): { cost: Float64Array; checks: number } {
  const where = "costToGo";
  checkGraph(where, graph);
  checkState(where, "hGoal", hGoal, graph.hs[0].length);
  const M = graph.hs.length;
  const cost = new Float64Array(M).fill(Infinity);
  const near = graph.hs.map((_, i) => i).filter((i) => distance(graph.hs[i], hGoal) < graph.radius);
  const onto = graph.reach(near.map((i) => graph.hs[i]), near.map(() => hGoal));
  near.forEach((i, q) => {
    if (onto[q]) cost[i] = distance(graph.hs[i], hGoal);
  });
  const into: [number, number][][] = graph.hs.map(() => []); // reversed edges
  graph.edges.forEach((out, i) => out.forEach(([j, w]) => into[j].push([i, w])));
  const done = new Uint8Array(M);
  for (;;) {
    let u = -1;
    for (let i = 0; i < M; i++) if (!done[i] && cost[i] < Infinity && (u < 0 || cost[i] < cost[u])) u = i;
    if (u < 0) return { cost, checks: near.length };
    done[u] = 1;
    for (const [p, w] of into[u]) cost[p] = Math.min(cost[p], cost[u] + w);
  }
}

/** The high level's choice: where to be in k steps. */
export interface Subgoal {
  /** Index of the landmark, or -1 for the goal itself (one jump reaches it, or the graph has no way to it). */
  index: number;
  /** Its high-level state [Dh]. */
  h: number[];
  /** Its low-level latent [D] (null for the goal: the caller has the goal's latent). */
  z: number[] | null;
  /** Cost-to-go from it (0 for the goal within a jump, Infinity when the graph has no way to the goal). */
  cost: number;
  /** Predictor calls made to choose it. */
  checks: number;
}

/**
 * From the high-level state h [Dh]: the goal when one jump reaches it; else, among the landmarks one
 * jump away (within the radius, `reach` says yes), the one with the least cost-to-go; else (none
 * reachable) the nearest landmark with a finite cost-to-go; else (the graph has no way to the goal:
 * every cost-to-go is Infinity) the goal itself, with cost Infinity, so the low level heads straight
 * for it.
 */
export function nextSubgoal(graph: LandmarkGraph, h: number[], hGoal: number[], cost: Float64Array): Subgoal {
  const where = "nextSubgoal";
  checkGraph(where, graph);
  const Dh = graph.hs[0].length;
  checkState(where, "h", h, Dh);
  checkState(where, "hGoal", hGoal, Dh);
  if (!(cost instanceof Float64Array) || cost.length !== graph.hs.length) throw new TypeError(`${where}: cost must be costToGo(graph, hGoal).cost (a Float64Array of ${graph.hs.length}), received ${cost?.length ?? typeof cost} values`);
  if (distance(h, hGoal) < graph.radius && graph.reach([h], [hGoal])[0]) return { index: -1, h: hGoal.slice(), z: null, cost: 0, checks: 1 };
  const near = graph.hs.map((_, i) => i).filter((i) => cost[i] < Infinity && distance(graph.hs[i], h) < graph.radius);
  const ok = graph.reach(near.map(() => h), near.map((i) => graph.hs[i]));
  const checks = 1 + near.length;
  let best = -1;
  near.forEach((i, q) => {
    if (ok[q] && (best < 0 || cost[i] < cost[best])) best = i;
  });
  if (best < 0) {
    graph.hs.forEach((hi, i) => {
      if (cost[i] < Infinity && (best < 0 || distance(hi, h) < distance(graph.hs[best], h))) best = i;
    });
  }
  if (best < 0) return { index: -1, h: hGoal.slice(), z: null, cost: Infinity, checks }; // no way known: straight for the goal
  return { index: best, h: graph.hs[best].slice(), z: graph.zs[best].slice(), cost: cost[best], checks };
}

function distance(a: number[], b: number[]): number {
  let s = 0;
  for (let j = 0; j < a.length; j++) s += (a[j] - b[j]) ** 2;
  return Math.sqrt(s);
}

function checkGraph(where: string, graph: LandmarkGraph): void {
  if (!graph || !Array.isArray(graph.hs) || !Array.isArray(graph.edges) || typeof graph.reach !== "function") {
    throw new TypeError(`${where}: graph must be built by landmarkGraph(hs, zs, reach, opts), received ${graph === null ? "null" : typeof graph}`);
  }
}

function checkState(where: string, name: string, h: number[], Dh: number): void {
  if (!Array.isArray(h) || h.length !== Dh || !h.every(Number.isFinite)) {
    throw new TypeError(`${where}: ${name} must be ${Dh} finite numbers (a high-level state, like the landmarks'), received ${Array.isArray(h) ? `[${h.join(", ")}]` : typeof h}`);
  }
}
