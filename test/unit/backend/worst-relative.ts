/** Shared by the backend tests: how far a backend's outputs are from the cpu reference. */
import assert from "node:assert/strict";

/** Largest |got - want| relative to the largest |want| of each array (equal NaN/±Infinity count as equal). */
export function worstRelative(want: number[][], got: number[][]): number {
  let worst = 0;
  want.forEach((w, j) => {
    assert.equal(got[j].length, w.length, `output ${j} length`);
    const scale = Math.max(1e-12, ...w.filter(Number.isFinite).map(Math.abs));
    w.forEach((v, k) => {
      const g = got[j][k];
      if (v === g || (Number.isNaN(v) && Number.isNaN(g))) return;
      const d = Math.abs(v - g) / scale;
      worst = Number.isNaN(d) ? Infinity : Math.max(worst, d);
    });
  });
  return worst;
}
