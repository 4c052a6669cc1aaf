/**
 * Small helpers shared by the data worlds (not re-exported from lib/): count checks and rendering
 * soft dots into pixel buffers. The worlds use image coordinates with y pointing
 * UP: a state (x, y) in [0,1]^2 is drawn at column x * size and row (1 - y) * size, so row 0 is the
 * top of the image (y near 1) and pictures look like the charts of the same states.
 */
import { checkNumber } from "../check";

/** A positive integer count (>= min, default 1). */
export function checkCount(where: string, arg: string, n: unknown, min = 1, max = 1e7): number {
  return checkNumber(where, arg, n, { min, max, integer: true });
}

/** Throws unless `pts` is an array of [x, y] pairs of finite numbers; returns its length. */
export function checkPoints(where: string, arg: string, pts: unknown): number {
  if (!Array.isArray(pts)) throw new TypeError(`${where}: ${arg} must be an array of [x, y] pairs (number[][]), received ${typeof pts}`);
  pts.forEach((p, i) => {
    if (!Array.isArray(p) || p.length !== 2 || !Number.isFinite(p[0]) || !Number.isFinite(p[1])) {
      throw new TypeError(`${where}: ${arg}[${i}] must be a pair [x, y] of finite numbers, received ${Array.isArray(p) ? `[${p.join(", ")}]` : String(p)}`);
    }
  });
  return pts.length;
}

/** Clamps v into [lo, hi]. */
export const clamp = (v: number, lo: number, hi: number): number => Math.min(hi, Math.max(lo, v));

/** Column index range of pixels a soft shape centred at c with reach r can touch. */
function span(c: number, r: number, size: number): [number, number] {
  return [Math.max(0, Math.floor((c - r) * size)), Math.min(size - 1, Math.ceil((c + r) * size))];
}

/**
 * Draws an anti-aliased filled disc (kind "disc") or square (kind "square", half-side = radius)
 * into `buf` at `offset` ([size, size] row-major, y up), combining with max. Intensity in [0, 1].
 */
export function drawShape(
  buf: Float32Array, offset: number, size: number, x: number, y: number, radius: number,
  kind: "disc" | "square" = "disc", intensity = 1,
): void {
  const px = 1 / size;
  const [c0, c1] = span(x, radius + px, size);
  const [r0, r1] = span(1 - y, radius + px, size);
  for (let row = r0; row <= r1; row++) {
    const cy = 1 - (row + 0.5) / size;
    for (let col = c0; col <= c1; col++) {
      const cx = (col + 0.5) / size;
      const d = kind === "disc" ? Math.hypot(cx - x, cy - y) : Math.max(Math.abs(cx - x), Math.abs(cy - y));
      const v = intensity * clamp((radius - d) / px + 0.5, 0, 1);
      const k = offset + row * size + col;
      if (v > buf[k]) buf[k] = v;
    }
  }
}

/**
 * Draws a Gaussian blob exp(-d^2 / 2 sigma^2) (peak `intensity`) into `buf`, combining with max.
 * Pixels farther than 4 sigma from the centre (value < 3.4e-4) are left untouched.
 */
export function drawBlob(buf: Float32Array, offset: number, size: number, x: number, y: number, sigma: number, intensity = 1): void {
  const reach = 4 * sigma;
  const [c0, c1] = span(x, reach, size);
  const [r0, r1] = span(1 - y, reach, size);
  if (c0 > c1 || r0 > r1) return;
  const k2 = 1 / (2 * sigma * sigma);
  const gx = new Float64Array(c1 - c0 + 1);
  for (let col = c0; col <= c1; col++) gx[col - c0] = Math.exp(-(((col + 0.5) / size - x) ** 2) * k2);
  for (let row = r0; row <= r1; row++) {
    const gy = intensity * Math.exp(-((1 - (row + 0.5) / size - y) ** 2) * k2);
    const base = offset + row * size;
    for (let col = c0; col <= c1; col++) {
      const v = gy * gx[col - c0];
      if (v > buf[base + col]) buf[base + col] = v;
    }
  }
}
