import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { videoBatches } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

test("videoBatches: windows from the pool; every mask hides the newest frame, a share also a tube", () => {
  setSeed(3);
  // window w is filled with the value w, so a batch shows which windows it drew
  const windows = tf.tidy(() => tf.range(0, 10).reshape([10, 1, 1, 1, 1]).tile([1, 4, 8, 8, 1])) as tf.Tensor5D;
  const next = videoBatches(windows, { batchSize: 200, tubeShare: 0.5, tube: { numBlocks: 1 } });
  const before = tf.memory().numTensors;
  const b = next();
  assert.deepEqual(b.clips.shape, [200, 4, 8, 8, 1]);
  assert.deepEqual(b.mask.shape, [200, 4, 2, 2]);
  const ids = tf.tidy(() => b.clips.slice([0, 0, 0, 0, 0], [200, 1, 1, 1, 1]).reshape([200]).arraySync() as number[]);
  assert.ok(ids.every((v) => Number.isInteger(v) && v >= 0 && v < 10) && new Set(ids).size === 10);
  const m = b.mask.arraySync() as number[][][][];
  assert.ok(m.every((ex) => ex[3].flat().every((v) => v === 1)), "the newest frame is always hidden");
  const withTube = m.filter((ex) => ex[0].flat().some((v) => v === 1));
  assert.ok(withTube.every((ex) => [1, 2].every((t) => JSON.stringify(ex[t]) === JSON.stringify(ex[0]))), "a tube is the same at every time");
  assert.ok(withTube.length > 70 && withTube.length < 130, `share with a tube ${withTube.length} / 200`);
  tf.dispose([b.clips, b.mask]);
  assert.equal(tf.memory().numTensors, before);
  const none = videoBatches(windows, { batchSize: 20, tubeShare: 0 })();
  assert.equal(tf.tidy(() => none.mask.sum().arraySync() as number), 20 * 4);
  tf.dispose([none.clips, none.mask]);
  assert.throws(() => videoBatches(windows, { patch: 3 }), /videoBatches: the frame side 8 must be a multiple of opts.patch 3/);
  assert.throws(() => videoBatches(windows, { tubeShare: 2 }), /videoBatches: opts.tubeShare must be a finite number in \[0, 1\]/);
  windows.dispose();
});
