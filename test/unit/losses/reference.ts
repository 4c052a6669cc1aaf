/**
 * Loads the float64 reference values (../shared/reference/losses.json beside the repo; CI clones the
 * repo with shared/ next to it) and compares within a relative tolerance.
 */
import * as fs from "fs";
import * as path from "path";
import assert from "node:assert/strict";

export const repoRoot = path.resolve(__dirname, "../../..");
export const referencePath = path.resolve(repoRoot, "../shared/reference/losses.json");

export interface ReferenceCase {
  kind: "vicreg" | "sigreg" | "rankme";
  x?: number[][];
  y?: number[][];
  z?: number[][];
  directions?: number[][];
  options: Record<string, number>;
  expected: number | Record<string, number>;
}

export function loadReference(): { formulas: Record<string, string>; cases: ReferenceCase[] } {
  if (!fs.existsSync(referencePath)) {
    throw new Error(`reference values not found at ${referencePath}: clone the repo with shared/ beside it`);
  }
  return JSON.parse(fs.readFileSync(referencePath, "utf8"));
}

/** |got - want| <= rtol * max(|want|, atol/rtol floor) : relative, with an absolute floor for expected 0. */
export function assertClose(got: number, want: number, what: string, rtol = 1e-4, atol = 1e-6): void {
  const tol = Math.max(rtol * Math.abs(want), atol);
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} (tolerance ${tol})`);
}
