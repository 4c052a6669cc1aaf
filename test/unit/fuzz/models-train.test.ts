/**
 * Property-based tests for the models and the training loop: random shapes, sizes and options.
 * Each call either gives a finite result or throws an Error whose message starts with the
 * function's (or module's) name — never a tfjs internal error — and leaks no tensors either way.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { initBackend } from "../../../lib/backend";
import { actionPredictor, mlp, transitionJepa, updateEma, convEncoder } from "../../../lib/models";
import { startTraining } from "../../../lib/train";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const RUNS = Number(process.env.FUZZ_RUNS) || 40;
fc.configureGlobal({ includeErrorInReport: true, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });

/** Runs f; passes when it returns finite numbers or throws an Error naming one of `names`. */
function finiteOrNamed(names: string[], f: () => number[]): void {
  const before = tf.memory().numTensors;
  try {
    const out = f();
    assert.ok(out.every(Number.isFinite), `non-finite result ${out}`);
  } catch (e) {
    const msg = (e as Error).message;
    assert.ok(names.some((n) => msg.startsWith(n)), `error does not name the function: ${msg}`);
  }
  assert.equal(tf.memory().numTensors, before, "tensors leaked");
}

const dim = fc.integer({ min: 0, max: 6 });
const shape = fc.array(dim, { minLength: 0, maxLength: 4 });

test("mlp and actionPredictor: random input shapes give a result or a named error", () => {
  fc.assert(fc.property(fc.integer({ min: 1, max: 5 }), shape, fc.integer({ min: 0, max: 3 }), shape, (inDim, xs, actionDim, as) => {
    const net = mlp([inDim, 3]);
    const pred = actionPredictor({ embedDim: inDim, actionDim, hidden: [4] });
    try {
      finiteOrNamed(["mlp"], () => tf.tidy(() => Array.from(net.apply(tf.ones(xs)).dataSync())));
      finiteOrNamed(["predictor"], () => tf.tidy(() => Array.from(pred.apply(tf.ones(xs), tf.ones(as)).dataSync())));
    } finally {
      net.dispose();
      pred.dispose();
    }
  }), { numRuns: RUNS });
});

test("transitionJepa.forward: random batch shapes give a finite loss or a named error", () => {
  fc.assert(fc.property(fc.array(dim, { minLength: 0, maxLength: 4 }), shape, fc.constantFrom("none", "vicreg", "sigreg", "ema"), (obsShape, actShape, regularizer) => {
    const enc = convEncoder({ inputShape: [4, 4, 1], embedDim: 3, channels: [2] });
    const m = transitionJepa({ encoder: enc, targetEncoder: regularizer === "ema" ? convEncoder({ inputShape: [4, 4, 1], embedDim: 3, channels: [2] }) : undefined,
      predictor: actionPredictor({ embedDim: 3, actionDim: 2, hidden: [4] }), regularizer: regularizer as "none" });
    try {
      const full = [...obsShape, 4, 4, 1];
      finiteOrNamed(["transitionJepa", "convEncoder", "predictor", "vicregLoss", "sigregLoss"], () =>
        tf.tidy(() => [m.forward({ obs: tf.randomNormal(full), actions: tf.ones(actShape) as unknown as tf.Tensor3D }).loss.dataSync()[0]]));
    } finally {
      m.dispose();
    }
  }), { numRuns: RUNS });
});

test("updateEma and train: random momentum and options give a result or a named error", async () => {
  await fc.assert(fc.asyncProperty(fc.double({ min: -2, max: 3, noNaN: false }), fc.integer({ min: -2, max: 4 }), fc.double({ min: -1, max: 1 }), async (momentum, steps, lr) => {
    const a = mlp([2, 2]);
    const b = mlp([2, 2]);
    try {
      finiteOrNamed(["updateEma"], () => { updateEma(a.variables(), b.variables(), momentum); return [momentum]; });
      const model = { name: "fuzz", forward: () => ({ loss: tf.mean(tf.square(a.apply(tf.ones([2, 2])))) as tf.Scalar }), variables: () => a.variables(), dispose: () => a.dispose() };
      const before = tf.memory().numTensors;
      try {
        const r = await startTraining(model, { steps, lr, batch: () => 0, progress: false, chart: false }).done;
        assert.ok(Number.isFinite(r.last.loss as number) || r.status === "diverged", `loss ${r.last.loss}`);
      } catch (e) {
        assert.match((e as Error).message, /^train: /);
      }
      assert.equal(tf.memory().numTensors, before, "tensors leaked");
    } finally {
      a.dispose();
      b.dispose();
    }
  }), { numRuns: RUNS });
});
