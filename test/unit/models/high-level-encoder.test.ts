import { test } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { highLevelEncoder, jumpTransitions, takeJumpBatch, train, setSeed, ridgeProbe } from "../../../lib";

tf.setBackend("cpu");

/** Latents of a 2-D walk as "place cells": z_i = exp(-|p - c_i|^2 / 0.08) for 12 centres c_i (local, nonlinear in p). */
function placeCells(p: tf.Tensor3D): tf.Tensor3D {
  return tf.tidy(() => {
    const centres = tf.tensor2d(Array.from({ length: 12 }, (_, i) => [(i % 4) / 3, Math.floor(i / 4) / 2]));
    const d = tf.sum(tf.square(tf.sub(p.expandDims(2), centres.expandDims(0).expandDims(0))), 3); // [N, T+1, 12]
    return tf.exp(tf.div(d, -0.08)) as tf.Tensor3D;
  });
}

test("highLevelEncoder learns coordinates in which macro actions add up, from local nonlinear latents; no leaks", async () => {
  setSeed(5);
  const N = 128, T = 8, k = 2;
  const acts = tf.randomUniform([N, T, 2], -0.05, 0.05, "float32", 9) as tf.Tensor3D;
  const start = tf.randomUniform([N, 1, 2], 0, 1, "float32", 10);
  const pos = tf.tidy(() => tf.concat([start, tf.add(start, tf.cumsum(acts, 1))], 1)) as tf.Tensor3D; // [N, T+1, 2]
  const z = placeCells(pos); // [N, T+1, 12]
  const data = jumpTransitions(z, acts, k, 2);
  const enc = highLevelEncoder({ embedDim: 12, hidden: [32] });
  assert.equal(enc.highDim, 2);
  const M = data.z.shape[0];
  const loss0 = tf.tidy(() => enc.forward(data).loss.dataSync()[0]);
  const before = tf.memory().numTensors;
  await train(enc, { steps: 600, lr: 3e-3, progress: false, chart: false, batch: (s) => takeJumpBatch(data, Array.from({ length: 64 }, (_, i) => (s * 64 + i) % M)) });
  assert.equal(tf.memory().numTensors, before, "no leaks in training");
  const loss1 = tf.tidy(() => enc.forward(data).loss.dataSync()[0]);
  assert.ok(loss1 < loss0 / 5, `loss ${loss0} -> ${loss1}`);
  // h is an affine copy of the position: a linear read-out recovers it (the latents z are not linear in p)
  const flat = z.reshape([-1, 12]) as tf.Tensor2D;
  const n0 = tf.memory().numTensors;
  const h = enc.encode(flat);
  assert.equal(tf.memory().numTensors, n0 + 1, "encode returns one tensor and leaks nothing");
  flat.dispose();
  const hs = h.arraySync() as number[][];
  const ps = pos.reshape([-1, 2]).arraySync() as number[][];
  const half = Math.floor(hs.length / 2);
  const probe = ridgeProbe(hs.slice(0, half), ps.slice(0, half), hs.slice(half), ps.slice(half));
  assert.ok(probe.r2 > 0.95, `position from h: R² ${probe.r2}`);
  h.dispose();
  enc.dispose();
  tf.dispose([acts, start, pos, z, data.z, data.macro, data.zNext]);
});

test("highLevelEncoder: bad inputs get errors that name the function and the argument", () => {
  assert.throws(() => highLevelEncoder({ embedDim: 0 }), /highLevelEncoder: opts.embedDim must be an integer in \[1/);
  assert.throws(() => highLevelEncoder({ embedDim: 4, hidden: 3 as never }), /highLevelEncoder: opts.hidden must be an array of layer sizes/);
  const enc = highLevelEncoder({ embedDim: 4, hidden: [8] });
  assert.throws(() => enc.forward({ z: tf.zeros([3, 4]), macro: tf.zeros([3, 1, 3]), zNext: tf.zeros([3, 1, 4]) } as never), /highLevelEncoder.forward: batch.macro must have shape \[B, J, 2\]/);
  enc.dispose();
});
