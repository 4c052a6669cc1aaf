import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import {
  actionPredictor, charModel, convEncoder, cosineLr, latentVariablePredictor, mlp, Model, nextSeed, pixelDecoder,
  rng, setSeed, startTraining, toDataFrame, train, transitionJepa, writeFileAtomic,
} from "../../../lib";

tf.setBackend("cpu");
const quiet = { progress: false, chart: false } as const;
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "mj-train-"));

/** A JEPA on random trajectories, with a batch drawn from the seeded "data" stream. */
function jepa(regularizer: "none" | "ema" | "vicreg" | "sigreg" = "vicreg") {
  const encoder = mlp([12, 16, 4]);
  const targetEncoder = regularizer === "ema" ? mlp([12, 16, 4]) : undefined;
  return transitionJepa({ encoder, targetEncoder, predictor: actionPredictor({ embedDim: 4, actionDim: 2, hidden: [16] }), regularizer });
}
const trajBatch = () => ({
  obs: tf.randomNormal([16, 3, 12], 0, 1, "float32", nextSeed("data")),
  actions: tf.randomNormal([16, 2, 2], 0, 1, "float32", nextSeed("data")) as tf.Tensor3D,
});

/** Models built from the library's parts, each wrapped in the one Model interface. */
function eachModel(): { model: Model<any>; batch: () => any }[] {
  const conv = convEncoder({ inputShape: [8, 8, 1], embedDim: 4, channels: [4] });
  const dec = pixelDecoder({ inDim: 4, outShape: [8, 8, 1], hidden: [8] });
  const lv = latentVariablePredictor({ embedDim: 4, zDim: 1, hidden: [8] });
  const img = () => tf.randomUniform([8, 8, 8, 1], 0, 1, "float32", nextSeed("data"));
  return [
    { model: jepa("none"), batch: trajBatch },
    { model: jepa("ema"), batch: trajBatch },
    { model: jepa("vicreg"), batch: trajBatch },
    { model: jepa("sigreg"), batch: trajBatch },
    { model: charModel({ vocab: 10, context: 4, embedDim: 4, hidden: [8] }), batch: () => ({ x: tf.randomUniform([8, 4], 0, 10, "int32", nextSeed("data")), y: tf.randomUniform([8], 0, 10, "int32", nextSeed("data")) }) },
    {
      model: { name: "autoencoder", forward: (x: tf.Tensor) => ({ loss: tf.losses.meanSquaredError(x, dec.apply(conv.apply(x))) as tf.Scalar }), variables: () => [...conv.variables(), ...dec.variables()], dispose: () => { conv.dispose(); dec.dispose(); } },
      batch: img,
    },
    {
      model: { name: "lv", forward: (s: tf.Tensor) => ({ loss: tf.losses.meanSquaredError(s, lv.apply(s, tf.zeros([s.shape[0], 1]))) as tf.Scalar }), variables: () => lv.variables(), dispose: () => lv.dispose() },
      batch: () => tf.randomNormal([8, 4], 0, 1, "float32", nextSeed("data")),
    },
  ];
}

test("leak test: tf.memory().numTensors is flat over 50 training steps for every model", async () => {
  setSeed(1);
  for (const { model, batch } of eachModel()) {
    await train(model, { steps: 5, batch, ...quiet }); // warm-up: optimiser slots exist now
    const before = tf.memory().numTensors;
    await train(model, { steps: 50, batch, ...quiet, logEvery: 7, evaluate: () => ({ probe: 1 }), evalEvery: 10 });
    const after = tf.memory().numTensors;
    // a new optimiser per call: its slots (2 per variable for Adam) are freed at the end
    assert.equal(after, before, `${model.name}: ${before} tensors before, ${after} after 50 steps`);
    model.dispose();
  }
});

test("evaluate runs every evalEvery steps even when logging is sparser or out of step", async () => {
  setSeed(5);
  const model = jepa();
  const r = await train(model, { steps: 30, batch: trajBatch, ...quiet, logEvery: 10, evaluate: (step) => ({ probe: step }), evalEvery: 7 });
  assert.deepEqual(r.history.filter((row) => typeof row.probe === "number").map((row) => row.step), [7, 14, 21, 28, 30]);
  assert.deepEqual(r.history.map((row) => row.step), [1, 7, 10, 14, 20, 21, 28, 30]);
  model.dispose();
});

test("training lowers the loss; history has step, loss, parts, lr; table() is a DataFrame", async () => {
  setSeed(2);
  const model = jepa("vicreg");
  const fixed = trajBatch();
  const r = await train(model, { steps: 60, batch: () => ({ obs: fixed.obs.clone(), actions: fixed.actions.clone() as tf.Tensor3D }), lr: cosineLr({ lr: 3e-3, steps: 60, warmup: 5 }), ...quiet, logEvery: 10 });
  assert.equal(r.status, "done");
  assert.equal(r.steps, 60);
  const first = r.history[0].loss as number;
  const last = r.last.loss as number;
  assert.ok(last < first, `loss ${first} -> ${last}`);
  for (const k of ["step", "loss", "predError", "variance", "covariance", "lr", "seconds", "gradNorm"]) assert.ok(k in r.last, k);
  assert.deepEqual(toDataFrame(r.history).shape, [r.history.length, Object.keys(r.history[0]).length]);
  model.dispose();
  fixed.obs.dispose();
  fixed.actions.dispose();
});

test("a checkpointed run resumed in a new model continues to exactly the same loss as an uninterrupted run", async () => {
  const dir = tmp();
  const file = path.join(dir, "ckpt.json");
  const run = async (steps: number, checkpoint?: string) => {
    const model = jepa("sigreg"); // draws random directions every step: the random streams must resume too
    const r = await train(model, { steps, batch: trajBatch, ...quiet, logEvery: 1, checkpoint });
    model.dispose();
    return r;
  };
  setSeed(9);
  const straight = await run(20);
  setSeed(9);
  const before = tf.memory().numTensors;
  const first = await run(10, file);
  assert.equal(first.steps, 10);
  assert.equal(tf.memory().numTensors, before, "saving checkpoints leaks no tensor (Adam's getWeights makes a fresh iteration count)");
  setSeed(12345); // a fresh session with another seed: the checkpoint restores the streams
  const resumed = await run(20, file);
  assert.equal(tf.memory().numTensors, before, "resuming (optimiser state loaded) leaks no tensor");
  assert.equal(resumed.history.length, 20, "history continues from the checkpoint");
  assert.equal(resumed.last.loss, straight.last.loss);
  assert.deepEqual(resumed.history.map((h) => h.loss), straight.history.map((h) => h.loss));
  fs.rmSync(dir, { recursive: true });
});

test("NaN guard: a diverging run stops with a clear message and keeps the last good weights", async () => {
  setSeed(3);
  const net = mlp([2, 1]);
  let step = 0;
  const model: Model<number> = {
    name: "bomb",
    forward: () => ({ loss: tf.mul(step++ >= 12 ? NaN : 1, tf.mean(tf.square(net.apply(tf.ones([1, 2]))))) as tf.Scalar }),
    variables: () => net.variables(),
    dispose: () => net.dispose(),
  };
  const r = await train(model, { steps: 30, batch: () => 0, ...quiet, logEvery: 5 });
  assert.equal(r.status, "diverged");
  assert.match(r.message!, /NaN\/Infinity at step 13; restored the weights of step 10 \(loss .*\)\. Try a lower learning rate/);
  assert.ok(net.variables().every((v) => tf.tidy(() => tf.all(tf.isFinite(v)).dataSync()[0]) === 1));
  assert.equal(r.steps, 12);
  model.dispose();
});

test("stop() ends the run after the current step and leaves a usable model", async () => {
  setSeed(4);
  const model = jepa("vicreg");
  const run = startTraining(model, { steps: 10_000, batch: trajBatch, ...quiet });
  setTimeout(() => run.stop(), 200);
  const r = await run.done;
  assert.equal(r.status, "stopped");
  assert.ok(r.steps > 0 && r.steps < 10_000);
  assert.match(r.message!, /stopped by request at step \d+/);
  tf.tidy(() => assert.deepEqual(model.encode(tf.zeros([1, 12])).shape, [1, 4]));
  model.dispose();
});

test("bad options are named", async () => {
  const model = jepa();
  assert.throws(() => startTraining(model, { steps: 0, batch: trajBatch }), /train: opts.steps must be an integer in \[1, Infinity\], received 0/);
  assert.throws(() => startTraining(model, { steps: 5 } as any), /opts.batch must be a function/);
  assert.throws(() => startTraining(model, { steps: 5, batch: trajBatch, lr: -1 }), /opts.lr/);
  assert.throws(() => cosineLr({ lr: 1, steps: 10, warmup: 11 }), /opts.warmup/);
  assert.throws(() => cosineLr(undefined as never), /cosineLr: opts.lr must be a finite number in \(0, Infinity\], received undefined/);
  model.dispose();
});

test("writeFileAtomic leaves no temp file and replaces the old contents", () => {
  const dir = tmp();
  const f = path.join(dir, "a.json");
  writeFileAtomic(f, "1");
  writeFileAtomic(f, "2");
  assert.equal(fs.readFileSync(f, "utf8"), "2");
  assert.deepEqual(fs.readdirSync(dir), ["a.json"]);
  fs.rmSync(dir, { recursive: true });
  void rng;
});
