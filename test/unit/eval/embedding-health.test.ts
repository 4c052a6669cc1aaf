import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { mulberry32, randn } from "../../../lib/random";
import { embeddingHealth } from "../../../lib/eval";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const r = mulberry32(9);
const states = Array.from({ length: 400 }, () => [r(), r()]);

test("embeddingHealth: an informative embedding vs a collapsed one", () => {
  // informative: 8 dims, two carry the state, the rest independent noise
  const good = states.map(([x, y]) => [x * 3, y * 3, ...Array.from({ length: 6 }, () => randn(r))]);
  const h = embeddingHealth(good, states);
  assert.ok(h.probeR2 > 0.99, `R² ${h.probeR2}`);
  assert.ok(h.meanStd > 0.7 && h.effectiveRank > 4, JSON.stringify(h));
  // collapsed: every row the same vector plus tiny jitter
  const bad = states.map(() => Array.from({ length: 8 }, (_, j) => 1 + j + 1e-4 * randn(r)));
  const c = embeddingHealth(bad, states);
  assert.ok(c.meanStd < 1e-3, `std ${c.meanStd}`);
  assert.ok(c.effectiveRank < 1.01, `rank ${c.effectiveRank}`);
  assert.ok(c.probeR2 < 0.1, `R² ${c.probeR2}`);
});

test("embeddingHealth accepts tensors, leaks nothing, names bad input", () => {
  const z = tf.tensor2d(states.map(([x, y]) => [x, y, x + y]));
  const s = tf.tensor2d(states);
  const before = tf.memory().numTensors;
  const h = embeddingHealth(z, s, { trainFraction: 0.5 });
  assert.equal(tf.memory().numTensors, before);
  assert.ok(h.probeR2 > 0.99);
  assert.throws(() => embeddingHealth(z, states.slice(0, 10)), /embeddingHealth: z and states must have the same number of rows, received 400 and 10/);
  assert.throws(() => embeddingHealth([[1], [2], [3]], [1, 2, 3]), /embeddingHealth: z must have enough rows/);
  assert.throws(() => embeddingHealth(z, s, { trainFraction: 1.5 }), /embeddingHealth: opts.trainFraction/);
  tf.dispose([z, s]);
});
