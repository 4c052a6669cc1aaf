/**
 * Checkpoints: a model's variables, the optimiser's state, the random streams and the metrics so
 * far, in one JSON file written atomically (temp file + rename), so a 20-minute run survives a
 * crash and resumes to the same numbers. Used by `train`'s `checkpoint` option
 * (notebooks/03-mini-jepa.ipynb) and `loadMiniJepa`.
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { getRandomState, RandomState, setRandomState } from "../random";
import { Row } from "../table/row";

/** One saved tensor: shape and float32 values in base64. */
export interface SavedTensor {
  name: string;
  shape: number[];
  data: string;
}

/** What a checkpoint file holds. */
export interface Checkpoint {
  format: "mini-jepa-checkpoint-1";
  /** Model name (a mismatch is reported on load). */
  model: string;
  /** Steps completed. */
  step: number;
  /** The model's state variables, in `stateVariables()` order. */
  variables: SavedTensor[];
  /** Optimiser state (`optimizer.getWeights()`), empty when not saved. */
  optimizer: SavedTensor[];
  /** Random streams at `step`. */
  random: RandomState;
  /** Metric rows logged so far. */
  history: Row[];
  /** Anything else worth keeping (options, notes). */
  meta: Record<string, unknown>;
}

/** Writes `file` atomically: the old file stays intact until the new one is complete. */
export function writeFileAtomic(file: string, contents: string): void {
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  const tmp = `${file}.tmp-${process.pid}`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

/** Saves variables (+ optimiser state, random streams, history) to `file`. */
export async function saveCheckpoint(
  file: string,
  state: { model: string; step: number; variables: tf.Variable[]; optimizer?: tf.Optimizer; history?: Row[]; meta?: Record<string, unknown> },
): Promise<void> {
  const opt = state.optimizer ? await state.optimizer.getWeights() : [];
  const ckpt: Checkpoint = {
    format: "mini-jepa-checkpoint-1",
    model: state.model,
    step: state.step,
    variables: state.variables.map((v) => encode(v.name, v)),
    optimizer: opt.map((w) => encode(w.name, w.tensor)),
    random: getRandomState(),
    history: state.history ?? [],
    meta: state.meta ?? {},
  };
  writeFileAtomic(file, JSON.stringify(ckpt));
}

/** Reads a checkpoint file (throws a clear error when missing or not a checkpoint). */
export function readCheckpoint(file: string): Checkpoint {
  if (!fs.existsSync(file)) throw new Error(`readCheckpoint: no checkpoint at ${file}`);
  const ckpt = JSON.parse(fs.readFileSync(file, "utf8")) as Checkpoint;
  if (ckpt.format !== "mini-jepa-checkpoint-1") throw new Error(`readCheckpoint: ${file} is not a mini-jepa checkpoint (format ${JSON.stringify(ckpt.format)})`);
  return ckpt;
}

/**
 * Loads a checkpoint into `variables` (same order and shapes as saved), and, when given, the
 * optimiser state; restores the random streams unless `restoreRandom` is false. Returns the checkpoint.
 */
export async function loadCheckpoint(
  file: string,
  variables: tf.Variable[],
  opts: { optimizer?: tf.Optimizer; restoreRandom?: boolean } = {},
): Promise<Checkpoint> {
  const ckpt = readCheckpoint(file);
  if (ckpt.variables.length !== variables.length) {
    throw new Error(`loadCheckpoint: ${file} holds ${ckpt.variables.length} variables, the model has ${variables.length} (was it saved from a model with other options?)`);
  }
  ckpt.variables.forEach((s, i) => {
    if (s.shape.join() !== variables[i].shape.join()) {
      throw new Error(`loadCheckpoint: variable ${i} (${s.name}) has shape [${s.shape.join(", ")}] in ${file}, the model's is [${variables[i].shape.join(", ")}]`);
    }
  });
  ckpt.variables.forEach((s, i) => tf.tidy(() => variables[i].assign(decode(s))));
  if (opts.optimizer && ckpt.optimizer.length) {
    await opts.optimizer.setWeights(ckpt.optimizer.map((s) => ({ name: s.name, tensor: decode(s) })));
  }
  if (opts.restoreRandom ?? true) setRandomState(ckpt.random);
  return ckpt;
}

function encode(name: string, t: tf.Tensor): SavedTensor {
  const data = t.dataSync() as Float32Array;
  const f32 = data instanceof Float32Array ? data : Float32Array.from(data);
  return { name, shape: t.shape, data: Buffer.from(f32.buffer, f32.byteOffset, f32.byteLength).toString("base64") };
}

function decode(s: SavedTensor): tf.Tensor {
  const buf = Buffer.from(s.data, "base64");
  const f32 = new Float32Array(buf.buffer.slice(buf.byteOffset, buf.byteOffset + buf.byteLength));
  return tf.tensor(f32, s.shape, "float32");
}
