import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { initBackend } from "../../../lib/backend";
import { TwoRooms } from "../../../lib/data";
import { AgentConfig, configurator } from "../../../lib/agent";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const sameSide: AgentConfig = { horizon: 6, planner: "mppi", weights: { goalDistance: 1 } };
const otherSide: AgentConfig = { horizon: 10, planner: "cem", weights: { goalDistance: 0.1, critic: 1 } };

test("configurator: the rule reads which side of the wall the agent and the goal are on from the two images", () => {
  const world = new TwoRooms();
  const configure = configurator({ sameSide, otherSide });
  const decide = (s: number[], g: number[]) => {
    const [a, b] = [world.render([s]), world.render([g])];
    try { return configure(a, b); } finally { tf.dispose([a, b]); }
  };
  const across = decide([0.2, 0.8], [0.8, 0.75]);
  assert.equal(across.otherSide, true);
  assert.equal(across.config, otherSide);
  assert.ok(Math.abs(across.startX - 0.2) < 0.04 && Math.abs(across.goalX - 0.8) < 0.04, `blob x ${across.startX}, ${across.goalX}`);
  assert.match(across.reason, /different sides/);
  const same = decide([0.1, 0.1], [0.4, 0.9]);
  assert.equal(same.otherSide, false);
  assert.equal(same.config, sameSide);
  assert.match(same.reason, /same side/);
  // Over many tasks the rule agrees with the true rooms (both points inside a room, off the wall band).
  const { starts, goals } = world.sampleStartGoal(60);
  const agree = starts.filter((s, i) => decide(s, goals[i]).otherSide === (world.room(s) !== world.room(goals[i]))).length;
  assert.equal(agree, 60);
  const leftWall = configurator({ sameSide, otherSide, wallX: 0.15 });
  const [a, b] = [world.render([[0.1, 0.5]]), world.render([[0.3, 0.5]])];
  assert.equal(leftWall(a, b).otherSide, true, "wallX moves the line the rule compares with");
  tf.dispose([a, b]);
  assert.throws(() => configurator({ sameSide, otherSide: { ...otherSide, horizon: 0 } }), /configurator: opts.otherSide.horizon/);
  assert.throws(() => configurator({ sameSide: { ...sameSide, planner: "sgd" as "cem" }, otherSide }), /opts.sameSide.planner must be "cem" or "mppi"/);
});
