import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { RowOfRooms } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** True if the straight segment a -> b passes through a wall (sampled finely). */
function crossesWall(w: RowOfRooms, a: number[], b: number[]): boolean {
  for (let k = 1; k < 200; k++) {
    const t = k / 200;
    if (!w.isFree([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])])) return true;
  }
  return false;
}

test("geometry: four rooms, doors at the bottom and the top in turn, walls around them", () => {
  const w = new RowOfRooms();
  assert.equal(w.width, 4);
  assert.deepEqual(w.imageShape, [16, 64, 1]);
  assert.deepEqual(w.doors.map((d) => +((d.y0 + d.y1) / 2).toFixed(3)), [0.15, 0.85, 0.15]);
  assert.equal(w.walls.length, 3, "each door reaches the floor or the ceiling: one wall piece per wall");
  assert.ok(w.isFree([1, 0.15]) && w.isFree([2, 0.85]) && w.isFree([3, 0.15]), "door openings are free");
  assert.ok(!w.isFree([1, 0.5]) && !w.isFree([2, 0.15]) && !w.isFree([3, 0.9]), "walls are solid");
  assert.deepEqual([0.5, 1.5, 2.5, 3.99].map((x) => w.room([x, 0.5])), [0, 1, 2, 3]);
  assert.throws(() => new RowOfRooms({ rooms: 3, doorY: [0.5] }), /RowOfRooms: opts.doorY must list one door height per wall \(2 numbers\)/);
  assert.throws(() => new RowOfRooms({ maxStep: 0 }), /RowOfRooms: opts.maxStep/);
});

test("step: moves are clipped to maxStep, stop at walls, pass through doors", () => {
  const w = new RowOfRooms();
  const m = w.opts.maxStep;
  const [a] = w.step([[0.5, 0.5]], [[1, 0]]);
  assert.ok(Math.abs(a[0] - (0.5 + m)) < 1e-12 && a[1] === 0.5, "clipped to maxStep");
  const [b] = w.step([[0.88, 0.5]], [[0.03, 0]]);
  assert.equal(b[0], w.walls[0].x0, "stopped on the wall's face (x = 0.9)");
  const [c] = w.step([[0.88, 0.15]], [[0.03, 0]]);
  assert.ok(Math.abs(c[0] - 0.91) < 1e-12, "into the bottom door's corridor");
  const [d] = w.step([[1.88, 0.15]], [[0.03, 0]]);
  assert.equal(d[0], w.walls[1].x0, "the second door is at the top: blocked at the bottom");
  const slips: [number[], number[], number][] = [[[1.88, 0], [0.03, 0], 1.9], [[3.12, 1], [-0.03, 0], 3.1], [[1.89, 0.005], [0.03, -0.01], 1.9]];
  for (const [from, a, face] of slips) {
    const [f] = w.step([from], [a]);
    assert.equal(f[0], face, `nothing slips into a wall along the floor or the ceiling: ${from} + ${a} -> ${f}`);
  }
  const [e] = w.step([[0.89, 0.5]], [[0.02, -0.02]]);
  assert.ok(Math.abs(e[0] - 0.9) < 1e-12 && Math.abs(e[1] - 0.48) < 1e-12, `slides along the face: ${e}`);
  setSeed(3);
  const starts = w.randomStates(400);
  const acts = starts.map((_, i) => [Math.cos(i), Math.sin(i)].map((v) => v * 0.05));
  const next = w.step(starts, acts);
  next.forEach((s, i) => {
    assert.ok(w.isFree(s), `free after the move: ${s}`);
    assert.ok(!crossesWall(w, starts[i], s), `never through a wall: ${starts[i]} -> ${s}`);
    assert.ok(Math.hypot(s[0] - starts[i][0], s[1] - starts[i][1]) <= m + 1e-9);
  });
});

test("render: [N, H, W, 1] in [0, 1], the blob where the state is, walls grey; no leaks", () => {
  const w = new RowOfRooms();
  const before = tf.memory().numTensors;
  const img = w.render([[2.5, 0.25], [0.03, 0.97]]);
  assert.deepEqual(img.shape, [2, 16, 64, 1]);
  const a = img.arraySync() as number[][][][];
  const argmax = (im: number[][][]) => {
    let best = [0, 0, -1];
    im.forEach((row, r) => row.forEach((v, c) => { if (v[0] > best[2]) best = [r, c, v[0]]; }));
    return best;
  };
  const [r0, c0] = argmax(a[0]);
  assert.ok(Math.abs(r0 - 11.5) <= 0.5 && Math.abs(c0 - 39.5) <= 0.5, `blob at row ${r0}, col ${c0}: x = 2.5 is column 39.5, y = 0.25 row 11.5`);
  assert.equal(a[0][2][16][0], 0.5, "wall pixel at x = 1, high up");
  assert.equal(a[0][2][13][0], 0, "no wall left of x = 0.875 (the wall is x in [0.9, 1.1])");
  assert.ok(a.flat(3).every((v) => v >= 0 && v <= 1));
  img.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("paths and trajectories: shapes, clipped actions, same seed same data", () => {
  const w = new RowOfRooms();
  setSeed(5);
  const p = w.paths(20, 30, undefined, { nearDoor: 0.5 });
  assert.equal(p.states.length, 20);
  assert.equal(p.states[0].length, 31);
  assert.equal(p.actions[0].length, 30);
  assert.ok(p.actions.flat().every((a) => Math.hypot(a[0], a[1]) <= w.opts.maxStep + 1e-9));
  p.states.forEach((ep) => ep.forEach((s, t) => t > 0 && assert.ok(!crossesWall(w, ep[t - 1], s))));
  p.blocked.forEach((ep, i) => ep.forEach((b, t) => {
    const moved = Math.hypot(p.states[i][t + 1][0] - p.states[i][t][0], p.states[i][t + 1][1] - p.states[i][t][1]);
    assert.equal(b, moved < Math.hypot(...p.actions[i][t]) - 1e-9, "blocked = moved less than asked");
  }));
  assert.ok(p.blocked.flat().some((b) => b) && p.blocked.flat().some((b) => !b));
  setSeed(5);
  assert.deepEqual(w.paths(20, 30, undefined, { nearDoor: 0.5 }), p);
  const before = tf.memory().numTensors;
  const t = w.trajectories(3, 4);
  assert.deepEqual([t.obs.shape, t.actions.shape, t.states.shape], [[3, 5, 16, 64, 1], [3, 4, 2], [3, 5, 2]]);
  tf.dispose([t.obs, t.actions, t.states]);
  assert.equal(tf.memory().numTensors, before);
});

test("sampleStartGoal: rooms apart as asked; shortestPath goes through the doors", () => {
  const w = new RowOfRooms();
  setSeed(7);
  const { starts, goals } = w.sampleStartGoal(50, { minRoomsApart: 3 });
  starts.forEach((s, i) => assert.equal(Math.abs(w.room(s) - w.room(goals[i])), 3));
  const near = w.sampleStartGoal(50, { maxRoomsApart: 0 });
  near.starts.forEach((s, i) => assert.equal(w.room(s), w.room(near.goals[i])));
  assert.ok(Math.abs(w.shortestPath([0.2, 0.5], [0.8, 0.5]) - 0.6) < 1e-9, "same room: straight line");
  // room 0 to room 1 through the bottom door (y in [0, 0.3], a corridor from x = 0.9 to 1.1): via (0.9, 0.3), (1.1, 0.3)
  const expected = Math.hypot(0.4, 0.2) + 0.2 + Math.hypot(0.4, 0.2);
  assert.ok(Math.abs(w.shortestPath([0.5, 0.5], [1.5, 0.5]) - expected) < 1e-6);
  assert.ok(Math.abs(w.shortestPath([1.5, 0.5], [0.5, 0.5]) - expected) < 1e-6, "symmetric");
  const zigzag = 2 * Math.hypot(0.4, 0.2) + 2 * Math.hypot(0.8, 0.4) + 3 * 0.2; // via the corridors at y = 0.3, 0.7, 0.3
  assert.ok(Math.abs(w.shortestPath([0.5, 0.5], [3.5, 0.5]) - zigzag) < 1e-6, "three doors, zig-zag");
});
