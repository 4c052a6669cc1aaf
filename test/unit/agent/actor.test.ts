import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { act, agentCost, Critic, intrinsicCost, imaginedPain, withActions } from "../../../lib/agent";
import { rollout } from "../../../lib/models/rollout";
import { linearStep, wallStep } from "../plan/toy-worlds";
import { geodesicSteps } from "./toy-agent-world";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** A critic that knows the toy world's true cost-to-go (steps of 0.1 around the wall). */
const trueCritic: Critic = {
  name: "true-critic", embedDim: 2,
  value: (z, goal) => tf.tidy(() => {
    const zs = z.arraySync() as number[][];
    const g = goal.rank === 1 ? Array.from(goal.dataSync()) : null;
    const gs = g ? zs.map(() => g) : (goal.arraySync() as number[][]);
    return tf.tensor1d(zs.map((s, i) => geodesicSteps(s, gs[i])));
  }),
  forward: () => { throw new Error("not trainable"); },
  variables: () => [],
  dispose: () => {},
};

test("withActions carries each action with the latent it leads to; agentCost = intrinsic + w · V(last latent)", () => {
  const z0 = tf.tensor2d([[-0.25, 0.5]]);
  const actions = tf.tensor3d([[[0.1, 0], [0.1, 0], [0.1, 0]], [[0, -0.1], [0.05, -0.1], [0.1, 0]]]); // [2, 3, 2]
  const x0 = tf.concat([z0, tf.zeros([1, 2])], 1) as tf.Tensor2D;
  const traj = rollout(withActions(wallStep, 2), x0, actions); // [2, 3, 4]
  const plain = rollout(wallStep, z0, actions); // [2, 3, 2]
  assert.deepEqual(traj.slice([0, 0, 0], [-1, -1, 2]).arraySync(), plain.arraySync());
  assert.deepEqual(traj.slice([0, 0, 2], [-1, -1, 2]).arraySync(), actions.arraySync());
  const goal = tf.tensor1d([0.3, 0.5]);
  const weights = { goalDistance: 0.5, effort: 2, pain: 3, critic: 0.25 };
  const cost = agentCost({ z0, weights, latentSpeed: 1, critic: trueCritic });
  const got = cost(traj as tf.Tensor3D, tf.tensor1d([0.3, 0.5, 0, 0]));
  const pain = imaginedPain(z0, plain, actions, 1);
  const ic = intrinsicCost(plain, actions, pain, goal, weights);
  const last = plain.slice([0, 2, 0], [-1, 1, -1]).reshape([2, 2]) as tf.Tensor2D;
  const want = tf.add(ic.cost, tf.mul(trueCritic.value(last, goal), 0.25));
  Array.from(got.dataSync()).forEach((v, i) => assert.ok(Math.abs(v - want.dataSync()[i]) < 1e-5, `plan ${i}: ${v} vs ${want.dataSync()[i]}`));
  assert.deepEqual(Array.from(pain.dataSync()), [0, 0, 1, 0, 0, 0], "plan 0 bumps into the wall at its third step");
  assert.throws(() => agentCost({ z0, weights: { critic: 1 } }), /agentCost: opts.critic \(a Critic\) is required/);
  assert.throws(() => agentCost({ z0, weights: { pain: 1 } }), /agentCost: opts.latentSpeed/);
  tf.dispose([z0, actions, x0, traj, plain, goal, got, pain, ic.cost, ic.goalDistance, ic.effort, ic.pain, last, want]);
});

test("act: the plan heads for the goal in the open; with a critic that knows the wall it heads for the door, without it for the wall", () => {
  const plannerOptions = { actionDim: 2, low: -0.1, high: 0.1, samples: 128, elites: 12, iterations: 4, initStd: 0.1 };
  setSeed(3);
  const z0 = tf.tensor2d([[-0.5, -0.1]]), open = tf.tensor1d([0.5, -0.1]);
  const before = tf.memory().numTensors;
  const free = act({ step: linearStep, z0, goal: open, horizon: 5, plannerOptions });
  assert.equal(tf.memory().numTensors, before, "act leaks nothing");
  const end = free.actions.reduce((s, a) => [s[0] + a[0], s[1] + a[1]], [-0.5, -0.1]);
  assert.ok(end[0] > -0.15, `5 steps towards the goal: ended at ${end}`);
  // Start high behind the wall, goal high on the other side: the straight line hits the wall, the door is at y = 0.
  const z1 = tf.tensor2d([[-0.25, 0.7]]), goal = tf.tensor1d([0.35, 0.7]);
  const heads = (weights: Record<string, number>) => {
    setSeed(4);
    const plan = act({ step: wallStep, z0: z1, goal, horizon: 5, weights, critic: trueCritic, latentSpeed: 1, plannerOptions });
    return plan.actions.reduce((s, a) => wallStepJs(s, a), [-0.25, 0.7]);
  };
  const blind = heads({ goalDistance: 1 });
  const seeing = heads({ goalDistance: 0.1, critic: 1 });
  assert.ok(blind[1] > 0.5, `intrinsic cost alone stays high, by the wall: ${blind}`);
  assert.ok(seeing[1] < blind[1] - 0.2 && seeing[1] < 0.5, `with the critic it goes down towards the door: ${seeing} (alone: ${blind})`);
  assert.throws(() => act({ step: linearStep, z0, goal: open, horizon: 5, planner: "sgd" as "cem", plannerOptions }), /act: opts.planner must be "cem" or "mppi"/);
  tf.dispose([z0, open, z1, goal]);
});

function wallStepJs(s: number[], a: number[]): number[] {
  return tf.tidy(() => Array.from(wallStep(tf.tensor2d([s]), tf.tensor2d([a])).dataSync()));
}
