import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { rng, setSeed } from "../../../lib/random";
import { train } from "../../../lib/train/train";
import { critic, criticBatch, criticExamples, ShortTermMemory } from "../../../lib/agent";
import { geodesicPath, geodesicSteps, wallMove } from "./toy-agent-world";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("criticExamples: Monte-Carlo steps-to-go, the end 0, failCost added where the goal was not reached; running episodes skipped", () => {
  const mem = new ShortTermMemory();
  mem.beginEpisode([9, 9]);
  for (let t = 0; t < 3; t++) mem.push([t, 0], [1, 0], 0);
  mem.endEpisode([3, 0], true);
  mem.beginEpisode([7, 7]);
  for (let t = 0; t < 2; t++) mem.push([t, 5], [0, 0], 0);
  mem.endEpisode([2, 5], false);
  mem.beginEpisode([1, 1]);
  mem.push([0, 0], [0, 0], 0);
  const ex = criticExamples(mem.episodes(), { failCost: 40 });
  assert.deepEqual(ex.target, [3, 2, 1, 0, 42, 41, 40]);
  assert.deepEqual(ex.z, [[0, 0], [1, 0], [2, 0], [3, 0], [0, 5], [1, 5], [2, 5]]);
  assert.deepEqual(ex.goal, [[9, 9], [9, 9], [9, 9], [9, 9], [7, 7], [7, 7], [7, 7]]);
  assert.equal(criticExamples(mem.episodes()).target[4], 22, "default failCost 20");
  const b = criticBatch(ex, [0, 4]);
  assert.deepEqual(b.z.shape, [2, 2]);
  assert.deepEqual(Array.from(b.target.dataSync()), [3, 42]);
  tf.dispose([b.z, b.goal, b.target]);
  assert.throws(() => criticBatch(ex, [7]), /criticBatch: idx\[0\]/);
});

test("the critic learns a known cost-to-go around a wall from remembered episodes (toy world, geodesic policy)", async () => {
  setSeed(21);
  const r = rng("test:critic");
  const point = () => [2 * r() - 1, 2 * r() - 1];
  const mem = new ShortTermMemory({ capacity: 50000 });
  for (let e = 0; e < 300; e++) {
    const [s, g] = [point(), point()];
    const path = geodesicPath(s, g);
    mem.beginEpisode(g);
    path.slice(0, -1).forEach((z, t) => mem.push(z, [path[t + 1][0] - z[0], path[t + 1][1] - z[1]], 0));
    mem.endEpisode(path[path.length - 1], true);
  }
  const ex = criticExamples(mem.episodes());
  const V = critic({ embedDim: 2, hidden: [64, 64], scale: 10 });
  const br = rng("test:critic-batches");
  await train(V, { steps: 800, lr: 3e-3, progress: false, chart: false,
    batch: () => criticBatch(ex, Array.from({ length: 128 }, () => Math.floor(br() * ex.z.length))) });
  const tests = Array.from({ length: 300 }, () => [point(), point()]);
  const truth = tests.map(([s, g]) => geodesicSteps(s, g));
  const pred = tf.tidy(() => Array.from(V.value(tf.tensor2d(tests.map((p) => p[0])), tf.tensor2d(tests.map((p) => p[1]))).dataSync()));
  const mae = (p: number[], keep: (i: number) => boolean) => {
    const k = tests.map((_, i) => i).filter(keep);
    return k.reduce((a, i) => a + Math.abs(p[i] - truth[i]), 0) / k.length;
  };
  const all = mae(pred, () => true);
  assert.ok(all < 1.5, `mean error ${all.toFixed(2)} steps over 300 held-out (start, goal) pairs`);
  // Where the wall blocks the straight line, counting straight-line steps (what a distance sees) is far off; the critic is not.
  const blockedLine = (i: number) => { const [s, g] = tests[i]; return wallMove(s, [g[0] - s[0], g[1] - s[1]])[0] === s[0] && s[0] * g[0] < 0; };
  const line = tests.map(([s, g]) => Math.max(0, Math.ceil((Math.hypot(s[0] - g[0], s[1] - g[1]) - 0.1) / 0.1)));
  const [mine, straight] = [mae(pred, blockedLine), mae(line, blockedLine)];
  assert.ok(mine < straight / 2, `pairs the wall separates: critic error ${mine.toFixed(2)} vs straight-line steps ${straight.toFixed(2)}`);
  const goal = tf.tensor1d([0.3, 0.9]);
  const before = tf.memory().numTensors;
  tf.tidy(() => { V.value(tf.zeros([3, 2]) as tf.Tensor2D, goal); });
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => V.value(tf.zeros([3, 2]) as tf.Tensor2D, tf.zeros([2, 2]) as tf.Tensor2D), /critic.value: goal must have shape \[2\] or \[3, 2\]/);
  assert.throws(() => critic({ embedDim: 0 }), /critic: opts.embedDim/);
  goal.dispose();
  V.dispose();
});
