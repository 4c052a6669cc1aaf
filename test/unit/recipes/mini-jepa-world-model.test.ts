import { test, before, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { miniJepaCheckpoint, readCheckpoint } from "../../../lib";
import { miniJepaWorldModel } from "../../../lib/recipes";

before(async () => {
  await initBackend({ verbose: false });
});
afterEach(() => {
  delete process.env.MINI_JEPA_CHECKPOINT;
});

test("miniJepaWorldModel loads the shipped checkpoint: its weights, no training, no leak", async () => {
  const before = tf.memory().numTensors;
  const { model, source } = await miniJepaWorldModel();
  assert.equal(source, `loaded ${miniJepaCheckpoint}`);
  const saved = readCheckpoint(miniJepaCheckpoint).variables[0];
  const first = model.stateVariables!()[0];
  assert.deepEqual(first.shape, saved.shape);
  const expected = new Float32Array(Buffer.from(saved.data, "base64").buffer.slice(0));
  assert.deepEqual(Array.from(first.dataSync().slice(0, 20)), Array.from(expected.slice(0, 20)));
  model.dispose();
  assert.equal(tf.memory().numTensors, before);
});

test("miniJepaWorldModel honours MINI_JEPA_CHECKPOINT and names a bad file", async () => {
  process.env.MINI_JEPA_CHECKPOINT = miniJepaCheckpoint;
  const { model, source } = await miniJepaWorldModel();
  assert.match(source, /^loaded /);
  model.dispose();
  await assert.rejects(() => miniJepaWorldModel({ file: "package.json" }), /package\.json is not a mini-jepa checkpoint/);
});
