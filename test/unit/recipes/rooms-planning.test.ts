import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { RowOfRooms } from "../../../lib/data/row-of-rooms";
import { setSeed } from "../../../lib/random";
import { loadRoomsJepa, roomsEvaluation, trainRoomsHighLevel } from "../../../lib/recipes";

before(async () => {
  await initBackend({ verbose: false });
});

// The shipped models of notebook 09 (data/checkpoints), a small map (300 episodes, 500 landmarks).
test("trainRoomsHighLevel + roomsEvaluation: the graph high level reaches far rooms, flat CEM at the same budget does not", async () => {
  setSeed(9);
  const world = new RowOfRooms();
  const model = await loadRoomsJepa();
  const hl = await trainRoomsHighLevel(world, model, { episodes: 300, landmarks: 500, pretrained: {
    encoder: "data/checkpoints/09-high-level-encoder.json", jump: "data/checkpoints/09-jump-predictor.json" } });
  assert.equal(hl.runs.encoder.status, "loaded");
  const { graph } = hl;
  assert.equal(graph.hs.length, 500);
  assert.ok(graph.edges.every((out, i) => out.every(([j, w]) => j !== i && w < graph.radius)), "edges are shorter than one jump");
  setSeed(2029);
  const tasks = world.sampleStartGoal(2, { minRoomsApart: 3 });
  const ev = roomsEvaluation(world, model);
  const m = world.opts.maxStep;
  const lowLevel = { horizon: 10, samples: 32, elites: 4, iterations: 2, low: -m, high: m, initStd: m, stream: "plan:low" };
  const before = tf.memory().numTensors;
  const hier = ev.hierarchical(tasks, { ...hl.planner, lowLevel, replanEvery: 2 });
  const flat = ev.flat(tasks, { ...lowLevel, actionDim: 2 });
  assert.equal(tf.memory().numTensors, before, "no leaks over the episodes");
  assert.deepEqual(hier.map((e) => e.success), [true, true], `hierarchical: ${hier.map((e) => e.states.at(-1))}`);
  assert.deepEqual(flat.map((e) => e.success), [false, false]);
  const rows = ev.table([["hierarchical", 320 + ev.highChecksPerStep(hier), hier], ["flat", 320, flat]], tasks);
  assert.equal(rows[0].successRate, 1);
  assert.ok(ev.highChecksPerStep(hier) > 0);
  hl.dispose();
  model.dispose();
});
