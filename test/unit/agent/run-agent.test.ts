import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { TwoRooms } from "../../../lib/data";
import { AgentConfig, ConfiguratorDecision, critic, runAgent, ShortTermMemory, touchEnv } from "../../../lib/agent";
import { wallStep } from "../plan/toy-worlds";
import { toyTouchEnv } from "./toy-agent-world";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const identity = (obs: tf.Tensor) => tf.clone(obs) as tf.Tensor2D;
const fixed = (config: AgentConfig) => (): ConfiguratorDecision => ({ config, otherSide: true, startX: 0, goalX: 0, reason: "fixed" });
const plannerOptions = { actionDim: 2, low: -0.1, high: 0.1, samples: 32, elites: 6, iterations: 2, initStd: 0.1 };

test("runAgent: no tensor leaks over a 100-step episode with every module on (critic, pain, effort); memory holds its triples", () => {
  setSeed(7);
  const V = critic({ embedDim: 2, hidden: [16] });
  const goalObs = tf.tensor2d([[0.6, 0.6]]);
  const memory = new ShortTermMemory({ capacity: 500 });
  const config: AgentConfig = { horizon: 4, planner: "mppi", weights: { goalDistance: 1, effort: 1, pain: 1, critic: 0.5 } };
  const run = () => runAgent({ env: toyTouchEnv([-0.6, 0.6]), goalObservation: goalObs, perceive: identity, step: wallStep, configure: fixed(config),
    critic: V, memory, latentSpeed: 1, plannerOptions, maxSteps: 100, replanEvery: 2 }); // no success test: all 100 steps
  run(); // warm up (kernels and the like)
  const before = tf.memory().numTensors;
  const ep = run();
  assert.equal(tf.memory().numTensors, before, "no tensors leak over 100 steps");
  assert.equal(ep.steps, 100);
  assert.equal(ep.costs.length, 100);
  const mine = memory.episodes().at(-1)!;
  assert.equal(mine.steps, 100);
  assert.equal(mine.reached, false);
  assert.deepEqual(mine.triples.map((t) => t.action), ep.actions);
  assert.deepEqual(mine.triples.map((t) => t.latent), ep.states.slice(0, -1).map((s) => Array.from(Float32Array.from(s))));
  assert.deepEqual(mine.final, Array.from(Float32Array.from(ep.states[100])));
  assert.ok(ep.planMs > 0);
  tf.dispose(goalObs);
  V.dispose();
});

test("runAgent: felt cost = weighted goal distance + effort + pain from the touch sensor; success stops; same seed, same episode", () => {
  const goalObs = tf.tensor2d([[-0.1, 0.1]]);
  const config: AgentConfig = { horizon: 3, planner: "cem", weights: { goalDistance: 2, effort: 10, pain: 5 } };
  const go = () => {
    setSeed(5);
    return runAgent({ env: toyTouchEnv([-0.6, 0.6]), goalObservation: goalObs, perceive: identity, step: wallStep, configure: fixed(config),
      latentSpeed: 1, plannerOptions, maxSteps: 30, success: (s) => Math.hypot(s[0] + 0.1, s[1] - 0.1) < 0.1 });
  };
  const ep = go();
  assert.ok(ep.success && ep.steps < 30, `reached in ${ep.steps} steps`);
  assert.deepEqual(go().actions, ep.actions, "same seed, same actions");
  ep.costs.forEach((c, t) => {
    const s = ep.states[t].map((v) => Math.fround(v));
    const a = ep.actions[t];
    const want = 2 * ((s[0] + 0.1) ** 2 + (s[1] - 0.1) ** 2) + 10 * (a[0] ** 2 + a[1] ** 2);
    assert.ok(Math.abs(c - want) < 1e-5, `step ${t}: felt ${c}, want ${want} (no bumps in the open)`);
  });
  // Pain: pushing into the wall is felt through the touch sensor.
  const wall = toyTouchEnv([-0.05, 0.5]);
  const intoWall = runAgent({ env: wall, goalObservation: tf.tensor2d([[0.5, 0.5]]), perceive: identity, step: (z, a) => tf.add(z, a) as tf.Tensor2D,
    configure: fixed({ horizon: 2, planner: "cem", weights: { goalDistance: 1, pain: 7 } }), latentSpeed: 1, plannerOptions, maxSteps: 3 });
  assert.ok(intoWall.bumps >= 1, `a world model that ignores the wall walks into it: ${intoWall.bumps} bumps`);
  const distances = intoWall.states.slice(0, -1).reduce((sum, st) => sum + (st[0] - 0.5) ** 2 + (st[1] - 0.5) ** 2, 0);
  const felt = intoWall.costs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(felt - distances - 7 * intoWall.bumps) < 1e-4, `felt ${felt} = distances ${distances} + 7 x ${intoWall.bumps} bumps`);
  tf.dispose(goalObs);
});

test("runAgent asks the configurator before every plan (reconfigure), or once; the felt cost follows the set-up in force", () => {
  const goalObs = tf.tensor2d([[0.5, 0]]);
  const far: AgentConfig = { horizon: 4, planner: "cem", weights: { goalDistance: 1 } };
  const close: AgentConfig = { horizon: 2, planner: "cem", weights: { goalDistance: 3 } };
  const seen: number[] = [];
  const bySide = (obs: tf.Tensor) => {                     // the toy world's observation is the state
    const x = obs.dataSync()[0];
    seen.push(x);
    const other = x < 0;
    return { config: other ? far : close, otherSide: other, startX: x, goalX: 0.5, reason: other ? "other side" : "same side" };
  };
  const go = (reconfigure: boolean) => {
    setSeed(9);
    seen.length = 0;
    return runAgent({ env: toyTouchEnv([-0.3, 0]), goalObservation: goalObs, perceive: identity, step: wallStep, configure: bySide,
      plannerOptions, maxSteps: 12, replanEvery: 2, reconfigure, success: (s) => Math.hypot(s[0] - 0.5, s[1]) < 0.1 });
  };
  const ep = go(true);
  assert.ok(ep.success, `reached: ${ep.states.at(-1)}`);
  assert.equal(ep.decisions.length, Math.ceil(ep.steps / 2), "one decision per plan");
  assert.deepEqual(ep.decisions.map((d) => d.otherSide), seen.map((x) => x < 0));
  const switched = ep.decisions.findIndex((d) => !d.otherSide);
  assert.ok(switched > 0, "the set-up changed once the agent crossed x = 0");
  const t = 2 * switched; // the first step planned with `close`
  const s = ep.states[t].map((v) => Math.fround(v));
  assert.ok(Math.abs(ep.costs[t] - 3 * ((s[0] - 0.5) ** 2 + s[1] ** 2)) < 1e-5, "felt with the weights in force");
  const once = go(false);
  assert.equal(once.decisions.length, 1);
  assert.equal(once.decisions[0].otherSide, true);
  goalObs.dispose();
});

test("touchEnv: TwoRooms' touch sensor through the Env; runAgent's argument errors", () => {
  const world = new TwoRooms();
  const env = touchEnv(world, [0.45, 0.2]);
  assert.equal(env.blocked(), false);
  env.step([0.08, 0]);
  assert.equal(env.blocked(), true);
  assert.deepEqual(env.state(), [world.wallLeft, 0.2]);
  env.step([0, 0.05]);
  assert.equal(env.blocked(), false, "sliding along the wall is free");
  env.reset();
  assert.deepEqual(env.state(), [0.45, 0.2]);
  assert.throws(() => touchEnv({ step: world.step.bind(world), render: world.render.bind(world) } as never, [0, 0]), /touchEnv: world must have a blocked/);
  const goalObs = tf.tensor2d([[0, 0]]);
  assert.throws(() => runAgent({ env: { state: () => [0], observe: () => tf.zeros([1, 1]), step: () => {} } as never, goalObservation: goalObs, perceive: identity,
    step: wallStep, configure: fixed({ horizon: 2, planner: "cem", weights: {} }), plannerOptions }), /runAgent: opts.env must have a blocked\(\) touch sensor/);
  goalObs.dispose();
});
