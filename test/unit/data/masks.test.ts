import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { patchify, unpatchify, multiBlockMasks, tubeMask, nextFrameMask } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("patchify puts each p x p patch in one cell (row-major, channels last); unpatchify inverts it", () => {
  const img = tf.tensor4d(Array.from({ length: 2 * 4 * 6 * 2 }, (_, i) => i), [2, 4, 6, 2]);
  const before = tf.memory().numTensors;
  const p = patchify(img, 2);
  assert.deepEqual(p.shape, [2, 2, 3, 8]);
  const a = img.arraySync() as number[][][][];
  const pa = p.arraySync() as number[][][][];
  // cell (1, 2) of image 1 holds rows 2..3, columns 4..5
  const expected = [a[1][2][4], a[1][2][5], a[1][3][4], a[1][3][5]].flat();
  assert.deepEqual(pa[1][1][2], expected);
  const back = unpatchify(p, 2);
  assert.deepEqual(back.shape, [2, 4, 6, 2]);
  assert.deepEqual(back.arraySync(), a);
  tf.dispose([p, back]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => patchify(img, 4), /patchify: images height and width must be multiples of patch=4, received shape \[2, 4, 6, 2\]/);
  assert.throws(() => patchify(tf.zeros([4, 4]) as never, 2), /patchify: images must have rank 4/);
  assert.throws(() => unpatchify(tf.zeros([1, 2, 2, 6]) as tf.Tensor4D, 2), /unpatchify: patches last dimension must be a multiple of patch\*patch=4/);
  img.dispose();
});

test("multiBlockMasks: shapes, 0/1, disjoint, at least one context and one target cell, I-JEPA-sized blocks", () => {
  const before = tf.memory().numTensors;
  const m = multiBlockMasks(200, 7, 7);
  assert.deepEqual(m.context.shape, [200, 7, 7]);
  assert.deepEqual(m.target.shape, [200, 7, 7]);
  assert.equal(m.context.dtype, "float32");
  const c = m.context.dataSync();
  const t = m.target.dataSync();
  let ctxTotal = 0; let tgtTotal = 0;
  for (let b = 0; b < 200; b++) {
    let nc = 0; let nt = 0;
    for (let j = 0; j < 49; j++) {
      const k = b * 49 + j;
      assert.ok((c[k] === 0 || c[k] === 1) && (t[k] === 0 || t[k] === 1));
      assert.ok(!(c[k] && t[k]), "context and target never overlap");
      nc += c[k]; nt += t[k];
    }
    assert.ok(nc >= 1 && nt >= 1, `example ${b}: ${nc} context, ${nt} target`);
    ctxTotal += nc; tgtTotal += nt;
    assert.equal(m.blocks[b].length, 4);
    for (const k of m.blocks[b]) {
      const area = k.height * k.width;
      assert.ok(area >= 4 && area <= 16, `block area ${area}`);
      assert.ok(k.top >= 0 && k.top + k.height <= 7 && k.left >= 0 && k.left + k.width <= 7);
    }
  }
  const ctxFrac = ctxTotal / (200 * 49);
  const tgtFrac = tgtTotal / (200 * 49);
  assert.ok(tgtFrac > 0.3 && tgtFrac < 0.7, `target fraction ${tgtFrac}`);
  assert.ok(ctxFrac > 0.2 && ctxFrac < 0.65, `context fraction ${ctxFrac}`);
  tf.dispose([m.context, m.target]);
  assert.equal(tf.memory().numTensors, before);
});

test("multiBlockMasks guarantees hold on tiny grids and with huge targets", () => {
  for (const [gh, gw, opts] of [[1, 2, {}], [2, 2, { numTargets: 8 }], [3, 3, { targetScale: [0.9, 1] as [number, number] }]] as const) {
    const m = multiBlockMasks(100, gh, gw, opts);
    const c = m.context.arraySync() as number[][][];
    const t = m.target.arraySync() as number[][][];
    c.forEach((ci, b) => {
      assert.ok(ci.flat().some((v) => v === 1), `context ${gh}x${gw} example ${b}`);
      assert.ok(t[b].flat().some((v) => v === 1), `target ${gh}x${gw} example ${b}`);
      assert.ok(ci.flat().every((v, j) => !(v && t[b].flat()[j])));
    });
    tf.dispose([m.context, m.target]);
  }
});

test("tubeMask: same spatial mask at every time step, at least one masked and one visible cell", () => {
  const before = tf.memory().numTensors;
  const m = tubeMask(50, 4, 5, 5);
  assert.deepEqual(m.shape, [50, 4, 5, 5]);
  const a = m.arraySync() as number[][][][];
  let masked = 0;
  a.forEach((ex) => {
    for (let t = 1; t < 4; t++) assert.deepEqual(ex[t], ex[0]);
    const flat = ex[0].flat();
    assert.ok(flat.every((v) => v === 0 || v === 1));
    assert.ok(flat.includes(0) && flat.includes(1));
    masked += flat.reduce((s: number, v) => s + v, 0);
  });
  const frac = masked / (50 * 25);
  assert.ok(frac > 0.4 && frac < 0.95, `masked fraction ${frac}`);
  m.dispose();
  const full = tubeMask(20, 2, 2, 2, { numBlocks: 10, scale: [1, 1] });
  assert.ok((full.arraySync() as number[][][][]).every((ex) => ex[0].flat().includes(0)));
  full.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("masks are deterministic under setSeed and reject bad arguments", () => {
  setSeed(9);
  const a = multiBlockMasks(4, 6, 6);
  const ta = tubeMask(4, 2, 6, 6);
  setSeed(9);
  const b = multiBlockMasks(4, 6, 6);
  const tb = tubeMask(4, 2, 6, 6);
  assert.deepEqual(a.target.arraySync(), b.target.arraySync());
  assert.deepEqual(a.context.arraySync(), b.context.arraySync());
  assert.deepEqual(ta.arraySync(), tb.arraySync());
  tf.dispose([a.context, a.target, b.context, b.target, ta, tb]);
  assert.throws(() => multiBlockMasks(2, 1, 1), /multiBlockMasks: the grid must have at least 2 cells/);
  assert.throws(() => multiBlockMasks(0, 4, 4), /multiBlockMasks: batch must be an integer in \[1, /);
  assert.throws(() => multiBlockMasks(2, 4, 4, { targetScale: [0.3, 0.2] }), /multiBlockMasks: opts.targetScale\[1\] must be a finite number in \[0.3, 1\], received 0.2/);
  assert.throws(() => tubeMask(2, 0, 4, 4), /tubeMask: T must be an integer/);
  assert.throws(() => tubeMask(2, 2, 4, 4, { scale: 0.2 as never }), /tubeMask: opts.scale must be a pair \[min, max\]/);
});

test("nextFrameMask hides every cell of the newest time step and nothing else", () => {
  const m = nextFrameMask(2, 3, 2, 2);
  assert.deepEqual(m.arraySync(), Array(2).fill([[[0, 0], [0, 0]], [[0, 0], [0, 0]], [[1, 1], [1, 1]]]));
  m.dispose();
  assert.throws(() => nextFrameMask(2, 1, 2, 2), /nextFrameMask: T must be an integer in \[2, /);
});
