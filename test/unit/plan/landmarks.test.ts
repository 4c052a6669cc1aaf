import { test } from "node:test";
import assert from "node:assert/strict";
import { nearestLandmark } from "../../../lib/plan";

test("nearestLandmark returns the latent of the landmark whose high-level state is nearest", () => {
  const hs = [[0, 0], [1, 0], [0, 1]];
  const zs = [[10, 10, 10], [20, 20, 20], [30, 30, 30]];
  const down = nearestLandmark(hs, zs);
  assert.deepEqual(down([0.9, 0.2]), [20, 20, 20]);
  assert.deepEqual(down([-1, 3]), [30, 30, 30]);
  const z = down([0, 0]);
  z[0] = 99;
  assert.deepEqual(down([0, 0]), [10, 10, 10], "a copy: the memory is not changed by the caller");
  assert.throws(() => nearestLandmark(hs, zs.slice(1)), /nearestLandmark: hs and zs must be non-empty arrays of the same length/);
  assert.throws(() => down([1, 2, 3]), /nearestLandmark: the subgoal must have 2 numbers/);
});
