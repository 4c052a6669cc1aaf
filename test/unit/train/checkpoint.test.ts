// A damaged checkpoint file (cut short, hand-edited, a tensor that does not fit its shape) gives an
// error that names the file, says what is wrong and what to do, instead of a bare JSON.parse message.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import { loadCheckpoint, readCheckpoint, saveCheckpoint } from "../../../lib/train/checkpoint";

let made = 0;
async function saved(dir: string): Promise<{ file: string; text: string; v: tf.Variable }> {
  const v = tf.variable(tf.tensor2d([[1, 2], [3, 4]]), true, `w${++made}`);
  const file = path.join(dir, "run", "checkpoint.json");
  await saveCheckpoint(file, { model: "test", step: 3, variables: [v] });
  return { file, text: fs.readFileSync(file, "utf8"), v };
}

test("a checkpoint cut short: names the file, says it ends mid-way, and to delete it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-ckpt-"));
  try {
    const { file, text, v } = await saved(dir);
    fs.writeFileSync(file, text.slice(0, Math.floor(text.length / 2)));
    const err = /checkpoint\.json is damaged: it ends after \d+ characters, in the middle of the data.*Delete it to start afresh/;
    assert.throws(() => readCheckpoint(file), (e: Error) => e.message.includes(file) && err.test(e.message));
    await assert.rejects(() => loadCheckpoint(file, [v]), err);
    fs.writeFileSync(file, "");
    assert.throws(() => readCheckpoint(file), /is damaged: the file is empty/);
    v.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a hand-edited checkpoint: the line and column where the JSON breaks", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-ckpt-"));
  try {
    const { file, text, v } = await saved(dir);
    fs.writeFileSync(file, text.replace('{"format"', '{\n  format'));
    assert.throws(() => readCheckpoint(file), /checkpoint\.json is damaged: it is not valid JSON at line 2, column 3 .*edited by hand\?\)\. Delete it/);
    v.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a tensor whose data does not fit its shape is named, and the good file still loads", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-ckpt-"));
  try {
    const { file, text, v } = await saved(dir);
    const ck = JSON.parse(text);
    ck.variables[0].shape = [2, 3];
    fs.writeFileSync(file, JSON.stringify(ck));
    assert.throws(() => readCheckpoint(file), /is damaged: variable 0 \(w\d+\) holds 16 bytes, its shape \[2, 3\] needs 24/);
    fs.writeFileSync(file, text);
    assert.equal(readCheckpoint(file).step, 3);
    v.dispose();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("a damaged shipped checkpoint (under data/checkpoints/) says to restore it, not delete it", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-ckpt-"));
  try {
    const file = path.join(dir, "data", "checkpoints", "mini-jepa.json");
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '{"format": "mini-jepa-checkpoint-1", "variab');
    assert.throws(() => readCheckpoint(file), /is damaged: .*shipped checkpoints: restore it \(git checkout -- .*mini-jepa\.json/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
