/**
 * A tiny text corpus and character-level tokens. Introduced in
 * notebooks/01-autoregressive-contrast.ipynb (a next-character model: auto-regressive prediction
 * in token space, the contrast to latent prediction).
 *
 * data/corpus.txt is ~27 KB of original plain English (lowercase, a robot exploring rooms, weather,
 * a garden, a village), written for this project. Windows are drawn from the stream
 * `rng("data:corpus")`.
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../check";
import { rng } from "../random";
import { checkCount } from "./common";

/** Where the shipped corpus lives, relative to the package root. */
const CORPUS_FILE = path.join("data", "corpus.txt");

/**
 * The text of data/corpus.txt (or of `file` if given). Looks next to this package first, then in
 * the current working directory.
 */
export function loadCorpus(file?: string): string {
  const candidates = file !== undefined
    ? [file]
    : [path.join(__dirname, "..", "..", CORPUS_FILE), path.join(process.cwd(), CORPUS_FILE)];
  for (const f of candidates) if (fs.existsSync(f)) return fs.readFileSync(f, "utf8");
  throw new Error(`loadCorpus: file not found, looked in ${candidates.join(", ")}`);
}

/** A character vocabulary: ids 0..size-1 for the distinct characters of a text, sorted. */
export class CharVocab {
  /** The characters, index = id. */
  readonly chars: readonly string[];
  private readonly index: Map<string, number>;

  constructor(chars: string[]) {
    if (!Array.isArray(chars) || chars.length === 0) throw new Error("CharVocab: chars must be a non-empty array of single characters");
    const seen = new Set<string>();
    chars.forEach((c, i) => {
      if (typeof c !== "string" || c.length !== 1) throw new TypeError(`CharVocab: chars[${i}] must be a single character, received ${JSON.stringify(c)}`);
      if (seen.has(c)) throw new Error(`CharVocab: chars[${i}] repeats ${JSON.stringify(c)}`);
      seen.add(c);
    });
    this.chars = Object.freeze(chars.slice());
    this.index = new Map(chars.map((c, i) => [c, i]));
  }

  /** The vocabulary of the distinct characters of `text`, sorted by code point. */
  static fromText(text: string): CharVocab {
    if (typeof text !== "string" || text.length === 0) throw new TypeError(`CharVocab.fromText: text must be a non-empty string, received ${typeof text === "string" ? "an empty string" : typeof text}`);
    return new CharVocab([...new Set(text.split(""))].sort());
  }

  /** Number of distinct characters. */
  get size(): number {
    return this.chars.length;
  }

  /** Ids of the characters of s; throws on a character outside the vocabulary. */
  encode(s: string): number[] {
    if (typeof s !== "string") throw new TypeError(`CharVocab.encode: s must be a string, received ${typeof s}`);
    const ids = new Array<number>(s.length);
    for (let i = 0; i < s.length; i++) {
      const id = this.index.get(s[i]);
      if (id === undefined) throw new RangeError(`CharVocab.encode: s has character ${JSON.stringify(s[i])} at position ${i}, which is not in the vocabulary`);
      ids[i] = id;
    }
    return ids;
  }

  /** The text of the ids; throws on an id outside 0..size-1. */
  decode(ids: ArrayLike<number>): string {
    let out = "";
    for (let i = 0; i < ids.length; i++) {
      const id = ids[i];
      if (!Number.isInteger(id) || id < 0 || id >= this.size) throw new RangeError(`CharVocab.decode: ids[${i}] must be an integer in [0, ${this.size - 1}], received ${id}`);
      out += this.chars[id];
    }
    return out;
  }
}

/** Training windows for next-character prediction. Dispose the tensors when done. */
export interface CharWindows {
  /** Context ids. [N, context] int32. */
  x: tf.Tensor2D;
  /** The id that follows each context. [N] int32. */
  y: tf.Tensor1D;
}

/** n windows at random offsets: x = ids[o, o+context), y = ids[o+context]. */
export function charWindows(ids: ArrayLike<number>, context: number, n: number): CharWindows {
  const where = "charWindows";
  if (!ids || typeof ids.length !== "number") throw new TypeError(`${where}: ids must be an array of token ids, received ${typeof ids}`);
  checkCount(where, "context", context);
  checkCount(where, "n", n);
  if (ids.length < context + 1) throw new RangeError(`${where}: ids must have at least context + 1 = ${context + 1} tokens, received ${ids.length}`);
  for (let i = 0; i < ids.length; i++) {
    if (!Number.isInteger(ids[i]) || ids[i] < 0) throw new RangeError(`${where}: ids[${i}] must be a non-negative integer, received ${ids[i]}`);
  }
  const r = rng("data:corpus");
  const starts = ids.length - context;
  const x = new Int32Array(n * context);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const o = Math.floor(r() * starts);
    for (let j = 0; j < context; j++) x[i * context + j] = ids[o + j];
    y[i] = ids[o + context];
  }
  return { x: tf.tensor2d(x, [n, context], "int32"), y: tf.tensor1d(y, "int32") };
}

/** Cuts text at round(length * fraction): the first part to train on, the rest to test on. */
export function splitText(text: string, fraction: number): { train: string; test: string } {
  const where = "splitText";
  if (typeof text !== "string" || text.length < 2) throw new TypeError(`${where}: text must be a string of at least 2 characters, received ${typeof text === "string" ? `length ${text.length}` : typeof text}`);
  checkNumber(where, "fraction", fraction, { min: 0, max: 1, exclusiveMin: true });
  if (fraction >= 1) throw new RangeError(`${where}: fraction must be in (0, 1) (the training share), received ${fraction}`);
  const cut = Math.min(text.length - 1, Math.max(1, Math.round(text.length * fraction)));
  return { train: text.slice(0, cut), test: text.slice(cut) };
}
