import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { costLandscape, randomPolicy, runMpc, worldEnv } from "../../../lib/plan";
import { linearStep, wallStep } from "./toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("costLandscape: minimum at the action that lands on the goal; the wall shows as a plateau", () => {
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([0.4, -0.2]);
  const grid = [-0.4, -0.2, 0, 0.2, 0.4];
  const before = tf.memory().numTensors;
  const l = costLandscape({ step: linearStep, z0, goal, grid });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(l.x, grid);
  assert.equal(l.z.length, 5);
  assert.equal(l.z[0].length, 5);
  assert.ok(Math.abs(l.z[1][4]) < 1e-6, "row y = -0.2, column x = 0.4 hits the goal");
  assert.ok(Math.abs(l.z[2][2] - 0.2) < 1e-6, "no action: ||goal||^2 = 0.2");
  const two = costLandscape({ step: linearStep, z0, goal, grid, horizon: 2 });
  assert.ok(Math.abs(two.z[2][3] - 0.12) < 1e-6, "x = 0.2 held twice: (0.2^2 + 0.2^2) + (0^2 + 0.2^2)");
  const z1 = tf.tensor1d([-0.1, 0.5]);
  const g1 = tf.tensor1d([0.3, 0.5]);
  const wall = costLandscape({ step: wallStep, z0: z1, goal: g1, grid });
  assert.ok(Math.abs(wall.z[2][4] - wall.z[2][2]) < 1e-6, "crossing the wall outside the door = not moving");
  assert.throws(() => costLandscape({ step: linearStep, z0, goal, grid: [] }), /costLandscape: opts.grid must be a non-empty number\[\]/);
  tf.dispose([z0, goal, z1, g1]);
});

test("worldEnv adapts a batch world (step + render) to an Env that runMpc drives", () => {
  const calls: number[][][] = [];
  const world = {
    step: (s: number[][], a: number[][]) => {
      calls.push(a);
      return s.map((row, i) => row.map((v, j) => v + a[i][j]));
    },
    render: (s: number[][]) => tf.tidy(() => tf.tensor2d(s).reshape([s.length, 1, 2, 1]) as tf.Tensor4D),
  };
  const env = worldEnv(world, [0, 0]);
  const obs = env.observe();
  assert.deepEqual(obs.shape, [1, 1, 2, 1]);
  obs.dispose();
  env.step([0.1, 0.2]);
  assert.deepEqual(env.state(), [0.1, 0.2]);
  env.reset();
  assert.deepEqual(env.state(), [0, 0]);
  const goal = tf.tensor1d([0.3, 0.3]);
  const before = tf.memory().numTensors;
  setSeed(1);
  const ep = runMpc({
    env, encode: (o) => o.reshape([1, 2]) as tf.Tensor2D, step: linearStep, goal, maxSteps: 3,
    plannerOptions: { horizon: 3, actionDim: 2, low: -0.2, high: 0.2, samples: 32, elites: 4, iterations: 2 },
  });
  assert.equal(tf.memory().numTensors, before, "observations and latents disposed");
  assert.equal(ep.steps, 3);
  assert.deepEqual(calls.slice(1), ep.actions.map((a) => [a]));
  assert.throws(() => worldEnv({} as never, [0, 0]), /worldEnv: world must have step\(states, actions\) and render\(states\) methods/);
  assert.throws(() => worldEnv(world, []), /worldEnv: start must be a non-empty array of finite numbers/);
  goal.dispose();
});

test("randomPolicy: seeded, within [-maxStep, maxStep]", () => {
  setSeed(9);
  const a = randomPolicy(3, 0.5);
  const xs = Array.from({ length: 50 }, () => a([0]));
  xs.flat().forEach((v) => assert.ok(Math.abs(v) <= 0.5));
  assert.equal(new Set(xs.flat()).size, 150);
  setSeed(9);
  const b = randomPolicy(3, 0.5);
  assert.deepEqual(Array.from({ length: 50 }, () => b([0])), xs);
  assert.throws(() => randomPolicy(0, 1), /randomPolicy: actionDim must be an integer in \[1, Infinity\], received 0/);
});
