import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { effectiveRank, perDimStd } from "../../../lib/eval";
import { loadReference, assertClose } from "../losses/reference";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const cases = loadReference().cases.filter((c) => c.kind === "rankme");

test("effectiveRank matches every RankMe reference case to 1e-4 relative (array and tensor input)", () => {
  assert.ok(cases.length >= 2);
  for (const [i, c] of cases.entries()) {
    assertClose(effectiveRank(c.z!, { eps: c.options.eps }), c.expected as number, `case ${i} array`);
    const z = tf.tensor2d(c.z!);
    assertClose(effectiveRank(z, { eps: c.options.eps }), c.expected as number, `case ${i} tensor (float32)`);
    z.dispose();
  }
});

test("collapsed embeddings (all rows equal): effective rank ~1 and per-dim std ~0", () => {
  const row = Array.from({ length: 16 }, (_, j) => Math.sin(j + 1));
  const z = Array.from({ length: 64 }, () => row.slice());
  assert.ok(Math.abs(effectiveRank(z) - 1) < 1e-3, `rank ${effectiveRank(z)}`);
  assert.ok(perDimStd(z).every((s) => s < 1e-12));
  assert.equal(effectiveRank(z.map((r) => r.map(() => 0))), 0, "all-zero z has rank 0 by convention");
});

test("isotropic Gaussian embeddings give high rank and unit std; a rank-3 map gives ~3 or below", () => {
  const z = tf.randomNormal([2000, 16], 0, 1, "float32", 21);
  const r = effectiveRank(z);
  assert.ok(r > 15 && r <= 16, `rank ${r}`);
  const std = perDimStd(z);
  assert.equal(std.length, 16);
  assert.ok(std.every((s) => Math.abs(s - 1) < 0.07), `std ${std}`);
  const low = tf.tidy(() => tf.matMul(tf.randomNormal([2000, 3], 0, 1, "float32", 22), tf.randomNormal([3, 16], 0, 1, "float32", 23)));
  const rl = effectiveRank(low);
  assert.ok(rl > 1.5 && rl < 3.01, `rank-3 data: ${rl}`);
  tf.dispose([z, low]);
});

test("perDimStd matches a hand computation (unbiased by default) and flattens [B, T, D]", () => {
  const z = [[1, 10], [3, 10], [5, 13]];
  assert.deepEqual(perDimStd(z), [2, Math.sqrt(3)]);
  assert.deepEqual(perDimStd(z, { unbiased: false }), [Math.sqrt(8 / 3), Math.sqrt(2)]);
  const t = tf.tensor3d([[[1, 10], [3, 10]], [[5, 13], [3, 11]]]);
  const flat = perDimStd(t.reshape([4, 2]));
  assert.deepEqual(perDimStd(t), flat);
  const before = tf.memory().numTensors;
  effectiveRank(t);
  perDimStd(t);
  assert.equal(tf.memory().numTensors, before, "no tensor leaks");
  t.dispose();
});

test("effectiveRank and perDimStd reject bad input with errors naming the function and argument", () => {
  assert.throws(() => effectiveRank([[1, NaN]]), /^RangeError: effectiveRank: z must hold finite numbers, received NaN at \[0, 1\]/);
  assert.throws(() => effectiveRank([[1, 2], [3]]), /effectiveRank: z must be a rectangular number\[\]\[\] \[N, D\] with D = 2, received row 1/);
  assert.throws(() => effectiveRank([]), /effectiveRank: z must be a non-empty number\[\]\[\]/);
  assert.throws(() => effectiveRank(tf.zeros([4])), /effectiveRank: z must have rank >= 2 \[N, D\], received shape \[4\]/);
  assert.throws(() => effectiveRank("z" as unknown as number[][]), /effectiveRank: z must be a tf.Tensor \[N, D\] or number\[\]\[\], received string/);
  assert.throws(() => effectiveRank([[1]], { eps: -1 }), /effectiveRank: opts.eps/);
  assert.throws(() => perDimStd([[1, 2]]), /perDimStd: z must have N >= 2 rows for the unbiased std, received N = 1/);
});
