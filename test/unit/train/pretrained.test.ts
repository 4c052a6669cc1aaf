import { test, before, afterEach } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { transitionJepa } from "../../../lib/models/transition-jepa";
import { mlp } from "../../../lib/models/mlp";
import { actionPredictor } from "../../../lib/models/action-predictor";
import { train } from "../../../lib/train/train";
import { pretrainedCheckpoint } from "../../../lib/train/pretrained";
// eslint-disable-next-line @typescript-eslint/no-var-requires
const { ship } = require("../../../scripts/ship-checkpoint.js");

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});
afterEach(() => {
  delete process.env.MINI_JEPA_SKIP_TRAINING;
});

const makeModel = () => transitionJepa({ encoder: mlp([6, 8, 4]), predictor: actionPredictor({ embedDim: 4, actionDim: 2, hidden: [8] }) });
const batch = () => ({ obs: tf.randomNormal([8, 3, 6]), actions: tf.randomNormal([8, 2, 2]) as tf.Tensor3D });

test("train({ pretrained }) loads a shipped finished run: same weights, its history, no step trained, no leak", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mini-jepa-pretrained-"));
  try {
    setSeed(3);
    const a = makeModel();
    const full = await train(a, { steps: 12, batch, chart: false, progress: false, evaluate: () => ({ score: 1 }), evalEvery: 6, checkpoint: path.join(dir, "run.json") });
    const shipped = ship(path.join(dir, "run.json"), "tiny", dir);
    assert.equal(JSON.parse(fs.readFileSync(shipped.to, "utf8")).optimizer.length, 0, "shipped file keeps no optimiser state");
    setSeed(99);
    const b = makeModel();
    const before = tf.memory().numTensors;
    const loaded = await train(b, { steps: 12, batch: () => { throw new Error("no batch may be drawn"); }, chart: false, progress: false, pretrained: shipped.to });
    assert.equal(tf.memory().numTensors, before);
    assert.equal(loaded.status, "loaded");
    assert.equal(loaded.steps, 12);
    assert.deepEqual(loaded.history, full.history);
    const wa = (a.stateVariables ?? a.variables)().map((v) => Array.from(v.dataSync()));
    const wb = (b.stateVariables ?? b.variables)().map((v) => Array.from(v.dataSync()));
    assert.deepEqual(wb, wa);
    a.dispose();
    b.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("pretrainedCheckpoint: only with MINI_JEPA_SKIP_TRAINING=1 and an existing file; bad names rejected", () => {
  assert.equal(pretrainedCheckpoint("mini-jepa"), undefined);
  process.env.MINI_JEPA_SKIP_TRAINING = "1";
  assert.equal(pretrainedCheckpoint("mini-jepa"), path.join("data", "checkpoints", "mini-jepa.json"));
  assert.equal(pretrainedCheckpoint("no-such-run"), undefined);
  assert.throws(() => pretrainedCheckpoint("../etc/passwd"), /pretrainedCheckpoint: name must be a file name/);
});
