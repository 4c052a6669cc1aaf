import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed, mulberry32 } from "../../../lib/random";
import { TwoRooms } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** True if the straight segment a -> b passes through the solid wall (sampled finely). */
function crossesSolid(w: TwoRooms, a: number[], b: number[]): boolean {
  for (let k = 1; k < 200; k++) {
    const t = k / 200;
    if (!w.isFree([a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])])) return true;
  }
  return false;
}

test("transitions: shapes, float32, values in range, actions clipped, no tensor leaks", () => {
  const w = new TwoRooms();
  const before = tf.memory().numTensors;
  const d = w.transitions(300);
  assert.deepEqual(d.obs.shape, [300, 16, 16, 1]);
  assert.deepEqual(d.nextObs.shape, [300, 16, 16, 1]);
  assert.deepEqual(d.actions.shape, [300, 2]);
  assert.deepEqual(d.states.shape, [300, 2]);
  assert.deepEqual(d.nextStates.shape, [300, 2]);
  for (const t of Object.values(d)) assert.equal(t.dtype, "float32");
  const obs = d.obs.dataSync();
  assert.ok(obs.every((v) => v >= 0 && v <= 1));
  const norms = (d.actions.arraySync() as number[][]).map(([a, b]) => Math.hypot(a, b));
  assert.ok(norms.every((n) => n <= 0.08 + 1e-6));
  assert.ok(Math.max(...norms) > 0.07, "actions fill the disc");
  assert.equal(tf.memory().numTensors, before + 5, "exactly the five returned tensors");
  tf.dispose(Object.values(d));
  assert.equal(tf.memory().numTensors, before);
});

test("same setSeed gives the same data; another seed different data", () => {
  const w = new TwoRooms();
  setSeed(7);
  const a = w.transitions(50);
  const ta = w.trajectories(3, 5);
  setSeed(7);
  const b = w.transitions(50);
  const tb = w.trajectories(3, 5);
  setSeed(8);
  const c = w.transitions(50);
  assert.deepEqual(a.states.arraySync(), b.states.arraySync());
  assert.deepEqual(a.actions.arraySync(), b.actions.arraySync());
  assert.deepEqual(ta.states.arraySync(), tb.states.arraySync());
  assert.notDeepEqual(a.states.arraySync(), c.states.arraySync());
  setSeed(3);
  const s1 = w.randomStates(10);
  const g1 = w.sampleStartGoal(5);
  setSeed(3);
  assert.deepEqual(w.randomStates(10), s1);
  assert.deepEqual(w.sampleStartGoal(5), g1);
  tf.dispose([...Object.values(a), ...Object.values(b), ...Object.values(c), ...Object.values(ta), ...Object.values(tb)]);
});

test("the wall is never crossed outside the door; crossings happen through the door", () => {
  const w = new TwoRooms();
  const r = mulberry32(11);
  let crossings = 0;
  for (let i = 0; i < 20000; i++) {
    const s = i % 2 ? w.randomStates(1)[0] : [0.5 + (r() - 0.5) * 0.3, r()];
    const from = w.project(s);
    const a = [(r() - 0.5) * 0.4, (r() - 0.5) * 0.4];
    const [to] = w.step([from], [a]);
    assert.ok(w.isFree(to), `ended inside the wall: ${to}`);
    assert.ok(!crossesSolid(w, from, to), `passed through the wall: ${from} -> ${to}`);
    assert.ok(Math.hypot(to[0] - from[0], to[1] - from[1]) <= 0.08 + 1e-9, "moved at most maxStep");
    if (w.room(from) !== w.room(to)) {
      crossings++;
      const yMid = from[1] + ((to[1] - from[1]) * (0.5 - from[0])) / (to[0] - from[0]);
      assert.ok(yMid >= w.doorLow - 1e-9 && yMid <= w.doorHigh + 1e-9, `crossed at y=${yMid}`);
    }
  }
  assert.ok(crossings > 100, `crossings ${crossings}`);
});

test("collisions stop at the wall face; the door lets the agent through; the square bounds moves", () => {
  const w = new TwoRooms();
  assert.deepEqual(w.step([[0.45, 0.2]], [[0.08, 0]]), [[w.wallLeft, 0.2]]);
  assert.deepEqual(w.step([[0.55, 0.9]], [[-0.08, 0]]), [[w.wallRight, 0.9]]);
  const [through] = w.step([[0.45, 0.5]], [[0.08, 0]]);
  assert.ok(Math.abs(through[0] - 0.53) < 1e-12 && through[1] === 0.5);
  assert.deepEqual(w.step([[w.wallLeft, 0.2]], [[0.05, 0]]), [[w.wallLeft, 0.2]], "pushing into the wall: stays");
  assert.deepEqual(w.step([[w.wallLeft, 0.2]], [[0, 0.05]]), [[w.wallLeft, 0.25]], "sliding along the face is free");
  const [frame] = w.step([[0.5, 0.55]], [[0, 0.08]]);
  assert.deepEqual(frame, [0.5, w.doorHigh], "inside the door, stops at the door frame");
  const [clipped] = w.step([[0.2, 0.2]], [[1, 0]]);
  assert.ok(Math.abs(clipped[0] - 0.28) < 1e-12, "action clipped to maxStep");
  assert.deepEqual(w.step([[0.02, 0.99]], [[-0.05, 0.05]]), [[0, 1]]);
});

test("blocked says which moves the wall or the edge stopped short, without changing step or the random stream", () => {
  const w = new TwoRooms();
  const states = [[0.45, 0.2], [w.wallLeft, 0.2], [w.wallLeft, 0.2], [0.45, 0.5], [0.2, 0.2], [0.02, 0.99], [0.3, 0.3], [0.5, 0.55]];
  const actions = [[0.08, 0], [0.05, 0], [0, 0.05], [0.08, 0], [1, 0], [-0.05, 0.05], [0, 0], [0, 0.08]];
  assert.deepEqual(w.blocked(states, actions), [true, true, false, false, false, true, false, true]);
  setSeed(3);
  const before = w.randomStates(50);
  const acts = before.map((_, i) => [0.08 * Math.cos(i), 0.08 * Math.sin(i)]);
  const next = w.step(before, acts);
  const hit = w.blocked(before, acts);
  hit.forEach((b, i) => {
    const moved = Math.hypot(next[i][0] - before[i][0], next[i][1] - before[i][1]);
    assert.equal(b, moved < 0.08 - 1e-9, `move ${i}: blocked ${b}, moved ${moved}`);
  });
  setSeed(3);
  w.randomStates(50);
  const after = w.randomStates(5);
  setSeed(3);
  w.randomStates(50);
  w.blocked(before, acts);
  assert.deepEqual(w.randomStates(5), after, "blocked draws no random numbers");
  assert.throws(() => w.blocked([[0.1, 0.1]], []), /TwoRooms.blocked: states and actions must have the same length/);
});

test("trajectories: shapes, states follow step(), some episodes pass the door, policy is used", () => {
  const w = new TwoRooms();
  setSeed(1);
  const before = tf.memory().numTensors;
  const d = w.trajectories(200, 30);
  assert.deepEqual(d.obs.shape, [200, 31, 16, 16, 1]);
  assert.deepEqual(d.actions.shape, [200, 30, 2]);
  assert.deepEqual(d.states.shape, [200, 31, 2]);
  const st = d.states.arraySync() as number[][][];
  const ac = d.actions.arraySync() as number[][][];
  let crossing = 0;
  st.forEach((ep, i) => {
    if (new Set(ep.map((s) => w.room(s))).size === 2) crossing++;
    for (let t = 0; t < 30; t++) {
      assert.ok(Math.hypot(ac[i][t][0], ac[i][t][1]) <= 0.08 + 1e-6);
      const [next] = w.step([ep[t]], [ac[i][t]]);
      assert.ok(Math.abs(next[0] - ep[t + 1][0]) < 1e-5 && Math.abs(next[1] - ep[t + 1][1]) < 1e-5);
    }
  });
  assert.ok(crossing >= 5, `episodes that change room: ${crossing}`);
  const obs = d.obs.dataSync();
  assert.ok(obs.every((v) => v >= 0 && v <= 1));
  tf.dispose(Object.values(d));
  const right = w.trajectories(4, 5, (s) => s.map(() => [1, 0]));
  const rs = right.states.arraySync() as number[][][];
  assert.ok(rs.every((ep) => ep[5][0] >= ep[0][0]));
  assert.ok((right.actions.arraySync() as number[][][]).every((ep) => ep.every((a) => Math.abs(a[0] - 0.08) < 1e-6)));
  tf.dispose(Object.values(right));
  assert.equal(tf.memory().numTensors, before);
});

test("randomStates are free and cover both rooms; render draws the agent and the wall", () => {
  const w = new TwoRooms();
  const s = w.randomStates(2000);
  assert.ok(s.every((p) => w.isFree(p)));
  const left = s.filter((p) => w.room(p) === 0).length;
  assert.ok(left > 850 && left < 1150, `left ${left}`);
  const img = w.render([[0.25, 0.75], [0.75, 0.25]]);
  const a = img.arraySync() as number[][][][];
  // agent near column 4, row 4 in the first image; the wall at columns 7/8 with a gap at the door
  assert.ok(a[0][4][4][0] > 0.6, `agent pixel ${a[0][4][4][0]}`);
  assert.equal(a[0][0][7][0], 0.5);
  assert.equal(a[0][15][8][0], 0.5);
  assert.equal(a[0][8][7][0] < 0.05, true, "door gap");
  assert.ok(a[1][12][12][0] > 0.6);
  img.dispose();
});

test("sampleStartGoal honours differentRooms and minDistance", () => {
  const w = new TwoRooms();
  const { starts, goals } = w.sampleStartGoal(200, { differentRooms: true, minDistance: 0.3 });
  assert.equal(starts.length, 200);
  starts.forEach((s, i) => {
    assert.notEqual(w.room(s), w.room(goals[i]));
    assert.ok(Math.hypot(s[0] - goals[i][0], s[1] - goals[i][1]) >= 0.3);
    assert.ok(w.isFree(s) && w.isFree(goals[i]));
  });
});

test("bad arguments throw errors naming the function and argument", () => {
  assert.throws(() => new TwoRooms({ imageSize: 2 }), /TwoRooms: opts.imageSize must be an integer in \[4, 256\], received 2/);
  assert.throws(() => new TwoRooms({ maxStep: 0 }), /TwoRooms: opts.maxStep/);
  const w = new TwoRooms();
  assert.throws(() => w.step([[0, 0]], [[0, 0], [1, 1]]), /TwoRooms.step: states and actions must have the same length, received 1 and 2/);
  assert.throws(() => w.step([[0, NaN]], [[0, 0]]), /TwoRooms.step: states\[0\] must be a pair/);
  assert.throws(() => w.transitions(0), /TwoRooms.transitions: n must be an integer/);
  assert.throws(() => w.trajectories(2, 1.5), /TwoRooms.trajectories: T must be an integer/);
  assert.throws(() => w.trajectories(2, 3, () => [[0, 0]]), /TwoRooms.trajectories: policy must return 2 actions, returned 1 at t=0/);
  assert.throws(() => w.sampleStartGoal(1, { minDistance: 2 }), /TwoRooms.sampleStartGoal: opts.minDistance/);
  assert.throws(() => w.render([[1]]), /TwoRooms.render: states\[0\]/);
});
