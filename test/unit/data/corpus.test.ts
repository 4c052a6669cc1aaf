import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { loadCorpus, CharVocab, charWindows, splitText } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("loadCorpus returns 20-40 KB of plain lowercase prose", () => {
  const text = loadCorpus();
  assert.ok(text.length >= 20000 && text.length <= 40000, `length ${text.length}`);
  assert.match(text, /the robot/);
  assert.equal(text, text.toLowerCase());
  assert.ok(/^[a-z .,'?:!\n-]+$/.test(text), "only plain characters");
  assert.throws(() => loadCorpus("/nonexistent/corpus.txt"), /loadCorpus: file not found, looked in \/nonexistent\/corpus.txt/);
});

test("CharVocab round-trips the corpus; sorted ids; errors name the character and position", () => {
  const text = loadCorpus();
  const v = CharVocab.fromText(text);
  assert.ok(v.size > 25 && v.size < 45, `size ${v.size}`);
  assert.deepEqual([...v.chars], [...v.chars].sort());
  const ids = v.encode(text);
  assert.equal(ids.length, text.length);
  assert.ok(ids.every((i) => Number.isInteger(i) && i >= 0 && i < v.size));
  assert.equal(v.decode(ids), text);
  assert.equal(v.decode(new Int32Array(v.encode("a cat"))), "a cat");
  assert.throws(() => v.encode("the Cat"), /CharVocab.encode: s has character "C" at position 4, which is not in the vocabulary/);
  assert.throws(() => v.decode([0, v.size]), new RegExp(`CharVocab.decode: ids\\[1\\] must be an integer in \\[0, ${v.size - 1}\\], received ${v.size}`));
  assert.throws(() => CharVocab.fromText(""), /CharVocab.fromText: text must be a non-empty string/);
});

test("charWindows: int32 shapes, y follows x in the text, deterministic under setSeed, no leaks", () => {
  const text = loadCorpus();
  const v = CharVocab.fromText(text);
  const ids = v.encode(text);
  const before = tf.memory().numTensors;
  setSeed(4);
  const a = charWindows(ids, 16, 200);
  assert.deepEqual(a.x.shape, [200, 16]);
  assert.deepEqual(a.y.shape, [200]);
  assert.equal(a.x.dtype, "int32");
  assert.equal(a.y.dtype, "int32");
  const xs = a.x.arraySync();
  const ys = a.y.arraySync();
  xs.forEach((row, i) => assert.ok(text.includes(v.decode([...row, ys[i]])), `window ${i} is a substring`));
  setSeed(4);
  const b = charWindows(ids, 16, 200);
  assert.deepEqual(b.x.arraySync(), xs);
  const c = charWindows(ids, 16, 200);
  assert.notDeepEqual(c.x.arraySync(), xs);
  tf.dispose([a.x, a.y, b.x, b.y, c.x, c.y]);
  assert.equal(tf.memory().numTensors, before);
  // a 3-token text with context 2 has exactly one window
  const one = charWindows([5, 6, 7], 2, 3);
  assert.deepEqual(one.x.arraySync(), [[5, 6], [5, 6], [5, 6]]);
  assert.deepEqual(one.y.arraySync(), [7, 7, 7]);
  tf.dispose([one.x, one.y]);
  assert.throws(() => charWindows([1, 2], 2, 1), /charWindows: ids must have at least context \+ 1 = 3 tokens, received 2/);
  assert.throws(() => charWindows([1, 2, 3], 0, 1), /charWindows: context must be an integer/);
  assert.throws(() => charWindows([1, -2, 3], 1, 1), /charWindows: ids\[1\] must be a non-negative integer, received -2/);
});

test("splitText cuts at the fraction and keeps every character", () => {
  const { train, test: held } = splitText("abcdefghij", 0.8);
  assert.equal(train, "abcdefgh");
  assert.equal(held, "ij");
  const text = loadCorpus();
  const s = splitText(text, 0.9);
  assert.equal(s.train + s.test, text);
  assert.throws(() => splitText("abc", 1), /splitText: fraction must be in \(0, 1\)/);
  assert.throws(() => splitText("abc", 0), /splitText: fraction must be a finite number in \(0, 1\], received 0/);
});
