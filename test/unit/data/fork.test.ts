import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { forkClips, forkBranches, forkFrames } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("forkClips: shapes, range, the context says nothing about the branch, both branches ~50/50", () => {
  const before = tf.memory().numTensors;
  const d = forkClips(400);
  assert.deepEqual(d.context.shape, [400, 16, 16, 2]);
  assert.deepEqual(d.future.shape, [400, 16, 16, 1]);
  assert.equal(d.branch.length, 400);
  const right = d.branch.filter((b) => b === 1).length;
  assert.ok(right > 160 && right < 240, `right ${right}`);
  assert.ok(d.future.dataSync().every((v) => v >= 0 && v <= 1));
  const ctx = d.context.arraySync() as number[][][][];
  assert.deepEqual(ctx[0], ctx[1], "same context for every sample (no jitter)");
  // the last context channel is the fork point: dot at (0.5, 0.12 + 4*0.08 = 0.44) -> row 8, cols 7..8
  assert.ok(ctx[0][8][7][1] > 0.3 && ctx[0][8][8][1] > 0.3);
  d.futurePositions.forEach((p, i) => {
    assert.ok(Math.abs(p[0] - (d.branch[i] ? 0.82 : 0.18)) < 1e-9 && Math.abs(p[1] - 0.44) < 1e-9);
  });
  const fut = d.future.arraySync() as number[][][][];
  const i = d.branch.indexOf(1);
  assert.ok(fut[i][8][13][0] > 0.3 && fut[i][8][2][0] === 0, "right branch: dot on the right");
  tf.dispose([d.context, d.future]);
  assert.equal(tf.memory().numTensors, before);
});

test("forkBranches gives the two real futures; every future equals one of them", () => {
  const d = forkClips(20, { contextFrames: 3 });
  assert.deepEqual(d.context.shape, [20, 16, 16, 3]);
  const br = forkBranches({ contextFrames: 3 });
  assert.deepEqual(br.frames.shape, [2, 16, 16, 1]);
  assert.ok(br.positions[0][0] < 0.5 && br.positions[1][0] > 0.5);
  const f = d.future.arraySync() as number[][][][];
  const b = br.frames.arraySync() as number[][][][];
  d.branch.forEach((k, i) => assert.deepEqual(f[i], b[k]));
  tf.dispose([d.context, d.future, br.frames]);
  // with jitter, branches of a given start
  const j = forkClips(5, { startJitter: 0.05 });
  const bj = forkBranches({ startJitter: 0.05 }, j.starts[0]);
  assert.deepEqual(bj.positions[j.branch[0]], j.futurePositions[0]);
  tf.dispose([j.context, j.future, bj.frames]);
});

test("forkClips is deterministic under setSeed and rejects bad arguments", () => {
  setSeed(3);
  const a = forkClips(30);
  setSeed(3);
  const b = forkClips(30);
  assert.deepEqual(a.branch, b.branch);
  tf.dispose([a.context, a.future, b.context, b.future]);
  assert.throws(() => forkClips(0), /forkClips: n must be an integer/);
  assert.throws(() => forkClips(2, { contextFrames: 6 }), /forkClips: opts.contextFrames must be an integer in \[1, 5\], received 6/);
  assert.throws(() => forkClips(2, { h: 8 }), /forkClips: the path leaves the image/);
  assert.throws(() => forkBranches({}, [0.5] as never), /forkBranches: start must be a pair/);
});

test("forkFrames draws the dot where it is told: the real futures equal forkBranches', any other place too", () => {
  const br = forkBranches({ startJitter: 0.1 }, [0.45, 0.12]);
  const same = forkFrames(br.positions, { startJitter: 0.1 });
  assert.deepEqual(same.arraySync(), br.frames.arraySync());
  const straight = forkFrames([[0.45, 0.76]]);                     // the dot went straight on
  const img = straight.arraySync() as number[][][][];
  assert.ok(img[0][3][7][0] > 0.3, "dot at column 0.45*16 = 7, row (1-0.76)*16 = 3");
  assert.equal(img[0][8][7][0], 0, "nothing at the fork's row");
  tf.dispose([br.frames, same, straight]);
  assert.throws(() => forkFrames([[0.5]] as never), /forkFrames: positions\[0\] must be a pair/);
});
