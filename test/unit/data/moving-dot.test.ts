import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { movingDotClips } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("movingDotClips: shapes, float32, range, constant speed with bounces, dot drawn where it is", () => {
  const before = tf.memory().numTensors;
  const d = movingDotClips(20, 12);
  assert.deepEqual(d.frames.shape, [20, 12, 16, 16, 1]);
  assert.deepEqual(d.positions.shape, [20, 12, 2]);
  assert.equal(d.frames.dtype, "float32");
  assert.equal(d.clean, undefined);
  const f = d.frames.arraySync() as number[][][][][];
  const p = d.positions.arraySync() as number[][][];
  for (let i = 0; i < 20; i++) {
    for (let t = 0; t < 12; t++) {
      const [x, y] = p[i][t];
      assert.ok(x >= 0.08 - 1e-6 && x <= 0.92 + 1e-6 && y >= 0.08 - 1e-6 && y <= 0.92 + 1e-6);
      const row = Math.min(15, Math.floor((1 - y) * 16));
      const col = Math.min(15, Math.floor(x * 16));
      assert.ok(f[i][t][row][col][0] > 0.3, `dot pixel at clip ${i} t ${t}`);
      if (t > 0) {
        const step = Math.hypot(x - p[i][t - 1][0], y - p[i][t - 1][1]);
        assert.ok(step <= 0.05 + 1e-5, `step ${step}`);
      }
    }
  }
  const v = d.frames.dataSync();
  assert.ok(v.every((a) => a >= 0 && a <= 1));
  assert.ok(Math.max(...v) > 0.9);
  tf.dispose([d.frames, d.positions]);
  assert.equal(tf.memory().numTensors, before);
});

test("leaves noise: independent every frame, clipped to [0,1], clean frames unchanged", () => {
  const d = movingDotClips(8, 6, { noise: 0.6, withClean: true });
  assert.ok(d.clean);
  const f = d.frames.dataSync();
  const c = d.clean!.dataSync();
  assert.ok(f.every((a) => a >= 0 && a <= 1));
  let diff = 0;
  let bg = 0;
  let nbg = 0;
  for (let j = 0; j < f.length; j++) {
    diff += f[j] - c[j];
    if (c[j] === 0) { bg += f[j]; nbg++; }
  }
  assert.ok(Math.abs(bg / nbg - 0.3) < 0.02, `background mean ${bg / nbg} (uniform in [0, 0.6])`);
  // consecutive frames' noise is uncorrelated
  const frame = 256;
  let dot = 0; let a2 = 0; let b2 = 0;
  for (let k = 0; k < 8 * 5; k++) {
    for (let j = 0; j < frame; j++) {
      const a = f[k * frame + j] - c[k * frame + j] - 0.3;
      const b = f[(k + 1) * frame + j] - c[(k + 1) * frame + j] - 0.3;
      dot += a * b; a2 += a * a; b2 += b * b;
    }
  }
  assert.ok(Math.abs(dot / Math.sqrt(a2 * b2)) < 0.1, "noise independent across frames");
  const g = movingDotClips(2, 3, { noise: 0.3, noiseKind: "gaussian" });
  assert.ok(g.frames.dataSync().every((a) => a >= 0 && a <= 1));
  tf.dispose([d.frames, d.positions, d.clean!, g.frames, g.positions]);
});

test("movingDotClips is deterministic under setSeed", () => {
  setSeed(5);
  const a = movingDotClips(3, 4, { noise: 0.5 });
  setSeed(5);
  const b = movingDotClips(3, 4, { noise: 0.5 });
  const c = movingDotClips(3, 4, { noise: 0.5 });
  assert.deepEqual(a.frames.dataSync(), b.frames.dataSync());
  assert.deepEqual(a.positions.dataSync(), b.positions.dataSync());
  assert.notDeepEqual(a.positions.dataSync(), c.positions.dataSync());
  tf.dispose([a.frames, a.positions, b.frames, b.positions, c.frames, c.positions]);
});

test("movingDotClips rejects bad arguments, naming the function and argument", () => {
  assert.throws(() => movingDotClips(0, 3), /movingDotClips: n must be an integer in \[1, /);
  assert.throws(() => movingDotClips(2, 2.5), /movingDotClips: T must be an integer/);
  assert.throws(() => movingDotClips(2, 2, { noise: 2 }), /movingDotClips: opts.noise must be a finite number in \[0, 1\], received 2/);
  assert.throws(() => movingDotClips(2, 2, { noiseKind: "wind" as never }), /movingDotClips: opts.noiseKind must be "leaves" or "gaussian", received wind/);
  assert.throws(() => movingDotClips(2, 2, { imageSize: 3 }), /movingDotClips: opts.imageSize/);
});
