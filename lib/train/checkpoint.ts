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
  tf.dispose(opt.map((w) => w.tensor).filter((t) => !(t instanceof tf.Variable))); // getWeights() makes a fresh iteration count
  writeFileAtomic(file, JSON.stringify(ckpt));
}

/**
 * Reads a checkpoint file. Throws a clear error when it is missing, not a checkpoint, or damaged
 * (cut short, hand-edited, a tensor whose data does not fit its shape): which file, what is wrong,
 * and what to do about it.
 */
export function readCheckpoint(file: string): Checkpoint {
  if (!fs.existsSync(file)) throw new Error(`readCheckpoint: no checkpoint at ${file}`);
  const text = fs.readFileSync(file, "utf8");
  let ckpt: Checkpoint;
  try {
    ckpt = JSON.parse(text) as Checkpoint;
  } catch (err) {
    throw new Error(`readCheckpoint: ${file} is damaged: ${whereJsonBreaks(text, err as Error)}. ${fixAdvice(file)}`);
  }
  if (ckpt?.format !== "mini-jepa-checkpoint-1") throw new Error(`readCheckpoint: ${file} is not a mini-jepa checkpoint (format ${JSON.stringify(ckpt?.format)})`);
  const bad = [...(Array.isArray(ckpt.variables) ? [] : ["its variables list is missing"]), ...badTensors(ckpt.variables ?? [], "variable"),
    ...badTensors(ckpt.optimizer ?? [], "optimiser tensor")];
  if (bad.length) throw new Error(`readCheckpoint: ${file} is damaged: ${bad.slice(0, 3).join("; ")}. ${fixAdvice(file)}`);
  return ckpt;
}

/** What is wrong with a file that is not valid JSON: empty, cut short, or broken at a line and column. */
function whereJsonBreaks(text: string, err: Error): string {
  if (!text.trim()) return "the file is empty";
  const at = /position (\d+)/.exec(err.message);
  if (!at || /end of JSON input/.test(err.message) || !text.trimEnd().endsWith("}")) return `it ends after ${text.length} characters, in the middle of the data (an interrupted copy or save?)`;
  const before = text.slice(0, Number(at[1])).split("\n");
  return `it is not valid JSON at line ${before.length}, column ${before[before.length - 1].length + 1} (${err.message}; edited by hand?)`;
}

/** Tensors whose base64 data does not hold the float32 values their shape asks for. */
function badTensors(list: SavedTensor[], what: string): string[] {
  return list.flatMap((s, i) => {
    const label = `${what} ${i} (${s?.name ?? "no name"})`;
    if (!s || !Array.isArray(s.shape) || typeof s.data !== "string") return [`${label} has no shape or data`];
    const want = 4 * s.shape.reduce((a, b) => a * b, 1);
    const got = Buffer.from(s.data, "base64").length;
    return got === want ? [] : [`${label} holds ${got} bytes, its shape [${s.shape.join(", ")}] needs ${want}`];
  });
}

/** What to do with a damaged checkpoint: delete it, or restore the shipped one. */
function fixAdvice(file: string): string {
  const shipped = path.resolve(file).split(path.sep).join("/").includes("/data/checkpoints/");
  return shipped
    ? `It is one of the package's shipped checkpoints: restore it (git checkout -- ${file}, or copy it again from a fresh download of the package).`
    : "Delete it to start afresh (a run with this checkpoint then trains from step 0), or copy back a good copy if you kept one.";
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
    const weights = ckpt.optimizer.map((s) => ({ name: s.name, tensor: decode(s) }));
    await opts.optimizer.setWeights(weights); // tfjs copies them into its own variables
    tf.dispose(weights.map((w) => w.tensor));
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
