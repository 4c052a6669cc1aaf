import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  actionPredictor, charModel, conv2d, convEncoder, copyVariables, countParams, embedding, latentVariablePredictor,
  linear, mlp, pixelDecoder, setSeed, transitionJepa, updateEma, emaMomentum,
} from "../../../lib";

tf.setBackend("cpu");

test("mlp, convEncoder, predictors and decoder give the documented shapes", () => {
  setSeed(1);
  const enc = mlp([16, 8, 4]);
  const conv = convEncoder({ inputShape: [8, 8, 1], embedDim: 6, channels: [4, 8] });
  const pred = actionPredictor({ embedDim: 4, actionDim: 2, hidden: [8] });
  const lv = latentVariablePredictor({ embedDim: 4, zDim: 1, hidden: [8] });
  const dec = pixelDecoder({ inDim: 4, outShape: [4, 4, 1], hidden: [8] });
  tf.tidy(() => {
    assert.deepEqual(enc.apply(tf.ones([3, 4, 4, 1])).shape, [3, 4]);
    assert.deepEqual(conv.apply(tf.ones([3, 8, 8, 1])).shape, [3, 6]);
    assert.deepEqual(pred.apply(tf.ones([3, 4]), tf.ones([3, 2])).shape, [3, 4]);
    assert.deepEqual(lv.apply(tf.ones([3, 4]), tf.ones([3, 1])).shape, [3, 4]);
    const img = dec.apply(tf.ones([3, 4]));
    assert.deepEqual(img.shape, [3, 4, 4, 1]);
    assert.ok(img.min().dataSync()[0] >= 0 && img.max().dataSync()[0] <= 1);
  });
  assert.equal(countParams(enc.variables()), 16 * 8 + 8 + 8 * 4 + 4);
  [enc, conv, pred, lv, dec].forEach((m) => m.dispose());
});

test("same seed, same initial weights; another seed, other weights", () => {
  const weights = (seed: number) => { setSeed(seed); const m = linear(5, 3); const w = Array.from(m.variables()[0].dataSync()); m.dispose(); return w; };
  assert.deepEqual(weights(7), weights(7));
  assert.notDeepEqual(weights(7), weights(8));
});

test("bad inputs get errors that name the argument and shapes", () => {
  const enc = mlp([16, 4]);
  assert.throws(() => tf.tidy(() => enc.apply(tf.ones([2, 15]))), /mlp: x must have shape \[B, 16\].*received \[2, 15\]/);
  assert.throws(() => mlp([16]), /sizes must list at least/);
  assert.throws(() => mlp([16, 0]), /sizes\[1\]/);
  const pred = actionPredictor({ embedDim: 4, actionDim: 2 });
  assert.throws(() => tf.tidy(() => pred.apply(tf.ones([3, 4]), tf.ones([2, 2]))), /a must have shape \[B, 2\] with B=3/);
  assert.throws(() => convEncoder({ inputShape: [8, 8] as any }), /inputShape must be \[H, W, C\]/);
  const emb = embedding(10, 4);
  assert.throws(() => tf.tidy(() => emb.apply(tf.ones([2, 3]))), /ids must be an int32 tensor/);
  assert.throws(() => updateEma(enc.variables(), pred.variables(), 0.9), /target has 2 variables but online has 6/);
  assert.throws(() => updateEma(enc.variables(), enc.variables(), 1.5), /momentum must be a finite number in \[0, 1\]/);
  assert.throws(() => transitionJepa({ encoder: enc, predictor: pred as any, regularizer: "ema" }), /needs opts.targetEncoder/);
  [enc, pred, emb].forEach((m) => m.dispose());
});

test("updateEma moves the target towards the online weights by 1 - momentum", () => {
  const a = [tf.variable(tf.tensor1d([0, 0]))];
  const b = [tf.variable(tf.tensor1d([1, 2]))];
  updateEma(a, b, 0.9);
  assert.deepEqual(Array.from(a[0].dataSync()).map((x) => +x.toFixed(6)), [0.1, 0.2]);
  copyVariables(a, b);
  assert.deepEqual(Array.from(a[0].dataSync()), [1, 2]);
  assert.equal(emaMomentum(0, 11), 0.996);
  assert.equal(emaMomentum(10, 11), 1);
  [...a, ...b].forEach((v) => v.dispose());
});

test("charModel: loss near log(V) at init, generate returns ids in range and repeats under a seed", () => {
  setSeed(3);
  const m = charModel({ vocab: 12, context: 4, embedDim: 4, hidden: [16] });
  const loss = tf.tidy(() => m.forward({ x: tf.zeros([8, 4], "int32") as tf.Tensor2D, y: tf.ones([8], "int32") as tf.Tensor1D }).loss.dataSync()[0]);
  assert.ok(Math.abs(loss - Math.log(12)) < 2, `loss ${loss}`);
  setSeed(5);
  const g1 = m.generate([1, 2], 10);
  setSeed(5);
  const g2 = m.generate([1, 2], 10);
  assert.deepEqual(g1, g2);
  assert.ok(g1.every((i) => i >= 0 && i < 12));
  m.dispose();
});

test("transitionJepa: every regularizer gives a finite loss and parts; rollout shape", () => {
  for (const regularizer of ["none", "ema", "vicreg", "sigreg"] as const) {
    setSeed(2);
    const encoder = mlp([16, 8, 4]);
    const targetEncoder = regularizer === "ema" ? mlp([16, 8, 4]) : undefined;
    const m = transitionJepa({ encoder, targetEncoder, predictor: actionPredictor({ embedDim: 4, actionDim: 2, hidden: [8] }), regularizer });
    tf.tidy(() => {
      const r = m.forward({ obs: tf.randomNormal([6, 3, 16], 0, 1, "float32", 1), actions: tf.randomNormal([6, 2, 2], 0, 1, "float32", 2) as tf.Tensor3D });
      assert.ok(Number.isFinite(r.loss.dataSync()[0]), regularizer);
      assert.ok("predError" in r);
      assert.deepEqual(m.rollout(tf.zeros([2, 4]) as tf.Tensor2D, tf.zeros([2, 5, 2]) as tf.Tensor3D).shape, [2, 5, 4]);
    });
    assert.throws(() => tf.tidy(() => m.forward({ obs: tf.zeros([6, 3, 16]), actions: tf.zeros([6, 3, 2]) as tf.Tensor3D })), /batch.actions must have shape \[B=6, T=2, A\]/);
    m.afterStep?.(0);
    m.dispose();
  }
});

test("conv2d with stride 2 halves the grid", () => {
  const c = conv2d(1, 2, { stride: 2 });
  tf.tidy(() => assert.deepEqual(c.apply(tf.ones([1, 8, 8, 1])).shape, [1, 4, 4, 2]));
  c.dispose();
});

