/**
 * Landmarks: frames the agent has seen, remembered by their two states (the high level's h and the
 * low level's latent z). `nearestLandmark` hands a high-level subgoal down to the low level as the
 * latent of the remembered frame whose h is closest: a target the low level's own latent distance
 * can measure precisely (the low-level latent distance is sharp near a frame and flat far from it;
 * the high-level state is the other way round). Introduced in notebooks/09-hierarchical-planning.ipynb.
 *
 *   const toLowLevel = nearestLandmark(hs, zs);   // hs [M][Dh], zs [M][D]
 *   const zSub = toLowLevel(subgoal);             // [D]
 */

/** (subgoal [Dh]) => the latent [D] of the landmark whose high-level state is nearest (Euclidean). */
export function nearestLandmark(hs: number[][], zs: number[][]): (subgoal: number[]) => number[] {
  const where = "nearestLandmark";
  if (!Array.isArray(hs) || !Array.isArray(zs) || hs.length === 0 || hs.length !== zs.length) {
    throw new Error(`${where}: hs and zs must be non-empty arrays of the same length (one high-level state and one latent per landmark), received ${Array.isArray(hs) ? hs.length : typeof hs} and ${Array.isArray(zs) ? zs.length : typeof zs}`);
  }
  const Dh = hs[0].length;
  hs.forEach((h, i) => {
    if (!Array.isArray(h) || h.length !== Dh || !h.every(Number.isFinite)) throw new TypeError(`${where}: hs[${i}] must be ${Dh} finite numbers`);
  });
  const flat = Float64Array.from(hs.flat());
  return (subgoal: number[]) => {
    if (!Array.isArray(subgoal) || subgoal.length !== Dh) throw new Error(`${where}: the subgoal must have ${Dh} numbers (like hs[0]), received ${Array.isArray(subgoal) ? subgoal.length : typeof subgoal}`);
    let best = 0;
    let bestD = Infinity;
    for (let i = 0; i < hs.length; i++) {
      let d = 0;
      for (let j = 0; j < Dh; j++) d += (flat[i * Dh + j] - subgoal[j]) ** 2;
      if (d < bestD) [best, bestD] = [i, d];
    }
    return zs[best].slice();
  };
}
