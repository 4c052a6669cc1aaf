import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { bouncingShapes } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const step = (a: number[], b: number[]) => Math.hypot(a[0] - b[0], a[1] - b[1]);

test("bouncingShapes without events: shapes, range, smooth motion inside the box, both shapes drawn", () => {
  const before = tf.memory().numTensors;
  const d = bouncingShapes(30, 12);
  assert.deepEqual(d.frames.shape, [30, 12, 16, 16, 1]);
  assert.deepEqual(d.positions.shape, [30, 12, 2, 2]);
  assert.deepEqual(d.eventAt, Array(30).fill(-1));
  assert.deepEqual(d.eventShape, Array(30).fill(-1));
  assert.ok(d.visible.every((c) => c.every((f) => f.every((v) => v === 1))));
  const f = d.frames.dataSync() as Float32Array;
  assert.ok(f.every((v) => v >= 0 && v <= 1));
  const p = d.positions.arraySync() as number[][][][];
  p.forEach((clip) => clip.forEach((fr, t) => fr.forEach((q, s) => {
    assert.ok(q.every((c) => c >= 0.1 - 1e-6 && c <= 0.9 + 1e-6));
    if (t > 0) assert.ok(step(q, clip[t - 1][s]) <= 0.05 + 1e-5);
  })));
  // ink ~ area of a square (0.2^2) + a disc (pi 0.1^2), minus overlaps
  const ink = f.reduce((a, v) => a + v, 0) / (30 * 12 * 256);
  assert.ok(ink > 0.05 && ink < 0.075, `mean ink ${ink}`);
  tf.dispose([d.frames, d.positions]);
  assert.equal(tf.memory().numTensors, before);
});

test("teleport: one shape jumps far at eventAt (middle third), everything else is smooth", () => {
  const T = 15;
  const d = bouncingShapes(60, T, { event: "teleport" });
  const p = d.positions.arraySync() as number[][][][];
  d.eventAt.forEach((at, i) => {
    assert.ok(at >= 5 && at <= 9, `eventAt ${at}`);
    const who = d.eventShape[i];
    assert.ok(who === 0 || who === 1);
    for (let t = 1; t < T; t++) {
      for (let s = 0; s < 2; s++) {
        const jump = step(p[i][t][s], p[i][t - 1][s]);
        if (t === at && s === who) assert.ok(jump >= 0.4 - 1e-5 - 0.05, `teleport jump ${jump}`);
        else assert.ok(jump <= 0.05 + 1e-5);
      }
    }
  });
  tf.dispose([d.frames, d.positions]);
});

test("vanish: the shape is not drawn from eventAt on; fixed eventAt/eventShape; eventProbability", () => {
  const d = bouncingShapes(10, 10, { event: "vanish", eventAt: 4, eventShape: 1, numShapes: 1 + 1, radius: 0.12 });
  const f = d.frames.arraySync() as number[][][][][];
  const ink = (i: number, t: number) => f[i][t].flat(2).reduce((a, v) => a + v, 0);
  for (let i = 0; i < 10; i++) {
    assert.equal(d.eventAt[i], 4);
    assert.equal(d.eventShape[i], 1);
    for (let t = 0; t < 10; t++) assert.deepEqual(d.visible[i][t], [1, t >= 4 ? 0 : 1]);
    // after the vanish only the square (0.24^2 * 256 ~ 14.7 pixels) is left
    assert.ok(Math.abs(ink(i, 6) - 0.0576 * 256) < 1.5, `ink after vanish ${ink(i, 6)}`);
  }
  tf.dispose([d.frames, d.positions]);
  const none = bouncingShapes(200, 6, { event: "teleport", eventProbability: 0.5 });
  const without = none.eventAt.filter((a) => a === -1).length;
  assert.ok(without > 70 && without < 130, `clips without event ${without}`);
  tf.dispose([none.frames, none.positions]);
});

test("bouncingShapes is deterministic under setSeed and rejects bad arguments", () => {
  setSeed(12);
  const a = bouncingShapes(3, 6, { event: "teleport" });
  setSeed(12);
  const b = bouncingShapes(3, 6, { event: "teleport" });
  assert.deepEqual(a.positions.arraySync(), b.positions.arraySync());
  assert.deepEqual(a.eventAt, b.eventAt);
  tf.dispose([a.frames, a.positions, b.frames, b.positions]);
  assert.throws(() => bouncingShapes(2, 1, { event: "vanish" }), /bouncingShapes: T must be >= 2 for an event/);
  assert.throws(() => bouncingShapes(2, 5, { event: "explode" as never }), /bouncingShapes: opts.event must be "none", "teleport" or "vanish", received explode/);
  assert.throws(() => bouncingShapes(2, 5, { event: "vanish", eventAt: 5 }), /bouncingShapes: opts.eventAt must be an integer in \[1, 4\], received 5/);
  assert.throws(() => bouncingShapes(2, 5, { event: "vanish", eventShape: 2 }), /bouncingShapes: opts.eventShape must be an integer in \[0, 1\]/);
  assert.throws(() => bouncingShapes(0, 5), /bouncingShapes: n must be an integer/);
});
