import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { latentCoords, latentMap, pca, rng, randn, setSeed } from "../../../lib";

test("pca finds the direction of largest variance and its share", () => {
  setSeed(1);
  const r = rng("t");
  // points along (1, 1)/sqrt2 with std 3, plus small noise across
  const z = Array.from({ length: 400 }, () => { const a = 3 * randn(r), b = 0.1 * randn(r); return [(a + b) / Math.SQRT2, (a - b) / Math.SQRT2, 0.05 * randn(r)]; });
  const p = pca(z, 2);
  const c = p.components[0];
  assert.ok(Math.abs(Math.abs(c[0]) - Math.SQRT1_2) < 0.02 && Math.abs(Math.abs(c[1]) - Math.SQRT1_2) < 0.02, `component ${c}`);
  assert.ok(p.explained[0] > 0.99, `explained ${p.explained}`);
  assert.equal(p.projected.length, 400);
  assert.throws(() => pca(z, 4), /pca: k must be an integer in \[1, 3\], received 4/);
});

test("latentMap: numeric colours give one coloured trace, digits give one trace per class; umap is seeded", () => {
  setSeed(2);
  const r = rng("t");
  const z = Array.from({ length: 60 }, () => [randn(r), randn(r), randn(r)]);
  assert.equal(latentMap(z, z.map((p) => p[0])).data.length, 1);
  assert.equal(latentMap(z, z.map((_, i) => i % 3)).data.length, 3);
  setSeed(3);
  const a = latentMap(z, z.map((p) => p[0]), { method: "umap", neighbors: 5 }).data[0] as { x: number[] };
  setSeed(3);
  const b = latentMap(z, z.map((p) => p[0]), { method: "umap", neighbors: 5 }).data[0] as { x: number[] };
  assert.deepEqual(a.x, b.x);
  assert.throws(() => latentMap(z, [1, 2]), /color must have one value per row of z \(60\), received 2/);
  // errors name the function called, not the pca inside it
  assert.throws(() => latentMap(undefined as never, []), /^TypeError: latentMap: z must be/);
  assert.throws(() => latentCoords([[1, 2]]), /latentCoords: z must have at least 2 rows, received 1/);
  // the same coordinates from a tensor and from rows
  const t = tf.tensor2d(z);
  assert.deepEqual(latentCoords(t), pca(t, 2).projected);
  t.dispose();
});
