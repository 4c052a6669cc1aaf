// The shipped checkpoint (data/checkpoints/mini-jepa.json, made by `npm run train`) that lets a
// workshop skip notebook 03's training and that notebooks 06 and 09 plan with: it loads, it is small
// and holds no optimiser state, and on held-out episodes of a seed it never saw it meets the three
// targets of issue 4 (probe R² ≥ 0.95, effective rank ≥ 8, 10-step rollout error ≤ 2× 1-step).
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { loadMiniJepa, miniJepaCheckpoint } from "../../../lib/recipes";
import { readCheckpoint } from "../../../lib/train/checkpoint";
import { miniJepaData, miniJepaMetrics, miniJepaRecipe } from "../../../lib/recipes";

before(async () => {
  await initBackend({ verbose: false });
});

test("shipped mini JEPA checkpoint: under 3 MB, weights only, trained with the full recipe", () => {
  assert.ok(fs.existsSync(miniJepaCheckpoint), `${miniJepaCheckpoint} is missing`);
  const bytes = fs.statSync(miniJepaCheckpoint).size;
  assert.ok(bytes < 3e6, `checkpoint is ${bytes} bytes, expected < 3 MB`);
  const c = readCheckpoint(miniJepaCheckpoint);
  assert.equal(c.optimizer?.length ?? 0, 0, "the shipped checkpoint must not carry optimiser state");
  assert.ok(c.history.length > 10, "its training history is shipped for notebook 03's curve");
  assert.equal(c.step, miniJepaRecipe().steps);
});

test("shipped mini JEPA checkpoint meets the full-mode targets on unseen held-out episodes", async () => {
  const model = await loadMiniJepa();
  setSeed(4242); // not the training seed: fresh held-out episodes
  const data = miniJepaData(miniJepaRecipe({ episodes: 1, evalEpisodes: 300 }));
  const before = tf.memory().numTensors;
  try {
    const m = miniJepaMetrics(model, data);
    assert.equal(tf.memory().numTensors, before, "miniJepaMetrics leaked tensors");
    for (const t of m.targets) assert.ok(t.met, `${t.metric} = ${t.value}, target ${t.target}`);
  } finally {
    data.dispose();
    model.dispose();
  }
});
