/**
 * Patches and masks for masked-prediction JEPAs. Introduced in
 * notebooks/04-masked-image-jepa.ipynb (I-JEPA multi-block masks on MNIST patches) and used in
 * 07-video-jepa-and-surprise (V-JEPA tube masks: the same spatial blocks hidden at every frame;
 * the next-frame mask: the newest frame hidden).
 *
 * A mask is a float32 tensor of 0/1 over the patch grid. Blocks follow I-JEPA: a block of `scale`
 * s (fraction of the grid) and aspect ratio a (height / width) has
 *   h = round(sqrt(s * gridH * gridW * a)),  w = round(sqrt(s * gridH * gridW / a)),
 * clamped to the grid, at a uniformly random position. Randomness from `rng("data:masks")` unless
 * `opts.stream` names another stream.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape, withDefaults } from "../check";
import { rng, randInt, type Rng } from "../random";
import { checkCount } from "./common";

/** A rectangle of grid cells: rows top..top+height-1, columns left..left+width-1. */
export interface MaskBlock {
  /** First row. */
  top: number;
  /** First column. */
  left: number;
  /** Rows covered. */
  height: number;
  /** Columns covered. */
  width: number;
}

/** Options of `multiBlockMasks`. */
export interface MultiBlockOptions {
  /** Number of target blocks per example (their union is the target). Default 4. */
  numTargets: number;
  /** Range [min, max] of a target block's area as a fraction of the grid. Default [0.15, 0.2]. */
  targetScale: [number, number];
  /** Range [min, max] of a target block's aspect ratio (height / width). Default [0.75, 1.5]. */
  targetAspect: [number, number];
  /** Range [min, max] of the context block's area as a fraction of the grid (aspect 1). Default [0.85, 1.0]. */
  contextScale: [number, number];
  /** Random stream to draw from. Default "data:masks". */
  stream: string;
}

/** Default options of `multiBlockMasks` (I-JEPA's). */
export const multiBlockDefaults: MultiBlockOptions = {
  numTargets: 4, targetScale: [0.15, 0.2], targetAspect: [0.75, 1.5], contextScale: [0.85, 1.0], stream: "data:masks",
};

/** I-JEPA masks for a batch. Dispose the two tensors when done. */
export interface MultiBlockMasks {
  /** 1 = visible to the context encoder. [B, gridH, gridW] float32; at least one 1 per example. */
  context: tf.Tensor3D;
  /** 1 = position to predict (union of the target blocks). [B, gridH, gridW]; at least one 1 per example; never overlaps context. */
  target: tf.Tensor3D;
  /** The target blocks of each example, [B][numTargets] (the guarantee step may shrink the target by one cell). */
  blocks: MaskBlock[][];
}

/** Options of `tubeMask`. */
export interface TubeMaskOptions {
  /** Number of spatial blocks per example (their union is masked at every time step). Default 8. */
  numBlocks: number;
  /** Range [min, max] of a block's area as a fraction of the grid. Default [0.15, 0.15] (V-JEPA short-range). */
  scale: [number, number];
  /** Range [min, max] of a block's aspect ratio (height / width). Default [0.75, 1.5]. */
  aspect: [number, number];
  /** Random stream to draw from. Default "data:masks". */
  stream: string;
}

/** Default options of `tubeMask` (V-JEPA short-range masks). */
export const tubeMaskDefaults: TubeMaskOptions = { numBlocks: 8, scale: [0.15, 0.15], aspect: [0.75, 1.5], stream: "data:masks" };

/** Images [B, H, W, C] -> patches [B, H/p, W/p, p*p*C] (each patch flattened row-major, channels last). */
export function patchify(images: tf.Tensor4D, patch: number): tf.Tensor4D {
  const where = "patchify";
  checkShape(where, "images", images, ["B", "H", "W", "C"]);
  checkCount(where, "patch", patch);
  const [B, H, W, C] = images.shape;
  if (H % patch !== 0 || W % patch !== 0) {
    throw new RangeError(`${where}: images height and width must be multiples of patch=${patch}, received shape [${images.shape.join(", ")}]`);
  }
  const gh = H / patch;
  const gw = W / patch;
  return tf.tidy(() =>
    images.reshape([B, gh, patch, gw, patch, C]).transpose([0, 1, 3, 2, 4, 5]).reshape([B, gh, gw, patch * patch * C]),
  );
}

/** Patches [B, gh, gw, p*p*C] -> images [B, gh*p, gw*p, C]; the inverse of `patchify`. */
export function unpatchify(patches: tf.Tensor4D, patch: number): tf.Tensor4D {
  const where = "unpatchify";
  checkShape(where, "patches", patches, ["B", "gh", "gw", "D"]);
  checkCount(where, "patch", patch);
  const [B, gh, gw, D] = patches.shape;
  if (D % (patch * patch) !== 0) {
    throw new RangeError(`${where}: patches last dimension must be a multiple of patch*patch=${patch * patch}, received shape [${patches.shape.join(", ")}]`);
  }
  const C = D / (patch * patch);
  return tf.tidy(() =>
    patches.reshape([B, gh, gw, patch, patch, C]).transpose([0, 1, 3, 2, 4, 5]).reshape([B, gh * patch, gw * patch, C]),
  );
}

/**
 * I-JEPA multi-block masks: per example, `numTargets` target blocks (union = target) and one
 * context block with every target cell removed. Guarantees at least one context and one target
 * cell per example (needs gridH * gridW >= 2).
 */
export function multiBlockMasks(batch: number, gridH: number, gridW: number, opts: Partial<MultiBlockOptions> = {}): MultiBlockMasks {
  const where = "multiBlockMasks";
  checkGrid(where, batch, gridH, gridW);
  const o = withDefaults(multiBlockDefaults, opts, where);
  checkCount(where, "opts.numTargets", o.numTargets, 1, 1000);
  checkRange(where, "opts.targetScale", o.targetScale, 0, 1);
  checkRange(where, "opts.targetAspect", o.targetAspect, 0, Infinity);
  checkRange(where, "opts.contextScale", o.contextScale, 0, 1);
  const r = rng(o.stream);
  const cells = gridH * gridW;
  const ctx = new Float32Array(batch * cells);
  const tgt = new Float32Array(batch * cells);
  const blocks: MaskBlock[][] = [];
  for (let b = 0; b < batch; b++) {
    const t = new Uint8Array(cells);
    const bl = Array.from({ length: o.numTargets }, () => sampleBlock(r, gridH, gridW, o.targetScale, o.targetAspect));
    bl.forEach((k) => fill(t, k, gridW));
    let c = new Uint8Array(cells);
    for (let tries = 0; tries < 20 && !c.some((v, j) => v && !t[j]); tries++) {
      c = new Uint8Array(cells);
      fill(c, sampleBlock(r, gridH, gridW, o.contextScale, [1, 1]), gridW);
    }
    for (let j = 0; j < cells; j++) if (t[j]) c[j] = 0;
    ensureBoth(r, c, t);
    ctx.set(c, b * cells);
    tgt.set(t, b * cells);
    blocks.push(bl);
  }
  return { context: tf.tensor3d(ctx, [batch, gridH, gridW], "float32"), target: tf.tensor3d(tgt, [batch, gridH, gridW], "float32"), blocks };
}

/**
 * V-JEPA tube masks: per example, the union of `numBlocks` spatial blocks, hidden at every one of
 * the T time steps (a tube through time). [B, T, gridH, gridW] float32, 1 = hidden (to predict),
 * 0 = visible. Should the blocks cover the whole grid, one random cell is made visible again, so
 * every example keeps at least one visible and one hidden cell (needs gridH * gridW >= 2).
 */
export function tubeMask(batch: number, T: number, gridH: number, gridW: number, opts: Partial<TubeMaskOptions> = {}): tf.Tensor4D {
  const where = "tubeMask";
  checkGrid(where, batch, gridH, gridW);
  checkCount(where, "T", T, 1, 1e5);
  const o = withDefaults(tubeMaskDefaults, opts, where);
  checkCount(where, "opts.numBlocks", o.numBlocks, 1, 1000);
  checkRange(where, "opts.scale", o.scale, 0, 1);
  checkRange(where, "opts.aspect", o.aspect, 0, Infinity);
  const r = rng(o.stream);
  const cells = gridH * gridW;
  const out = new Float32Array(batch * T * cells);
  for (let b = 0; b < batch; b++) {
    const m = new Uint8Array(cells);
    for (let k = 0; k < o.numBlocks; k++) fill(m, sampleBlock(r, gridH, gridW, o.scale, o.aspect), gridW);
    if (m.every((v) => v === 1)) m[randInt(r, cells)] = 0;
    for (let t = 0; t < T; t++) out.set(m, (b * T + t) * cells);
  }
  return tf.tensor4d(out, [batch, T, gridH, gridW], "float32");
}

/** The mask that hides only the newest time step: [B, T, gridH, gridW] float32, 1 at t = T - 1. */
export function nextFrameMask(batch: number, T: number, gridH: number, gridW: number): tf.Tensor4D {
  const where = "nextFrameMask";
  checkGrid(where, batch, gridH, gridW);
  checkCount(where, "T", T, 2, 1e5);
  const out = new Float32Array(batch * T * gridH * gridW);
  for (let b = 0; b < batch; b++) out.fill(1, ((b + 1) * T - 1) * gridH * gridW, (b + 1) * T * gridH * gridW);
  return tf.tensor4d(out, [batch, T, gridH, gridW], "float32");
}

// ---- internals ----

function checkGrid(where: string, batch: number, gridH: number, gridW: number): void {
  checkCount(where, "batch", batch);
  checkCount(where, "gridH", gridH, 1, 4096);
  checkCount(where, "gridW", gridW, 1, 4096);
  if (gridH * gridW < 2) throw new RangeError(`${where}: the grid must have at least 2 cells (one visible, one masked), received gridH=${gridH}, gridW=${gridW}`);
}

function checkRange(where: string, arg: string, v: unknown, lo: number, hi: number): void {
  if (!Array.isArray(v) || v.length !== 2) throw new TypeError(`${where}: ${arg} must be a pair [min, max], received ${Array.isArray(v) ? `an array of length ${v.length}` : typeof v}`);
  checkNumber(where, `${arg}[0]`, v[0], { min: lo, max: hi, exclusiveMin: true });
  checkNumber(where, `${arg}[1]`, v[1], { min: v[0], max: hi });
}

/** A block with I-JEPA's size rule at a uniformly random position. */
function sampleBlock(r: Rng, gridH: number, gridW: number, scale: [number, number], aspect: [number, number]): MaskBlock {
  const s = scale[0] + r() * (scale[1] - scale[0]);
  const a = aspect[0] + r() * (aspect[1] - aspect[0]);
  const area = s * gridH * gridW;
  const height = Math.min(gridH, Math.max(1, Math.round(Math.sqrt(area * a))));
  const width = Math.min(gridW, Math.max(1, Math.round(Math.sqrt(area / a))));
  return { top: randInt(r, gridH - height + 1), left: randInt(r, gridW - width + 1), height, width };
}

function fill(m: Uint8Array, k: MaskBlock, gridW: number): void {
  for (let i = k.top; i < k.top + k.height; i++) for (let j = k.left; j < k.left + k.width; j++) m[i * gridW + j] = 1;
}

/**
 * Makes `a` and `b` (disjoint 0/1 masks over the same cells) both non-empty: an empty `a` takes one
 * random cell outside `b`, or if `b` covers everything, one random cell of `b`; likewise for `b`.
 */
function ensureBoth(r: Rng, a: Uint8Array, b: Uint8Array): void {
  const give = (to: Uint8Array, from: Uint8Array) => {
    if (to.some((v) => v)) return;
    const free = [...to.keys()].filter((j) => !from[j]);
    const pool = free.length > 0 ? free : [...from.keys()].filter((j) => from[j]);
    const j = pool[randInt(r, pool.length)];
    from[j] = 0;
    to[j] = 1;
  };
  give(a, b);
  give(b, a);
}
