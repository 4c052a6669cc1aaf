import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { imaginedPain, intrinsicCost, measureLatentSpeed } from "../../../lib/agent";
import { TwoRooms } from "../../../lib/data";
import { setSeed } from "../../../lib/random";
import { rollout } from "../../../lib/models/rollout";
import { wallStep } from "../plan/toy-worlds";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("intrinsicCost: each term by hand, the weights, no leaks", () => {
  const latents = tf.tensor3d([[[1, 0], [2, 0]], [[0, 1], [0, 0]]]); // [N=2, H=2, D=2]
  const actions = tf.tensor3d([[[0.1, 0], [0.2, 0]], [[0, 0.3], [0, 0]]]); // [2, 2, A=2]
  const pain = tf.tensor2d([[0, 1], [1, 1]]);
  const goal = tf.tensor1d([1, 1]);
  const before = tf.memory().numTensors;
  const r = intrinsicCost(latents, actions, pain, goal, { goalDistance: 2, effort: 10, pain: 3 });
  // goal distance: (0 + 1) + (1 + 1) = 3; (1 + 0) + (1 + 1) = 3. effort: 0.01 + 0.04 = 0.05; 0.09. pain: 1; 2.
  assert.deepEqual(Array.from(r.goalDistance.dataSync()), [3, 3]);
  r.effort.dataSync().forEach((v, i) => assert.ok(Math.abs(v - [0.05, 0.09][i]) < 1e-6));
  assert.deepEqual(Array.from(r.pain.dataSync()), [1, 2]);
  r.cost.dataSync().forEach((v, i) => assert.ok(Math.abs(v - [2 * 3 + 10 * 0.05 + 3, 2 * 3 + 10 * 0.09 + 6][i]) < 1e-5, `cost ${i}: ${v}`));
  const plain = intrinsicCost(latents, actions, pain, goal);
  assert.deepEqual(Array.from(plain.cost.dataSync()), [3, 3], "defaults: goal distance only");
  tf.dispose([r.cost, r.goalDistance, r.effort, r.pain, plain.cost, plain.goalDistance, plain.effort, plain.pain]);
  assert.equal(tf.memory().numTensors, before);
  assert.throws(() => intrinsicCost(latents, actions, pain, goal, { effort: -1 }), /intrinsicCost: weights.effort/);
  assert.throws(() => intrinsicCost(latents, actions, tf.zeros([2, 3]) as tf.Tensor2D, goal), /intrinsicCost: pain must have shape/);
  tf.dispose([latents, actions, pain, goal]);
});

test("imaginedPain: 1 where the world model says the move was stopped (toy wall), 0 for free moves and no move", () => {
  // from (-0.1, 0.5): right into the wall (blocked), then up (free); from (-0.1, 0): right through the door; standing still.
  const z0 = tf.tensor2d([[-0.1, 0.5], [-0.1, 0], [0.3, 0.3]]);
  const actions = tf.tensor3d([[[0.2, 0], [0, 0.1]], [[0.2, 0], [0, 0.1]], [[0, 0], [0, 0]]]);
  const latents = rollout(wallStep, z0, actions); // [3, 2, 2]
  const pain = imaginedPain(z0, latents, actions, 1);
  assert.deepEqual(pain.arraySync(), [[1, 0], [0, 0], [0, 0]]);
  const shared = imaginedPain(z0.slice([0, 0], [1, 2]) as tf.Tensor2D, latents.slice([0, 0, 0], [1, -1, -1]) as tf.Tensor3D, actions.slice([0, 0, 0], [1, -1, -1]) as tf.Tensor3D, 1);
  assert.deepEqual(shared.arraySync(), [[1, 0]]);
  assert.throws(() => imaginedPain(z0, latents, actions, 0), /imaginedPain: latentSpeed/);
  tf.dispose([z0, actions, latents, pain, shared]);
});

test("measureLatentSpeed: the median latent distance per unit of a free move (an encoder that scales positions by 7 gives 7)", () => {
  const world = new TwoRooms();
  setSeed(4);
  const states = world.randomStates(50);
  // TwoRooms' dynamics and touch sensor, but render() returns the states scaled by 7 and the encoder
  // is the identity: every free move covers 7 latent units per unit of action.
  const stub = { ...world, randomStates: (n: number) => states.slice(0, n), step: world.step.bind(world),
    blocked: world.blocked.bind(world), render: (s: number[][]) => tf.tensor2d(s.map((p) => [7 * p[0], 7 * p[1]])) };
  const speed = measureLatentSpeed((obs) => tf.clone(obs) as tf.Tensor2D, stub, { length: 0.05, moves: 50 });
  assert.ok(Math.abs(speed - 7) < 1e-4, `speed ${speed}`);
  assert.throws(() => measureLatentSpeed((obs) => obs as tf.Tensor2D, stub, { length: 0 }), /measureLatentSpeed: opts.length/);
});
