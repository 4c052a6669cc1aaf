/**
 * Loads the float64 reference values shipped with the package (test/fixtures/losses.json: VICReg,
 * SIGReg and RankMe computed in float64 from the published formulas, which the file spells out) and
 * compares within a relative tolerance.
 */
import * as fs from "fs";
import * as path from "path";
import assert from "node:assert/strict";

export const repoRoot = path.resolve(__dirname, "../../..");
export const referencePath = path.resolve(repoRoot, "test/fixtures/losses.json");

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
    throw new Error(`reference values not found at ${referencePath}`);
  }
  return JSON.parse(fs.readFileSync(referencePath, "utf8"));
}

/** |got - want| <= rtol * max(|want|, atol/rtol floor) : relative, with an absolute floor for expected 0. */
export function assertClose(got: number, want: number, what: string, rtol = 1e-4, atol = 1e-6): void {
  const tol = Math.max(rtol * Math.abs(want), atol);
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} (tolerance ${tol})`);
}
