import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { loadMiniJepa, miniJepa, saveMiniJepa } from "../../../lib/recipes";
import { train } from "../../../lib/train/train";
import {
  miniJepaBatches, miniJepaData, miniJepaEvaluator, miniJepaLr, miniJepaMetrics, miniJepaRecipe, miniJepaTargets,
} from "../../../lib/recipes";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const tiny = { episodes: 12, episodeLength: 6, window: 3, batchSize: 4, steps: 3, warmup: 1, evalEpisodes: 6, evalLength: 4, horizons: [1, 2, 4], model: { hidden: [16, 16], embedDim: 8, imageSize: 8 }, world: { imageSize: 8 } };

test("miniJepaRecipe fills defaults and rejects bad values naming the option", () => {
  const r = miniJepaRecipe({ steps: 10, warmup: 5 });
  assert.equal(r.steps, 10);
  assert.equal(r.window, 12);
  assert.throws(() => miniJepaRecipe({ window: 30, episodeLength: 24 }), /miniJepaRecipe: opts.window must be an integer in \[1, 24\], received 30/);
  assert.throws(() => miniJepaRecipe({ horizons: [0] }), /miniJepaRecipe: opts.horizons\[0\] must be an integer in \[1, 20\]/);
  assert.throws(() => miniJepaRecipe({ batchSize: 1 }), /miniJepaRecipe: opts.batchSize must be an integer in \[2, Infinity\]/);
});

test("miniJepaData and miniJepaBatches: shapes, windows are consecutive frames of one episode, same seed same batches", () => {
  setSeed(3);
  const recipe = miniJepaRecipe(tiny);
  const data = miniJepaData(recipe);
  assert.deepEqual(data.train.obs.shape, [12, 7, 8, 8, 1]);
  assert.deepEqual(data.test.states.shape, [6, 5, 2]);
  assert.deepEqual(data.train.actions.shape, [12, 6, 2]);
  const before = tf.memory().numTensors;
  setSeed(5);
  const b1 = miniJepaBatches(data)(0);
  assert.deepEqual(b1.obs.shape, [4, 4, 8, 8, 1]);
  assert.deepEqual(b1.actions!.shape, [4, 3, 2]);
  // the window's actions are the episode's actions between its frames: find the window in the data
  const all = data.train.actions.arraySync() as number[][][];
  const got = b1.actions!.arraySync() as number[][][];
  const found = all.some((ep) => ep.some((_, t) => t + 3 <= ep.length && [0, 1, 2].every((k) => ep[t + k][0] === got[0][k][0] && ep[t + k][1] === got[0][k][1])));
  assert.ok(found, "batch actions are a window of one training episode");
  const b2 = miniJepaBatches(data)(0);
  assert.deepEqual(b2.obs.arraySync(), b1.obs.arraySync(), "batch(step) depends only on the seed and the step");
  const b3 = miniJepaBatches(data)(1);
  assert.notDeepEqual(b3.actions!.arraySync(), b1.actions!.arraySync());
  setSeed(6);
  const b4 = miniJepaBatches(data)(0);
  assert.notDeepEqual(b4.actions!.arraySync(), b1.actions!.arraySync(), "another seed, other batches");
  tf.dispose([b1.obs, b1.actions!, b2.obs, b2.actions!, b3.obs, b3.actions!, b4.obs, b4.actions!]);
  assert.equal(tf.memory().numTensors, before, "batches leave nothing behind once disposed");
  data.dispose();
});

test("a tiny run trains, evaluates, reports the three targets and leaks no tensors", async () => {
  setSeed(1);
  const recipe = miniJepaRecipe(tiny);
  const data = miniJepaData(recipe);
  const model = miniJepa(recipe.model);
  const before = tf.memory().numTensors;
  const res = await train(model, { steps: recipe.steps, batch: miniJepaBatches(data), lr: miniJepaLr(recipe), evaluate: miniJepaEvaluator(model, data), progress: false, chart: false });
  assert.equal(res.status, "done");
  assert.ok(typeof res.last.probeR2 === "number" && typeof res.last.effectiveRank === "number", JSON.stringify(res.last));
  const m = miniJepaMetrics(model, data);
  assert.deepEqual(m.rollout.map((r) => r.horizon), [1, 2, 4]);
  assert.ok(m.rollout.every((r) => Number.isFinite(r.error) && Number.isFinite(r.encodedError)));
  assert.equal(m.targets.length, 3);
  assert.equal(m.targets[0].met, m.probeR2 >= miniJepaTargets.probeR2);
  assert.equal(tf.memory().numTensors, before, "no tensor leaks from train + evaluate + metrics");
  model.dispose();
  data.dispose();
});

test("miniJepa starts its predictor at 'no change'; saveMiniJepa/loadMiniJepa round-trip with the options", async () => {
  setSeed(2);
  const model = miniJepa({ hidden: [16, 16], embedDim: 4, imageSize: 8 });
  const z = tf.randomNormal([3, 4]) as tf.Tensor2D;
  const a = tf.randomNormal([3, 2]) as tf.Tensor2D;
  const same = model.predict(z, a);
  assert.ok(tf.max(tf.abs(tf.sub(same, z))).dataSync()[0] === 0, "z' = z at initialisation");
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mj-")), "m.json");
  await saveMiniJepa(model, file, { step: 7, meta: { note: "test" } });
  const saved = JSON.parse(fs.readFileSync(file, "utf8"));
  assert.equal(saved.optimizer.length, 0, "no optimiser state in the saved model");
  assert.deepEqual(saved.meta.options.hidden, [16, 16]);
  assert.equal(saved.meta.note, "test");
  const loaded = await loadMiniJepa(file);
  assert.equal(loaded.options.embedDim, 4);
  const x = tf.randomUniform([2, 8, 8, 1]);
  assert.deepEqual(loaded.encode(x).arraySync(), model.encode(x).arraySync());
  // A checkpoint written before the vocabulary of lib/README.md (latentDim, hidden: number, regulariser) still loads.
  saved.meta.options = { latentDim: 4, hidden: 16, imageSize: 8, regulariser: "vicreg" };
  fs.writeFileSync(file, JSON.stringify(saved));
  const legacy = await loadMiniJepa(file);
  assert.equal(legacy.options.embedDim, 4);
  assert.deepEqual(legacy.options.hidden, [16, 16]);
  assert.equal(legacy.options.regularizer, "vicreg");
  assert.deepEqual(legacy.encode(x).arraySync(), model.encode(x).arraySync());
  assert.throws(() => miniJepa({ actionScale: 0 }), /miniJepa: opts.actionScale must be a finite number in \(0, Infinity\], received 0/);
  await assert.rejects(() => saveMiniJepa({} as never, file), /saveMiniJepa: model must be built by miniJepa\(\)/);
  tf.dispose([z, a, same, x]);
  model.dispose();
  loaded.dispose();
});
