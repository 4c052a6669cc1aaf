import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { rng, setSeed } from "../../../lib/random";
import { Episode, LatentMemory, runMpc, runPolicy, shiftPlan, straightLinePolicy, summarizeEpisodes } from "../../../lib/plan";
import { dist, linearStep, toyEnv, wallMove, wallStep } from "./toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const identity = (obs: tf.Tensor) => obs as tf.Tensor2D;
const linearMove = (s: number[], a: number[]) => s.map((v, i) => v + a[i]);

test("runMpc reaches a goal in the linear world with CEM and MPPI; episode bookkeeping", () => {
  for (const planner of ["cem", "mppi"] as const) {
    setSeed(4);
    const goalState = [0.7, -0.4];
    const goal = tf.tensor1d(goalState);
    const infos: number[] = [];
    const ep = runMpc({
      env: toyEnv([-0.3, 0.2], linearMove), encode: identity, step: linearStep, goal, planner, maxSteps: 30,
      plannerOptions: { horizon: 5, actionDim: 2, low: -0.2, high: 0.2, samples: 64, elites: 8, iterations: 3 },
      success: (s) => dist(s, goalState) < 0.05, onStep: (i) => infos.push(i.t),
    });
    assert.ok(ep.success, `${planner} reached the goal: ${ep.states.at(-1)}`);
    assert.ok(ep.steps >= 6 && ep.steps < 30, `${planner} steps ${ep.steps}`);
    assert.equal(ep.states.length, ep.steps + 1);
    assert.equal(ep.actions.length, ep.steps);
    assert.deepEqual(infos, ep.actions.map((_, t) => t));
    assert.ok(ep.pathLength >= dist([-0.3, 0.2], goalState) - 0.05 && ep.pathLength < 2);
    assert.ok(ep.planMs > 0);
    goal.dispose();
  }
});

/** 20 seeded start/goal pairs in opposite rooms, on the same side of the door: the straight line hits the wall. */
function wallEpisodes(run: (start: number[], goalState: number[], success: (s: number[]) => boolean) => Episode): Episode[] {
  setSeed(11);
  const r = rng("test:wall");
  return Array.from({ length: 20 }, () => {
    const side = r() < 0.5 ? -1 : 1;
    const start = [-0.3 - 0.5 * r(), side * (0.25 + 0.55 * r())];
    const goalState = [0.3 + 0.5 * r(), side * (0.25 + 0.55 * r())];
    return run(start, goalState, (s) => dist(s, goalState) < 0.1);
  });
}

test("wall world: MPC (MPPI + memory) reaches the other room more often than the straight line over 20 seeded episodes", () => {
  const line = summarizeEpisodes(wallEpisodes((start, g, success) => runPolicy(toyEnv(start, wallMove), straightLinePolicy(g, 0.1), { maxSteps: 40, success })));
  const before = tf.memory().numTensors;
  const mpc = summarizeEpisodes(wallEpisodes((start, g, success) => {
    const goal = tf.tensor1d(g);
    const ep = runMpc({
      env: toyEnv(start, wallMove), encode: identity, step: wallStep, goal, planner: "mppi", maxSteps: 40, replanEvery: 2,
      plannerOptions: { horizon: 12, actionDim: 2, low: -0.1, high: 0.1, samples: 64, iterations: 3, noiseStd: 0.1, noiseCorrelation: 0.7 }, success,
    });
    goal.dispose();
    return ep;
  }));
  assert.equal(tf.memory().numTensors, before, "no tensors leak over 20 episodes");
  assert.equal(line.episodes, 20);
  assert.ok(mpc.successRate > line.successRate, `mpc ${mpc.successRate} vs line ${line.successRate}`);
  assert.ok(mpc.successRate >= 0.5, `mpc success ${mpc.successRate}`);
});

test("runMpc: same seed, same episode; warm start and a custom planner", () => {
  const goal = tf.tensor1d([0.5, 0.5]);
  const opts = {
    env: toyEnv([0, 0], linearMove), encode: identity, step: linearStep, goal, maxSteps: 4,
    plannerOptions: { horizon: 4, actionDim: 2, low: -0.2, high: 0.2, samples: 32, elites: 4, iterations: 2 },
  };
  setSeed(5);
  const a = runMpc(opts);
  setSeed(5);
  const b = runMpc({ ...opts, env: toyEnv([0, 0], linearMove) });
  assert.deepEqual(b.actions, a.actions);
  const seen: (number[][] | undefined)[] = [];
  const ep = runMpc({
    ...opts, env: toyEnv([0, 0], linearMove), replanEvery: 2, memory: 0,
    planner: (c) => {
      seen.push(c.initMean);
      assert.equal(c.exploration, 1);
      return { actions: [[0.1, 0], [0, 0.1], [0.2, 0.2], [0.3, 0.3]], cost: 0, costHistory: [0] };
    },
  });
  assert.deepEqual(ep.actions, [[0.1, 0], [0, 0.1], [0.1, 0], [0, 0.1]]);
  assert.deepEqual(seen, [undefined, [[0.2, 0.2], [0.3, 0.3], [0, 0], [0, 0]]], "warm start: the plan shifted by the 2 executed actions");
  goal.dispose();
});

test("shiftPlan and the stuck test of the short-term memory", () => {
  assert.deepEqual(shiftPlan([[1, 2], [3, 4], [5, 6]], 1), [[3, 4], [5, 6], [0, 0]]);
  const m = new LatentMemory(3, [1, 0], 0.02);
  m.push([0, 0]);
  m.push([0, 0]);
  assert.equal(m.stuck(), false, "memory not full yet");
  m.push([0, 0]);
  assert.equal(m.stuck(), true, "no progress over the window");
  m.push([-0.2, 0]);
  assert.equal(m.stuck(), true, "a detour away from the goal keeps the flag");
  m.push([0.5, 0]);
  assert.equal(m.stuck(), false, "closer than where it got stuck: unstuck");
  const off = new LatentMemory(0, [1, 0], 0.02);
  off.push([0, 0]);
  assert.equal(off.stuck(), false);
});

test("runPolicy, straightLinePolicy, summarizeEpisodes", () => {
  const pol = straightLinePolicy([1, 0.5], 0.1);
  assert.deepEqual(pol([0, 0]), [0.1, 0.05], "direction kept, largest component = maxStep");
  assert.deepEqual(pol([0.95, 0.5]).map((v) => +v.toFixed(6)), [0.05, 0]);
  const ep = runPolicy(toyEnv([0, 0], linearMove), pol, { maxSteps: 50, success: (s) => dist(s, [1, 0.5]) < 0.01 });
  assert.ok(ep.success);
  assert.equal(ep.steps, 10);
  assert.ok(Math.abs(ep.pathLength - Math.hypot(1, 0.5)) < 1e-9);
  const fail = runPolicy(toyEnv([0, 0], linearMove), () => [0, 0], { maxSteps: 3 });
  assert.equal(fail.success, false);
  assert.equal(fail.steps, 3);
  const s = summarizeEpisodes([ep, fail]);
  assert.deepEqual({ ...s, meanPlanMs: 0 }, { episodes: 2, successRate: 0.5, meanSteps: 6.5, meanPathLength: ep.pathLength / 2, meanPlanMs: 0 });
});

test("runMpc rejects bad options with clear errors and leaks nothing", () => {
  const goal = tf.tensor1d([1, 1]);
  const goal3 = tf.tensor1d([1, 1, 1]);
  const base = { env: toyEnv([0, 0], linearMove), encode: identity, step: linearStep, goal, maxSteps: 2, plannerOptions: { horizon: 3, actionDim: 2, samples: 8, elites: 2, iterations: 1 } };
  const before = tf.memory().numTensors;
  assert.throws(() => runMpc({ ...base, replanEvery: 0 }), /runMpc: opts.replanEvery must be an integer in \[1, Infinity\], received 0/);
  assert.throws(() => runMpc({ ...base, plannerOptions: { actionDim: 2 } }), /runMpc: opts.plannerOptions.horizon is required with planner "cem", received undefined/);
  assert.throws(() => runMpc({ ...base, plannerOptions: { horizon: 0, actionDim: 2 } }), /runMpc: opts.plannerOptions.horizon must be an integer in \[1, Infinity\], received 0/);
  assert.throws(() => runMpc({ ...base, goal: goal3 }), /runMpc: encode\(obs\) must have shape \[1, 3\], received \[1, 2\]/);
  assert.throws(() => runMpc({ ...base, planner: "ilqr" as "cem" }), /runMpc: opts.planner must be "cem", "mppi" or a function/);
  assert.throws(() => runMpc({ ...base, env: {} as never }), /runMpc: opts.env must be an Env with state\(\), observe\(\) and step\(action\) methods/);
  assert.throws(() => runMpc({ ...base, plannerOptions: { ...base.plannerOptions, elites: 9 } }), /cem: opts.elites must be at most opts.samples \(8\), received 9/);
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([goal, goal3]);
});
