/**
 * Workshop mode: shipped checkpoints of finished full runs let a notebook skip its long training.
 * Start Jupyter with `MINI_JEPA_SKIP_TRAINING=1 npm start`; then a notebook's
 *   await train(model, { ..., pretrained: pretrainedCheckpoint("04-masked-image-jepa") })
 * loads `data/checkpoints/04-masked-image-jepa.json` (weights and logged history) instead of training.
 * Without the variable it returns undefined and `train` trains as usual. Introduced in
 * notebooks/04-masked-image-jepa.ipynb; `node scripts/ship-checkpoint.js` makes such a file from a
 * full run's checkpoint.
 */
import * as fs from "fs";
import * as path from "path";

/** Folder of the shipped checkpoints, relative to the package root (where the kernel starts). */
export const shippedCheckpointDir = path.join("data", "checkpoints");

/** True when the user asked to skip long training runs (MINI_JEPA_SKIP_TRAINING=1). */
export function skipTraining(): boolean {
  return process.env.MINI_JEPA_SKIP_TRAINING === "1";
}

/**
 * The shipped checkpoint `data/checkpoints/<name>.json` when training is to be skipped, else
 * undefined. Asked to skip but the file is missing: says so and returns undefined (train as usual).
 */
export function pretrainedCheckpoint(name: string): string | undefined {
  if (typeof name !== "string" || !/^[\w.-]+$/.test(name)) {
    throw new TypeError(`pretrainedCheckpoint: name must be a file name like "04-masked-image-jepa", received ${JSON.stringify(name)}`);
  }
  if (!skipTraining()) return undefined;
  const file = path.join(shippedCheckpointDir, `${name}.json`);
  if (fs.existsSync(file)) return file;
  console.log(`[pretrained] MINI_JEPA_SKIP_TRAINING=1 but ${file} is missing: training instead`);
  return undefined;
}
