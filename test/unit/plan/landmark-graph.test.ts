import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { costToGo, jumpReach, landmarkGraph, nextSubgoal, Reach } from "../../../lib/plan";
import { linearStep, wallMove, wallStep } from "./toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

// Landmarks on a 12 x 12 grid over [-0.825, 0.825]^2 (none on the wall x = 0); h = z = the position.
const axis = Array.from({ length: 12 }, (_, i) => -0.825 + 0.15 * i);
const hs = axis.flatMap((x) => axis.map((y) => [x, y]));
const zs = hs.map(([x, y]) => [x, y, 10 * x]);
const wallJump = { predict: (h: tf.Tensor2D, m: tf.Tensor2D) => wallStep(h, m) as tf.Tensor2D }; // one jump = one blocked-or-not move
const index = (p: number[]) => hs.findIndex((h) => Math.hypot(h[0] - p[0], h[1] - p[1]) < 1e-9);

test("jumpReach: a jump reaches where the predictor lands within tol; through the wall it stops short", () => {
  const reach = jumpReach(wallJump, 0.03);
  const before = tf.memory().numTensors;
  assert.deepEqual(reach([[-0.1, 0.05], [-0.1, 0.5], [0.3, 0.3]], [[0.1, 0.05], [0.1, 0.5], [0.5, 0.32]]), [true, false, true]);
  assert.equal(tf.memory().numTensors, before, "no leaks");
  assert.throws(() => jumpReach(wallJump, 0), /jumpReach: tol must be/);
  assert.throws(() => reach([[0, 0]], []), /jumpReach: from and to must have the same length, received 1 and 0/);
});

test("landmarkGraph: edges only between landmarks one jump apart, none through the wall", () => {
  const g = landmarkGraph(hs, zs, jumpReach(wallJump, 0.03), { radius: 0.3 });
  let edges = 0;
  g.edges.forEach((out, i) => out.forEach(([j, w]) => {
    edges++;
    assert.ok(w < 0.3 && Math.abs(w - Math.hypot(hs[i][0] - hs[j][0], hs[i][1] - hs[j][1])) < 1e-12);
    const end = wallMove(hs[i], [hs[j][0] - hs[i][0], hs[j][1] - hs[i][1]]);
    assert.ok(Math.hypot(end[0] - hs[j][0], end[1] - hs[j][1]) < 1e-6, `edge ${hs[i]} -> ${hs[j]} goes through the wall`);
  }));
  const crossing = g.edges.flatMap((out, i) => out.filter(([j]) => hs[i][0] * hs[j][0] < 0)).length;
  assert.ok(crossing > 0 && crossing < edges / 20, `a few edges cross, through the door: ${crossing} of ${edges}`);
  assert.equal(g.checks, 2 * edges + 2 * (g.checks / 2 - edges), "both ways checked");
  assert.throws(() => landmarkGraph(hs, zs.slice(1), g.reach, { radius: 0.3 }), /landmarkGraph: hs and zs must be non-empty arrays of the same length/);
  assert.throws(() => landmarkGraph(hs, zs, g.reach, {} as never), /landmarkGraph: opts.radius must be/);
});

test("costToGo is the shortest chain of jumps (Dijkstra) on a small graph with a known answer", () => {
  // a line of 4 landmarks 0.2 apart; the reach test refuses every jump from or to the 2nd one
  // towards larger x: from there the only way to the goal is back by the 1st
  const line = [[0, 0], [0.2, 0], [0.4, 0], [0.6, 0]];
  const second = (p: number[], q: number[]) => Math.abs(p[0] - 0.2) < 1e-9 && q[0] > 0.3;
  const blocked: Reach = (from, to) => from.map((f, i) => !second(f, to[i]) && !second(to[i], f));
  const g = landmarkGraph(line, line, blocked, { radius: 0.45 });
  const { cost } = costToGo(g, [0.7, 0]);
  assert.deepEqual(Array.from(cost).map((c) => +c.toFixed(6)), [0.7, 0.9, 0.3, 0.1], "the 2nd goes back by the 1st (0.2 + 0.4 + 0.3)");
  const none = costToGo(g, [5, 5]);
  assert.ok(Array.from(none.cost).every((c) => c === Infinity), "no landmark within a jump of the goal");
  const blind = nextSubgoal(g, [0, 0], [5, 5], none.cost);
  assert.deepEqual([blind.index, blind.h, blind.z, blind.cost], [-1, [5, 5], null, Infinity], "no way known: the goal itself");
});

test("costToGo and nextSubgoal lead round the wall through the door, one jump at a time", () => {
  const g = landmarkGraph(hs, zs, jumpReach(wallJump, 0.03), { radius: 0.3 });
  const goal = [0.6, 0.6];
  const { cost } = costToGo(g, goal);
  const start = hs[index([-0.675, 0.675])];
  const c0 = cost[index(start)];
  const straight = Math.hypot(goal[0] - start[0], goal[1] - start[1]);
  const viaDoor = Math.hypot(0 - start[0], 0.2 - start[1]) + Math.hypot(goal[0], goal[1] - 0.2);
  assert.ok(c0 >= viaDoor - 1e-9 && c0 < 1.15 * viaDoor, `cost-to-go ${c0.toFixed(3)} is the way by the door (${viaDoor.toFixed(3)}), not straight (${straight.toFixed(3)})`);
  let h = start;
  const path = [h];
  for (let n = 0; n < 30; n++) {
    const s = nextSubgoal(g, h, goal, cost);
    const end = wallMove(h, [s.h[0] - h[0], s.h[1] - h[1]]);
    assert.ok(Math.hypot(end[0] - s.h[0], end[1] - s.h[1]) < 1e-6, `subgoal ${s.h} is one jump from ${h}`);
    if (s.index >= 0) assert.deepEqual(s.z, zs[s.index], "the subgoal carries its landmark's latent");
    h = s.h;
    path.push(h);
    if (s.index === -1) break;
  }
  assert.deepEqual(path.at(-1), goal, `reached the goal: ${path.map((p) => p.map((v) => v.toFixed(2)).join(",")).join(" ")}`);
  assert.ok(path.length <= 10, `${path.length - 1} jumps`);
  assert.ok(path.some(([x, y]) => Math.abs(x) < 0.1 && Math.abs(y) < 0.2), "went through the door");
});

test("on an open floor the cost-to-go is the straight-line distance, up to the grid", () => {
  const open = { predict: (h: tf.Tensor2D, m: tf.Tensor2D) => linearStep(h, m) as tf.Tensor2D };
  const g = landmarkGraph(hs, zs, jumpReach(open, 0.03), { radius: 0.3 });
  const { cost, checks } = costToGo(g, [0.6, 0.6]);
  const i = index([-0.675, 0.675]);
  assert.ok(Math.abs(cost[i] - Math.hypot(1.275, 0.075)) < 0.02, `${cost[i]}`);
  assert.ok(checks > 0 && checks <= 12, `jumps onto the goal checked: ${checks}`);
});
