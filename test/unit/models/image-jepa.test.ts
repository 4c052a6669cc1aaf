import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { imageJepa, MaskedImageBatch } from "../../../lib/models/image-jepa";
import { patchEmbed } from "../../../lib/models/patch-embed";
import { nextSeed, setSeed } from "../../../lib/random";
import { train } from "../../../lib/train/train";

tf.setBackend("cpu");
const quiet = { progress: false, chart: false } as const;
const small = { grid: 4, patchDim: 4, embedDim: 8 };

/** A batch of random patches with a fixed context (left half) and target (right column). */
function batchOf(B = 6, G = 4, P = 4): MaskedImageBatch {
  const col = (j: number) => Array.from({ length: G }, (_, i) => Array.from({ length: G }, (_, k) => (j === -1 ? (k < G / 2 ? 1 : 0) : k === j ? 1 : 0)));
  return {
    patches: tf.randomUniform([B, G, G, P], 0, 1, "float32", nextSeed("data")),
    context: tf.tensor3d(Array.from({ length: B }, () => col(-1))),
    target: tf.tensor3d(Array.from({ length: B }, () => col(G - 1))),
  };
}

test("patchEmbed: [B, G, G, P] -> [B, G, G, D], positions [G, G, D], clear errors", () => {
  setSeed(1);
  const e = patchEmbed({ grid: 7, patchDim: 16, embedDim: 12 });
  tf.tidy(() => assert.deepEqual(e.apply(tf.ones([3, 7, 7, 16])).shape, [3, 7, 7, 12]));
  assert.deepEqual(e.positions!.shape, [7, 7, 12]);
  assert.equal(e.variables().length, 3);
  assert.throws(() => tf.tidy(() => e.apply(tf.ones([3, 7, 7, 15]))), /patchEmbed: patches must have shape \[B, 7, 7, 16\], received \[3, 7, 7, 15\]/);
  assert.throws(() => patchEmbed({ grid: 0, patchDim: 16 }), /patchEmbed: opts.grid must be an integer/);
  const noPos = patchEmbed({ grid: 2, patchDim: 4, embedDim: 3, positional: false });
  assert.equal(noPos.positions, null);
  tf.tidy(() => assert.deepEqual(noPos.apply(tf.zeros([1, 2, 2, 4])).arraySync(), [[[[0, 0, 0], [0, 0, 0]], [[0, 0, 0], [0, 0, 0]]]]));
  [e, noPos].forEach((m) => m.dispose());
});

test("imageJepa: shapes of encode, features, predict; finite loss and parts", () => {
  setSeed(2);
  const m = imageJepa(small);
  const b = batchOf();
  tf.tidy(() => {
    assert.deepEqual(m.encode(b.patches).shape, [6, 4, 4, 8]);
    assert.deepEqual(m.encode(b.patches, "context").shape, [6, 4, 4, 8]);
    const { prediction, target } = m.predict(b);
    assert.deepEqual(prediction.shape, [6, 4, 4, 8]);
    assert.deepEqual(target.shape, [6, 4, 4, 8]);
    const r = m.forward(b);
    assert.ok(Number.isFinite(r.loss.dataSync()[0]));
    assert.equal(r.visible.dataSync()[0], 0.5);
    assert.ok(Number.isFinite(r.targetStd.dataSync()[0]));
  });
  const f = m.features(b.patches, { chunk: 4 });
  assert.deepEqual(f.shape, [6, 8]);
  const direct = tf.tidy(() => m.encode(b.patches).mean([1, 2]));
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(f, direct))).dataSync()[0]) < 1e-5, "chunked features equal one pass");
  const fn = m.features(b.patches, { normalize: true, encoder: "context" });
  const directN = tf.tidy(() => {
    const h = m.encode(b.patches, "context");
    const { mean, variance } = tf.moments(h, -1, true);
    return tf.div(tf.sub(h, mean), tf.sqrt(tf.add(variance, 1e-5))).mean([1, 2]);
  });
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(fn, directN))).dataSync()[0]) < 1e-5, "normalize: layer norm per patch, then the mean");
  tf.dispose([f, direct, fn, directN, b.patches, b.context, b.target]);
  m.dispose();
});

test("the context encoder sees nothing outside the context: changing hidden patches leaves the prediction unchanged", () => {
  setSeed(3);
  const m = imageJepa(small);
  const b = batchOf(2);
  tf.tidy(() => {
    const keep = b.context.expandDims(3);
    const other = tf.add(tf.mul(b.patches, keep), tf.mul(tf.randomUniform(b.patches.shape, 0, 5, "float32", 9), tf.sub(1, keep)));
    const p1 = m.predict(b).prediction;
    const p2 = m.predict({ ...b, patches: other }).prediction;
    assert.ok(tf.max(tf.abs(tf.sub(p1, p2))).dataSync()[0] < 1e-6, "prediction depends only on context patches");
    // ...but the target encoder sees the full image, so the targets do change
    assert.ok(tf.max(tf.abs(tf.sub(m.predict(b).target, m.predict({ ...b, patches: other }).target))).dataSync()[0] > 1e-3);
  });
  tf.dispose([b.patches, b.context, b.target]);
  m.dispose();
});

test("no gradient reaches the target encoder; afterStep moves it by the EMA rule; normalised targets", () => {
  setSeed(4);
  const m = imageJepa({ ...small, momentum: 0.9 });
  const names = new Set(m.variables().map((v) => v.name));
  assert.ok(m.targetEncoder.variables().every((v) => !names.has(v.name)));
  assert.equal(m.stateVariables!().length, m.variables().length + m.targetEncoder.variables().length);
  const same = m.targetEncoder.variables().every((t, i) => tf.tidy(() => tf.max(tf.abs(tf.sub(t, m.encoder.variables()[i]))).dataSync()[0]) === 0);
  assert.ok(same, "target starts as a copy");
  const online = m.encoder.variables()[0];
  const before = tf.clone(m.targetEncoder.variables()[0]);
  online.assign(tf.add(online, 1));
  m.afterStep!(0);
  const moved = tf.tidy(() => tf.mean(tf.sub(m.targetEncoder.variables()[0], before)).dataSync()[0]);
  assert.ok(Math.abs(moved - 0.1) < 1e-5, `target moved ${moved}, expected 0.1`);
  const b = batchOf(3);
  tf.tidy(() => {
    const t = m.predict(b).target;
    const { mean, variance } = tf.moments(t, -1);
    assert.ok(tf.max(tf.abs(mean)).dataSync()[0] < 1e-4);
    assert.ok(tf.max(tf.abs(tf.sub(variance, 1))).dataSync()[0] < 1e-2);
  });
  tf.dispose([before, b.patches, b.context, b.target]);
  m.dispose();
});

test("momentum schedule: with opts.steps the EMA momentum rises to momentumEnd (the last step copies nothing)", () => {
  setSeed(5);
  const m = imageJepa({ ...small, momentum: 0.5, momentumEnd: 1, steps: 3 });
  const t = m.targetEncoder.variables()[0];
  const before = tf.clone(t);
  m.encoder.variables()[0].assign(tf.add(m.encoder.variables()[0], 1));
  m.afterStep!(2); // momentum 1 at the last step
  assert.equal(tf.tidy(() => tf.max(tf.abs(tf.sub(t, before))).dataSync()[0]), 0);
  before.dispose();
  m.dispose();
});

test("leak test: 50 training steps keep tf.memory().numTensors flat and lower the loss", async () => {
  setSeed(6);
  const m = imageJepa(small);
  const fixed = batchOf(4);
  const batch = () => ({ patches: fixed.patches.clone(), context: fixed.context.clone(), target: fixed.target.clone() });
  await train(m, { steps: 3, batch, ...quiet });
  const before = tf.memory().numTensors;
  const r = await train(m, { steps: 50, batch, lr: 3e-3, ...quiet, logEvery: 10 });
  assert.equal(tf.memory().numTensors, before, "no tensor leaks over 50 steps");
  assert.ok((r.last.loss as number) < (r.history[0].loss as number), `loss ${r.history[0].loss} -> ${r.last.loss}`);
  const f = m.features(fixed.patches);
  f.dispose();
  assert.equal(tf.memory().numTensors, before, "features() frees its chunks");
  tf.dispose([fixed.patches, fixed.context, fixed.target]);
  m.dispose();
});

test("same seed, same weights and loss", () => {
  const loss = (seed: number) => {
    setSeed(seed);
    const m = imageJepa(small);
    const b = batchOf(4);
    const v = tf.tidy(() => m.forward(b).loss.dataSync()[0]);
    tf.dispose([b.patches, b.context, b.target]);
    m.dispose();
    return v;
  };
  assert.equal(loss(7), loss(7));
  assert.notEqual(loss(7), loss(8));
});

test("bad batches get errors that name the argument and the shapes", () => {
  setSeed(8);
  const m = imageJepa(small);
  const b = batchOf(2);
  assert.throws(() => tf.tidy(() => m.forward({ ...b, patches: tf.zeros([2, 4, 4, 3]) })), /imageJepa: batch.patches must have shape \[B, 4, 4, 4\], received \[2, 4, 4, 3\]/);
  assert.throws(() => tf.tidy(() => m.forward({ ...b, target: tf.zeros([3, 4, 4]) })), /imageJepa: batch.target must have shape \[B, 4, 4, 1\] with B=2, received \[3, 4, 4, 1\]/);
  assert.throws(() => tf.tidy(() => m.forward({ ...b, context: tf.zeros([2, 5, 5]) })), /imageJepa: batch.context must have shape \[\*, 4, 4, 1\]/);
  assert.throws(() => m.forward(null as never), /imageJepa: batch must be \{ patches, context, target \}/);
  assert.throws(() => tf.tidy(() => m.encode(b.patches, "other" as never)), /encoder must be "target" or "context"/);
  assert.throws(() => imageJepa({ momentum: 2 }), /imageJepa: opts.momentum must be a finite number in \[0, 1\], received 2/);
  tf.dispose([b.patches, b.context, b.target]);
  m.dispose();
});
