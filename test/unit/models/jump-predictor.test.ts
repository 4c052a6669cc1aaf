import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { jumpPredictor, jumpTransitions, takeJumpBatch, train, setSeed } from "../../../lib";

tf.setBackend("cpu");

test("jumpTransitions pairs z_t with z_{t+k} and the sum of the k actions between them", () => {
  const latents = tf.tensor3d([[[0, 0], [1, 10], [3, 30], [6, 60]]]); // [N=1, T+1=4, D=2]
  const actions = tf.tensor3d([[[1, 0], [2, 0], [3, 0]]]); // [1, T=3, A=2]
  const j = jumpTransitions(latents, actions, 2);
  assert.deepEqual(j.z.arraySync(), [[0, 0], [1, 10]]);
  assert.deepEqual(j.zNext.arraySync(), [[[3, 30]], [[6, 60]]]);
  assert.deepEqual(j.macro.arraySync(), [[[3, 0]], [[5, 0]]]);
  const b = takeJumpBatch(j, [1, 1, 0]);
  assert.deepEqual(b.macro.arraySync(), [[[5, 0]], [[5, 0]], [[3, 0]]]);
  const chain = jumpTransitions(latents, actions, 1, 3); // one window: 3 chained 1-step jumps from t = 0
  assert.deepEqual(chain.z.arraySync(), [[0, 0]]);
  assert.deepEqual(chain.macro.arraySync(), [[[1, 0], [2, 0], [3, 0]]]);
  assert.deepEqual(chain.zNext.arraySync(), [[[1, 10], [3, 30], [6, 60]]]);
  tf.dispose([latents, actions, j.z, j.macro, j.zNext, b.z, b.macro, b.zNext, chain.z, chain.macro, chain.zNext]);
});

test("jumpPredictor learns a k-step jump of a linear world (z_{t+k} = z_t + sum of actions) without leaking", async () => {
  setSeed(3);
  const N = 64, T = 6, k = 3;
  const acts = tf.randomUniform([N, T, 2], -0.1, 0.1, "float32", 5) as tf.Tensor3D;
  const start = tf.randomUniform([N, 1, 2], -1, 1, "float32", 6);
  const lat = tf.tidy(() => tf.concat([start, tf.add(start, tf.cumsum(acts, 1))], 1)) as tf.Tensor3D; // [N, T+1, 2]
  const data = jumpTransitions(lat, acts, k, 2); // two chained jumps per example
  const model = jumpPredictor({ embedDim: 2, jump: k, hidden: [32] });
  assert.equal(model.jump, 3);
  const M = data.z.shape[0];
  const loss0 = tf.tidy(() => model.forward(data).loss.dataSync()[0]);
  const before = tf.memory().numTensors;
  const res = await train(model, { steps: 300, lr: 3e-3, progress: false, chart: false, batch: (s) => takeJumpBatch(data, Array.from({ length: 32 }, (_, i) => (s * 32 + i) % M)) });
  assert.equal(tf.memory().numTensors, before);
  const loss1 = tf.tidy(() => model.forward(data).loss.dataSync()[0]);
  assert.ok(loss1 < loss0 / 10, `loss ${loss0} -> ${loss1}`);
  const p = tf.tidy(() => model.predict(tf.tensor2d([[0, 0]]), tf.tensor2d([[0.2, -0.1]])).arraySync()[0]);
  assert.ok(Math.abs(p[0] - 0.2) < 0.05 && Math.abs(p[1] + 0.1) < 0.05, `predicted ${p}`);
  assert.equal(res.status, "done");
  model.dispose();
  tf.dispose([acts, start, lat, data.z, data.macro, data.zNext]);
});

test("bad inputs get errors that name the function, the argument and the shapes", () => {
  assert.throws(() => jumpPredictor({ embedDim: 0 }), /jumpPredictor: opts.embedDim must be an integer in \[1/);
  assert.throws(() => jumpPredictor({ embedDim: 4, jump: 0 }), /jumpPredictor: opts.jump/);
  assert.throws(() => jumpPredictor({ embedDim: 4, hidden: 8 as never }), /jumpPredictor: opts.hidden must be an array of layer sizes/);
  const lat = tf.zeros([2, 5, 4]) as tf.Tensor3D;
  assert.throws(() => jumpTransitions(lat, tf.zeros([2, 3, 2]) as tf.Tensor3D, 2), /jumpTransitions: actions must have shape \[N, T, A\] with T = .* 4/);
  assert.throws(() => jumpTransitions(lat, tf.zeros([2, 4, 2]) as tf.Tensor3D, 5), /jumpTransitions: k must be an integer in \[1, 4\]/);
  assert.throws(() => jumpTransitions(lat, tf.zeros([2, 4, 2]) as tf.Tensor3D, 2, 3), /jumpTransitions: jumps must be an integer in \[1, 2\]/);
  const m = jumpPredictor({ embedDim: 4, hidden: [8] });
  assert.throws(() => m.forward({ z: tf.zeros([3, 4]), macro: tf.zeros([2, 1, 2]), zNext: tf.zeros([3, 1, 4]) } as any), /jumpPredictor.forward: batch.macro must have shape \[B, J, 2\] with B=3/);
  m.dispose();
  lat.dispose();
});

test("fourier features let the predictor draw a wall: a 1-D world with a wall at x = 0.5", async () => {
  setSeed(6);
  // x in [0, 1], a wall at 0.5 (x < 0.5 stays below it); the jump adds the macro, stopped at the wall
  const N = 2048;
  const x0 = tf.randomUniform([N, 1], 0, 1, "float32", 11);
  const m = tf.randomUniform([N, 1, 1], -0.2, 0.2, "float32", 12) as tf.Tensor3D;
  const x1 = tf.tidy(() => {
    const moved = tf.add(x0, m.reshape([N, 1]));
    const left = tf.less(x0, 0.5);
    return tf.where(left, tf.minimum(moved, 0.5), tf.maximum(moved, 0.5)).reshape([N, 1, 1]);
  }) as tf.Tensor3D;
  const data = { z: x0 as tf.Tensor2D, macro: m, zNext: x1 };
  const errorAtWall = async (fourier: number) => {
    const model = jumpPredictor({ embedDim: 1, actionDim: 1, hidden: [32, 32], fourier, macroScale: 5 });
    await train(model, { steps: 400, lr: 3e-3, progress: false, chart: false, batch: (s) => takeJumpBatch(data, Array.from({ length: 128 }, (_, i) => (s * 128 + i) % N)) });
    // start just left of the wall, push right: must stop at 0.5
    const p = tf.tidy(() => model.predict(tf.tensor2d([[0.47], [0.45]]), tf.tensor2d([[0.2], [0.2]])).dataSync());
    model.dispose();
    return Math.max(Math.abs(p[0] - 0.5), Math.abs(p[1] - 0.5));
  };
  const plain = await errorAtWall(0);
  const withFourier = await errorAtWall(4);
  assert.ok(withFourier < plain, `fourier ${withFourier} vs plain ${plain}`);
  assert.ok(withFourier < 0.05, `stops at the wall: error ${withFourier}`);
  tf.dispose([x0, m, x1]);
});

test("maxMacroNorm: a longer macro action is predicted like its scaled-down version", () => {
  const model = jumpPredictor({ embedDim: 3, hidden: [8], maxMacroNorm: 0.5 });
  const [a, b] = tf.tidy(() => {
    const z = tf.tensor2d([[0.1, 0.2, 0.3]]);
    return [model.predict(z, tf.tensor2d([[3, 4]])), model.predict(z, tf.tensor2d([[0.3, 0.4]]))].map((t) => Array.from(t.dataSync()));
  });
  a.forEach((v, i) => assert.ok(Math.abs(v - b[i]) < 1e-6, `${a} vs ${b}`));
  model.dispose();
});
