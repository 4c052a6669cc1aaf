import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { rng, setSeed } from "../../../lib/random";
import { cem, jumpReach, landmarkGraph, planHierarchical, planningBudget, runHierarchicalMpc } from "../../../lib/plan";
import { dist, linearStep, toyEnv, wallMove, wallStep } from "./toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const identity = (obs: tf.Tensor) => obs as tf.Tensor2D;
const abstract = (z: tf.Tensor2D) => tf.clone(z);
const linearMove = (s: number[], a: number[]) => s.map((v, i) => v + a[i]);
// Remembered places: a 12 x 12 grid over [-0.825, 0.825]^2 (h = z = the position); one jump = k = 3 steps of at most 0.1.
const axis = Array.from({ length: 12 }, (_, i) => -0.825 + 0.15 * i);
const places = axis.flatMap((x) => axis.map((y) => [x, y]));
const graphOf = (step: typeof linearStep) => landmarkGraph(places, places, jumpReach({ predict: (h, m) => step(h, m) as tf.Tensor2D }, 0.03), { radius: 0.3 });
const wallGraph = graphOf(wallStep);
const openGraph = graphOf(linearStep);
const lowLevel = { low: -0.1, high: 0.1, samples: 32, elites: 4, iterations: 2, initStd: 0.1 };
const levels = { k: 3, actionDim: 2, abstract, lowLevel };

test("planHierarchical: the subgoal is the reachable landmark with the least cost-to-go, and the low level plans to its latent", () => {
  setSeed(1);
  const z0 = tf.tensor1d([-0.6, 0.6]);
  const goal = tf.tensor1d([0.6, 0.6]);
  const before = tf.memory().numTensors;
  const p = planHierarchical({ ...levels, graph: wallGraph, lowStep: wallStep, z0, goal });
  assert.equal(tf.memory().numTensors, before, "no leaks");
  assert.equal(p.low.actions.length, 3, "the low level's horizon defaults to k");
  assert.ok(p.subgoal.index >= 0 && p.subgoal.h[0] < 0 && p.subgoal.h[1] < 0.6, `the subgoal heads down to the door, on this side of the wall: ${p.subgoal.h}`);
  assert.ok(dist(p.subgoal.h, [-0.6, 0.6]) <= 0.3);
  // the low level is notebook 06's CEM towards the subgoal's latent, same stream and seed
  setSeed(1);
  const z = tf.tensor2d([[-0.6, 0.6]]);
  const target = tf.tensor1d(p.subgoal.z!);
  const ref = cem({ ...lowLevel, stream: "plan:low", horizon: 3, step: wallStep, z0: z, goal: target, actionDim: 2 });
  assert.deepEqual(p.low.actions, ref.actions);
  tf.dispose([z0, goal, z, target]);
});

test("planHierarchical: the goal itself is the subgoal once one jump reaches it", () => {
  const z0 = tf.tensor1d([0.4, 0.5]);
  const goal = tf.tensor1d([0.6, 0.6]);
  const p = planHierarchical({ ...levels, graph: wallGraph, lowStep: wallStep, z0, goal });
  assert.equal(p.subgoal.index, -1);
  assert.equal(p.subgoal.z, null);
  const end = p.low.actions.reduce((s, a) => [s[0] + a[0], s[1] + a[1]], [0.4, 0.5]);
  assert.ok(dist(end, [0.6, 0.6]) < 0.1, `the low plan ends near the goal: ${end}`);
  tf.dispose([z0, goal]);
});

test("runHierarchicalMpc reaches a far goal (open floor, 25 steps away)", () => {
  setSeed(2);
  const goalState = [0.7, -0.6];
  const goal = tf.tensor1d(goalState);
  const ep = runHierarchicalMpc({ ...levels, graph: openGraph, env: toyEnv([-0.8, 0.5], linearMove), encode: identity, lowStep: linearStep, goal, maxSteps: 60, success: (s) => dist(s, goalState) < 0.1 });
  assert.ok(ep.success, `final state ${ep.states.at(-1)}`);
  assert.ok(ep.steps <= 30, `steps ${ep.steps}`);
  assert.equal(ep.subgoals.length, Math.ceil(ep.steps / 3), "a subgoal every k = 3 steps");
  assert.ok(ep.highChecks > ep.subgoals.length, "the high level's predictor calls are counted");
  goal.dispose();
});

test("runHierarchicalMpc goes through the door to far goals behind the wall (5 seeded episodes); flat CEM does not", () => {
  setSeed(3);
  const r = rng("test:hierarchical");
  const before = tf.memory().numTensors;
  let wins = 0;
  let flatWins = 0;
  for (let e = 0; e < 5; e++) {
    const side = r() < 0.5 ? -1 : 1;
    const start = [-0.6 - 0.2 * r(), side * (0.5 + 0.3 * r())];
    const goalState = [0.6 + 0.2 * r(), side * (0.5 + 0.3 * r())];
    const goal = tf.tensor1d(goalState);
    const success = (s: number[]) => dist(s, goalState) < 0.1;
    const ep = runHierarchicalMpc({ ...levels, graph: wallGraph, env: toyEnv(start, wallMove), encode: identity, lowStep: wallStep, goal, maxSteps: 40, success });
    if (ep.success) wins++;
    // flat: the same CEM and horizon towards the goal itself, re-planned every step
    const env = toyEnv(start, wallMove);
    for (let t = 0; t < 40 && !success(env.state()); t++) {
      const z = tf.tensor2d([env.state()]);
      env.step(cem({ ...lowLevel, horizon: 3, step: wallStep, z0: z, goal, actionDim: 2 }).actions[0]);
      z.dispose();
    }
    if (success(env.state())) flatWins++;
    goal.dispose();
  }
  assert.equal(tf.memory().numTensors, before, "no leaks");
  assert.ok(wins >= 4, `hierarchical reached ${wins}/5`);
  assert.equal(flatWins, 0, "flat CEM with the same horizon is stuck at the wall");
});

test("hierarchical planners reject bad options with clear errors", () => {
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([1, 1]);
  const goal3 = tf.tensor1d([1, 1, 1]);
  const base = { ...levels, graph: openGraph, lowStep: linearStep, z0, goal };
  const before = tf.memory().numTensors;
  assert.throws(() => planHierarchical({ ...base, lowLevel: { horizon: 0 } }), /planHierarchical: opts.lowLevel.horizon must be an integer in \[1, Infinity\], received 0/);
  assert.throws(() => planHierarchical({ ...base, goal: goal3 }), /planHierarchical: goal must have shape \[2\]/);
  assert.throws(() => planHierarchical({ ...base, graph: undefined as never }), /planHierarchical: opts.graph must be built by landmarkGraph/);
  assert.throws(() => planHierarchical({ ...base, lowLevel: { samples: 4, elites: 8 } }), /cem: opts.elites must be at most opts.samples \(4\), received 8/);
  assert.throws(() => planHierarchical({ ...base, abstract: 3 as never }), /planHierarchical: opts.abstract must be a function/);
  assert.throws(
    () => runHierarchicalMpc({ ...levels, graph: openGraph, env: toyEnv([0, 0], linearMove), encode: identity, lowStep: linearStep, goal, replanEvery: 4 }),
    /runHierarchicalMpc: opts.replanEvery must be at most opts.k \(3\)/,
  );
  assert.equal(tf.memory().numTensors, before);
  tf.dispose([z0, goal, goal3]);
});

test("planningBudget: samples x iterations x horizon per executed action", () => {
  assert.equal(planningBudget({ samples: 32, iterations: 2, horizon: 10 }, 2), 320);
  assert.equal(planningBudget({ horizon: 4 }), 256 * 5 * 4, "CEM's defaults");
  assert.throws(() => planningBudget({ horizon: 0 }), /planningBudget: level.horizon must be an integer/);
  assert.throws(() => planningBudget(undefined as never), /planningBudget: level must be \{ horizon, samples\?, iterations\? \}, received undefined/);
});
