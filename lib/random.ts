/**
 * Seeds, in one place. Introduced in notebooks/00-setup.ipynb.
 *
 * `setSeed(s)` fixes every random stream the library uses: data worlds, masks, initialisers and
 * planners each draw from their own named stream, so adding a draw in one place does not shift the
 * numbers of another. tfjs treats seed 0 as "no seed", so seeds handed to tfjs are never 0.
 */

let globalSeed = 42;
const counters = new Map<string, number>();

/** Sets the global seed and restarts every named stream. */
export function setSeed(seed: number): void {
  if (!Number.isInteger(seed)) throw new Error(`setSeed: seed must be an integer, received ${seed}`);
  globalSeed = seed;
  counters.clear();
}

/** The global seed last set (42 until `setSeed` is called). */
export function getSeed(): number {
  return globalSeed;
}

/** 32-bit FNV-1a hash of a string. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** A seeded uniform [0, 1) generator (mulberry32). */
export type Rng = () => number;

/** A generator from an explicit 32-bit seed. */
export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * A fresh generator for a named stream. Each call with the same name returns the next generator in
 * that stream (so two `rng("data")` calls differ), and the sequence restarts on `setSeed`.
 */
export function rng(stream = "default"): Rng {
  return mulberry32(nextSeed(stream));
}

/** The next integer seed (never 0) of a named stream, for tfjs ops and initialisers. */
export function nextSeed(stream = "default"): number {
  const n = counters.get(stream) ?? 0;
  counters.set(stream, n + 1);
  const s = hashString(`${globalSeed}:${stream}:${n}`) % 2147483647;
  return s === 0 ? 1 : s;
}

/** A standard normal draw from a uniform generator (Box–Muller). */
export function randn(r: Rng): number {
  const u = Math.max(r(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * r());
}

/** Integer in [0, n). */
export function randInt(r: Rng, n: number): number {
  return Math.floor(r() * n);
}

/** Fisher–Yates shuffle of 0..n-1. */
export function permutation(r: Rng, n: number): number[] {
  const p = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(r() * (i + 1));
    [p[i], p[j]] = [p[j], p[i]];
  }
  return p;
}

/** Everything needed to continue the random streams exactly (saved in checkpoints). */
export interface RandomState {
  seed: number;
  counters: Record<string, number>;
}

/** The current seed and the position of every named stream. */
export function getRandomState(): RandomState {
  return { seed: globalSeed, counters: Object.fromEntries(counters) };
}

/** Restores a state from `getRandomState` (a resumed run then draws the same numbers). */
export function setRandomState(state: RandomState): void {
  if (!state || !Number.isInteger(state.seed) || typeof state.counters !== "object") {
    throw new Error("setRandomState: state must be { seed: integer, counters: { [stream]: number } } as returned by getRandomState()");
  }
  globalSeed = state.seed;
  counters.clear();
  for (const [k, v] of Object.entries(state.counters)) counters.set(k, v);
}
