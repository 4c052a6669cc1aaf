import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import {
  linear, mlp, conv2d, embedding, patchEmbed, convEncoder, charModel, actionPredictor,
  latentVariablePredictor, pixelDecoder, spaceTimeConv, maskedVideoJepa, gridEncoder, gridPredictor,
  imageJepa, jumpPredictor, nextFramePredictor, latentVariableJepa, highLevelEncoder, pixelWorldModel,
  miniJepa, roomsJepa, critic,
} from "../../../lib";

// Every builder, small: building then disposing must leave tf.memory() as it was. A tensor that
// only seeds a variable's values (tf.variable copies it) is a leak a learner never sees: four per
// imageJepa went unnoticed until the 04 solutions' final count (24 tensors, 4 of them data).
const builders: Record<string, () => { dispose(): void }> = {
  linear: () => linear(3, 2),
  mlp: () => mlp([4, 3, 2]),
  conv2d: () => conv2d(1, 2),
  embedding: () => embedding(5, 2),
  patchEmbed: () => patchEmbed({ grid: 7, patchDim: 16, embedDim: 4 }),
  convEncoder: () => convEncoder({ inputShape: [8, 8, 1], embedDim: 2, channels: [2] }),
  charModel: () => charModel({ vocab: 5, context: 2, embedDim: 2, hidden: [4] }),
  actionPredictor: () => actionPredictor({ embedDim: 4, actionDim: 2 }),
  latentVariablePredictor: () =>
    latentVariablePredictor({ embedDim: 8, zDim: 1, outDim: 4, hidden: [8] }),
  pixelDecoder: () => pixelDecoder({ inDim: 4, outShape: [4, 4, 1] }),
  spaceTimeConv: () => spaceTimeConv([2, 3, 3], 4),
  maskedVideoJepa: () => maskedVideoJepa({}),
  gridEncoder: () => gridEncoder({ grid: 7, patchDim: 16, embedDim: 4, layers: 2, name: "g" }),
  gridPredictor: () => gridPredictor({ grid: 7, embedDim: 4, layers: 2, name: "p" }),
  imageJepa: () => imageJepa({}),
  jumpPredictor: () => jumpPredictor({ embedDim: 4 }),
  nextFramePredictor: () => nextFramePredictor({ frameShape: [8, 8] }),
  latentVariableJepa: () => latentVariableJepa({}),
  highLevelEncoder: () => highLevelEncoder({ embedDim: 4 }),
  pixelWorldModel: () => pixelWorldModel({}),
  miniJepa: () => miniJepa({}),
  roomsJepa: () => roomsJepa({}),
  critic: () => critic({ embedDim: 4 }),
};

for (const [name, build] of Object.entries(builders)) {
  test(`${name}: building then disposing leaves no tensor behind`, () => {
    const before = tf.memory().numTensors;
    const m = build();
    assert.ok(tf.memory().numTensors > before, `${name} made no tensors: the test builds nothing`);
    m.dispose();
    assert.equal(tf.memory().numTensors - before, 0, `${name}: tensors left after dispose()`);
  });
}
