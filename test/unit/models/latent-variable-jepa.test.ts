import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { latentVariableJepa } from "../../../lib/models/latent-variable-jepa";
import { vicregLoss } from "../../../lib/losses/vicreg";
import { forkClips } from "../../../lib/data/fork";
import { setSeed } from "../../../lib/random";

tf.setBackend("cpu");

const small = { embedDim: 4, hidden: [8], predictorHidden: [8] };

test("latentVariableJepa: shapes of encode, context, predict, energy; context = the frames' embeddings side by side", () => {
  setSeed(3);
  const m = latentVariableJepa(small);
  const clips = forkClips(5);
  const z = tf.zeros([5, 1]) as tf.Tensor2D;
  const s = m.context(clips.context), e = m.energy(clips.context, clips.future, z);
  assert.deepEqual(s.shape, [5, 8]);
  assert.deepEqual(m.predict(clips.context, z).shape, [5, 4]);
  assert.deepEqual(e.shape, [5]);
  const frame1 = tf.tidy(() => m.encode(clips.context.slice([0, 0, 0, 1], [-1, -1, -1, 1])));
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(s.slice([0, 4], [-1, 4]), frame1))).dataSync()[0]) < 1e-6);
  const byHand = tf.tidy(() => tf.sum(tf.square(tf.sub(m.predict(clips.context, z), m.encode(clips.future))), 1));
  assert.ok(tf.tidy(() => tf.max(tf.abs(tf.sub(e, byHand))).dataSync()[0]) < 1e-5, "E = ||pred(s, z) - enc(y)||²");
  tf.dispose([z, s, e, frame1, byHand, clips.context, clips.future]);
  m.dispose();
});

test("latentVariableJepa: infer lowers the energy, keeps z in its bounds, and the sparsity term is added to E", () => {
  setSeed(3);
  const m = latentVariableJepa({ ...small, zDim: 2 });
  const clips = forkClips(6);
  const start = tf.fill([6, 2], 0.5) as tf.Tensor2D;
  const before = tf.memory().numTensors;
  const r = m.infer(clips.context, clips.future, { zInit: start, steps: 30, lr: 0.2 });
  assert.ok(r.history[r.history.length - 1] <= r.history[0], `energy ${r.history[0]} -> ${r.history[r.history.length - 1]}`);
  assert.ok((r.z.arraySync() as number[][]).flat().every((v) => v >= -1 && v <= 1));
  r.z.dispose();
  assert.equal(tf.memory().numTensors, before, "infer leaks nothing but z");
  const sparse = latentVariableJepa({ ...small, zDim: 2, sparsity: 0.5, name: "sparse" });
  sparse.variables().forEach((v, i) => v.assign(m.variables()[i]));
  const diff = tf.tidy(() => tf.sub(sparse.energy(clips.context, clips.future, start), m.energy(clips.context, clips.future, start)));
  assert.ok((diff.arraySync() as number[]).every((d) => Math.abs(d - 0.5 * 1) < 1e-5), "λ ||z||₁ = 0.5 · (0.5 + 0.5)");
  tf.dispose([diff, start, clips.context, clips.future]);
  m.dispose();
  sparse.dispose();
});

test("latentVariableJepa.forward: VICReg between pred(s, z*) and enc(y), z* inferred with the weights fixed", () => {
  setSeed(4);
  const m = latentVariableJepa({ ...small, inferSteps: 5 });
  const clips = forkClips(8);
  const batch = { x: clips.context, y: clips.future };
  const before = tf.memory().numTensors;
  tf.tidy(() => {
    const out = m.forward(batch);
    const z = out.z as tf.Tensor2D;
    assert.deepEqual(z.shape, [8, 1]);
    const v = vicregLoss(m.predict(batch.x, z), m.encode(batch.y));
    assert.ok(Math.abs(out.loss.dataSync()[0] - v.loss.dataSync()[0]) < 1e-4);
    assert.ok(Math.abs(out.energy.dataSync()[0] - 4 * v.invariance.dataSync()[0]) < 1e-5);
    const { grads } = tf.variableGrads(() => m.forward(batch).loss, m.variables());
    assert.equal(Object.keys(grads).length, m.variables().length, "every weight gets a gradient");
    assert.ok(Object.values(grads).every((g) => Number.isFinite(tf.sum(g).dataSync()[0])));
  });
  assert.equal(tf.memory().numTensors, before, "a training step inside tf.tidy leaks nothing");
  tf.dispose([clips.context, clips.future]);
  m.dispose();
});

test("latentVariableJepa: by default no gradient of the prediction error reaches the encoder through enc(y)", () => {
  const clips = forkClips(8);
  const batch = { x: clips.context, y: clips.future };
  const gradsOf = (targetGradient: boolean) => {
    setSeed(6);
    const m = latentVariableJepa({ ...small, inferSteps: 0, zInit: "zero", targetGradient, name: `tg${targetGradient}` });
    const out = tf.tidy(() => {
      const loss = m.forward(batch).loss.dataSync()[0];
      const { grads } = tf.variableGrads(() => m.forward(batch).loss, m.encoder.variables());
      return { loss, g: Object.values(grads).map((g) => Array.from(g.dataSync())).flat() };
    });
    m.dispose();
    return out;
  };
  const stop = gradsOf(false), through = gradsOf(true);
  assert.ok(Math.abs(stop.loss - through.loss) < 1e-5, "same loss value either way");
  const differ = stop.g.reduce((s, v, i) => Math.max(s, Math.abs(v - through.g[i])), 0);
  assert.ok(differ > 1e-4, `the encoder's gradients differ (max difference ${differ})`);
  tf.dispose([clips.context, clips.future]);
});

test("latentVariableJepa: inferSteps 0 with zInit zero is deterministic; unbounded z starts at 0", () => {
  setSeed(5);
  const det = latentVariableJepa({ ...small, inferSteps: 0, zInit: "zero" });
  const clips = forkClips(3);
  const r = det.infer(clips.context, clips.future);
  assert.deepEqual(r.z.arraySync(), [[0], [0], [0]]);
  const free = latentVariableJepa({ ...small, zDim: 3, low: -Infinity, high: Infinity, name: "free" });
  assert.equal(free.options.zInit, "zero");
  assert.match(free.name, /unbounded/);
  assert.match(det.name, /deterministic/);
  tf.dispose([r.z, clips.context, clips.future]);
  det.dispose();
  free.dispose();
});

test("latentVariableJepa: bad options and batches name the function and the argument", () => {
  assert.throws(() => latentVariableJepa({ zDim: 0 }), /latentVariableJepa: opts\.zDim/);
  assert.throws(() => latentVariableJepa({ low: 1, high: 1 }), /latentVariableJepa: opts\.high must be a number above opts\.low/);
  assert.throws(() => latentVariableJepa({ low: -Infinity, zInit: "uniform" }), /zInit "uniform" needs finite/);
  assert.throws(() => latentVariableJepa({ hidden: 8 as unknown as number[] }), /opts\.hidden must be an array/);
  const m = latentVariableJepa({ ...small, name: "m" });
  const bad = tf.zeros([2, 16, 16, 3]);
  assert.throws(() => m.forward({ x: bad, y: tf.zeros([2, 16, 16, 1]) }), /m\.forward: batch\.x/);
  assert.throws(() => m.forward({} as never), /m\.forward: batch must be/);
  bad.dispose();
  m.dispose();
});
