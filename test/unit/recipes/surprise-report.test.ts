import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { setSeed } from "../../../lib/random";
import { lastFrameBaseline, surpriseReport } from "../../../lib/recipes";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

/** The floor: "the newest frame is the one before it", patch by patch in pixels. */
const copyModel = lastFrameBaseline({ frames: 2, patch: 4 });

test("surpriseReport: ratios, a threshold at the normal clips' 95th percentile, detection and measured false alarms", () => {
  setSeed(5);
  const before = tf.memory().numTensors;
  const r = surpriseReport(copyModel, { clips: 60, frames: 12, eventAt: 6 });
  assert.equal(tf.memory().numTensors, before);
  assert.deepEqual(r.times, [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
  const peaks = r.curves.none.map((row) => Math.max(...r.times.map((t) => row[t])));
  assert.equal(peaks.filter((p) => p > r.threshold).length, 3, "5% of 60 normal clips lie above the threshold");
  for (const row of r.rows) {
    assert.ok(row.ratio > 2, `${row.event} ratio ${row.ratio}`);
    assert.ok(row.detected > 0.5, `${row.event} detected ${row.detected}`);
    assert.ok(row.falseAlarms >= 0 && row.falseAlarms < 0.25, `false alarms ${row.falseAlarms}`);
    assert.equal(row.threshold, r.threshold);
    assert.ok(Math.abs(row.ratio - row.surpriseAtEvent / row.normalAtSameFrame) < 1e-9);
  }
  assert.equal(r.mean.none.length, r.times.length);
  assert.throws(() => surpriseReport(copyModel, { eventAt: 20 }), /surpriseReport: opts.eventAt must be an integer in \[1, 15\]/);
});
