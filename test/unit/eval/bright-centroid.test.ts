import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { movingDotClips } from "../../../lib/data";
import { brightCentroid } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const meanError = (a: number[][], b: number[][]) => a.reduce((s, p, i) => s + Math.hypot(p[0] - b[i][0], p[1] - b[i][1]), 0) / a.length;

test("brightCentroid finds the dot on clean and on noisy frames (y up)", () => {
  setSeed(3);
  const clips = movingDotClips(20, 3, { noise: 0.3, withClean: true });
  const truth = clips.positions.reshape([-1, 2]).arraySync() as number[][];
  for (const frames of [clips.clean!, clips.frames]) {
    const imgs = frames.reshape([-1, 16, 16]);
    const p = brightCentroid(imgs);
    assert.deepEqual(p.shape, [60, 2]);
    const err = meanError(p.arraySync(), truth);
    assert.ok(err < 0.02, `mean error ${err}`);
    tf.dispose([imgs, p]);
  }
  tf.dispose([clips.frames, clips.positions, clips.clean!]);
});

test("brightCentroid reads the chosen channel; a flat image gives the centre; no leaks", () => {
  const img = tf.buffer([1, 4, 4, 2]);
  img.set(1, 0, 0, 3, 0); // channel 0: top-right pixel -> (0.875, 0.875)
  img.set(1, 0, 3, 0, 1); // channel 1: bottom-left pixel -> (0.125, 0.125)
  const t = img.toTensor();
  const before = tf.memory().numTensors;
  const last = brightCentroid(t);
  const first = brightCentroid(t, { channel: 0 });
  assert.deepEqual(last.arraySync(), [[0.125, 0.125]]);
  assert.deepEqual(first.arraySync(), [[0.875, 0.875]]);
  tf.dispose([last, first]);
  assert.equal(tf.memory().numTensors, before);
  const flat = brightCentroid(tf.fill([2, 4, 4], 0.3));
  assert.deepEqual(flat.arraySync(), [[0.5, 0.5], [0.5, 0.5]]);
  assert.throws(() => brightCentroid(tf.zeros([4, 4])), /brightCentroid: images must be a tf.Tensor \[N, H, W\] or \[N, H, W, C\], received \[4, 4\]/);
  assert.throws(() => brightCentroid(t, { channel: 2 }), /brightCentroid: opts.channel/);
  tf.dispose([t, flat]);
});
