/**
 * The wasm training kernels (lib/backend/wasm-training-kernels.ts) give the same values and
 * gradients as the pure-JS cpu backend: conv2d (stride 1/2/3, same/valid), gather (embeddings),
 * matmul with every transpose combination (2-D, batched, sequence @ weights), fused dense.
 * Reference values are computed on cpu in this process, then the same code runs on wasm.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { registerWasmTrainingKernels, restoreStockWasmKernels, wasmTrainingKernels } from "../../../lib/backend/wasm-training-kernels";
import { worstRelative } from "./worst-relative";

type Case = { name: string; run: () => number[][] };

const rnd = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);
const arrays = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

/** Value and gradients of sum(f(...)^2) with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[]): number[][] {
  return tf.tidy(() => {
    const g = tf.grads((...args: tf.Tensor[]) => f(...args).square().sum());
    return arrays([f(...xs), ...g(xs)]);
  });
}

const convCases: Array<[number, "same" | "valid", number, number]> = [
  [1, "same", 7, 3], [1, "valid", 7, 3], [2, "same", 7, 3], [2, "valid", 8, 3], [2, "same", 8, 3],
  [2, "valid", 7, 2], [3, "same", 10, 3], [1, "same", 6, 1],
];

const cases: Case[] = [
  ...convCases.map(([s, pad, h, k]): Case => ({
    name: `conv2d stride ${s} ${pad} ${h}x${h + 1} kernel ${k}`,
    run: () => tf.tidy(() => valueAndGrads(
      (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad), [rnd([3, h, h + 1, 5], 1), rnd([k, k, 5, 4], 2)])),
  })),
  {
    name: "conv2d fused bias+relu (tf.fused.conv2d)",
    run: () => tf.tidy(() => valueAndGrads(
      (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: 1, pad: "same", bias: b, activation: "relu" }),
      [rnd([2, 6, 6, 3], 1), rnd([3, 3, 3, 8], 2), rnd([8], 3)])),
  },
  ...[false, true].flatMap((ta) => [false, true].flatMap((tb): Case[] => [
    {
      name: `matMul 2-D transposeA=${ta} transposeB=${tb}`,
      run: () => tf.tidy(() => valueAndGrads((a, b) => tf.matMul(a, b, ta, tb), [rnd(ta ? [7, 5] : [5, 7], 3), rnd(tb ? [6, 7] : [7, 6], 4)])),
    },
    {
      name: `matMul batched transposeA=${ta} transposeB=${tb}`,
      run: () => tf.tidy(() => valueAndGrads((a, b) => tf.matMul(a, b, ta, tb), [rnd(ta ? [3, 7, 5] : [3, 5, 7], 3), rnd(tb ? [3, 6, 7] : [3, 7, 6], 4)])),
    },
    {
      // tfjs-core's matMul gradient does not sum over broadcast batch dims: tile b explicitly.
      name: `matMul [B,T,K] @ tiled [K,N] transposeA=${ta} transposeB=${tb}`,
      run: () => tf.tidy(() => valueAndGrads((a, b) => tf.matMul(a, tf.tile(tf.expandDims(b, 0), [3, 1, 1]), ta, tb), [rnd(ta ? [3, 7, 5] : [3, 5, 7], 3), rnd(tb ? [6, 7] : [7, 6], 4)])),
    },
  ])),
  {
    // Narrow a, wide b: the kernel computes (b^T a)^T to pack the small operand.
    name: "matMul x^T @ dy with a narrow x (swapped operands) and dy @ w^T with a wide w",
    run: () => tf.tidy(() => arrays([
      tf.matMul(rnd([300, 4], 1), rnd([300, 64], 2), true, false), tf.matMul(rnd([3, 40], 1), rnd([500, 40], 2), false, true),
      tf.matMul(rnd([40, 3], 1), rnd([500, 40], 2), true, true), tf.matMul(rnd([3, 40], 1), rnd([40, 500], 2)),
    ])),
  },
  {
    name: "matMul [B,T,K] @ [K,N] forward (batch folded into rows)",
    run: () => tf.tidy(() => arrays([tf.matMul(rnd([3, 5, 7], 3), rnd([7, 6], 4)), tf.matMul(rnd([3, 7, 5], 3), rnd([6, 7], 4), true, true)])),
  },
  {
    name: "dense with bias + relu (tf.fused.matMul)",
    run: () => tf.tidy(() => valueAndGrads(
      (a, b, c) => tf.fused.matMul({ a: a as tf.Tensor2D, b: b as tf.Tensor2D, bias: c, activation: "relu" }),
      [rnd([9, 7], 3), rnd([7, 6], 4), rnd([6], 5)])),
  },
  {
    name: "embedding lookup (tf.gather) and its gradient",
    run: () => tf.tidy(() => {
      const idx = tf.tensor2d([[1, 2, 3], [3, 3, 10]], [2, 3], "int32");
      return valueAndGrads((e) => tf.gather(e, idx), [rnd([11, 4], 3)]);
    }),
  },
  {
    name: "gather along axis 1 and with batchDims",
    run: () => tf.tidy(() => arrays([
      tf.gather(rnd([3, 5, 4], 1), tf.tensor1d([4, 0, 0], "int32"), 1),
      tf.gather(rnd([2, 5, 3], 2), tf.tensor2d([[1, 4], [0, 0]], [2, 2], "int32"), 1, 1),
      tf.gather(tf.tensor1d([7, 8, 9], "int32"), tf.tensor1d([2, 1], "int32")),
    ])),
  },
  {
    name: "transpose: 2-D, batched 2-D, size-1 axes, general 4-D",
    run: () => tf.tidy(() => {
      const x = rnd([4, 33, 70], 1);
      return arrays([
        tf.transpose(rnd([70, 33], 2)), tf.transpose(x, [0, 2, 1]), tf.transpose(x, [1, 2, 0]),
        tf.transpose(rnd([5, 1, 6], 3), [1, 2, 0]), tf.transpose(rnd([1, 6, 1], 3), [2, 0, 1]),
        tf.transpose(rnd([2, 3, 4, 5], 4), [3, 1, 2, 0]), tf.transpose(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32")),
      ]);
    }),
  },
  {
    name: "sum and mean over leading, middle and trailing axes",
    run: () => tf.tidy(() => {
      const x = rnd([6, 5, 4, 3], 1);
      return arrays([
        tf.sum(x, 0), tf.sum(x, [0, 1]), tf.sum(x, [1, 2], true), tf.sum(x, 3), tf.sum(x, [0, 2]), tf.sum(x),
        tf.mean(x, 0), tf.mean(x, [1, 2]), tf.mean(x, -1, true), tf.sum(tf.tensor2d([[1, 2], [3, 4]], [2, 2], "int32"), 0),
      ]);
    }),
  },
  {
    name: "slice and split along every axis",
    run: () => tf.tidy(() => {
      const x = rnd([4, 5, 6, 7], 1);
      return arrays([
        tf.slice(x, [1, 0, 2, 3], [2, -1, 3, 4]), tf.slice(x, [0, 2, 0, 0], [-1, 2, -1, -1]), tf.slice(x, [3, 4, 5, 6], [1, 1, 1, 1]),
        tf.slice(x, [1, 0, 0, 0], [2, -1, -1, -1]), tf.slice(rnd([9], 2), [2], [5]),
        tf.slice(tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], "int32"), [0, 1], [2, 2]),
        ...tf.split(x, [2, 5], 3), ...tf.split(x, 2, 0), ...tf.split(x, [1, 3, 1], 1),
      ]);
    }),
  },
  {
    name: "concat and its gradient (split) on the channel axis",
    run: () => tf.tidy(() => valueAndGrads((a, b) => tf.concat([a, b], 3).mul(rnd([2, 3, 3, 9], 5)), [rnd([2, 3, 3, 8], 3), rnd([2, 3, 3, 1], 4)])),
  },
  {
    name: "clone and casts (to bool means x != 0; stock wasm copied bytes)",
    run: () => tf.tidy(() => {
      const x = rnd([4, 5], 1);
      return arrays([tf.clone(x), tf.cast(x, "float32"), tf.cast(tf.mul(x, 3), "int32"), tf.cast(tf.tensor1d([0, 2, -1, 0.5, NaN]), "bool"), tf.cast(tf.tensor1d([0, 3], "int32"), "bool"), tf.cast(tf.tensor1d([1, 0], "bool"), "float32")]);
    }),
  },
  {
    name: "tanh (rational approximation) and its gradient, GELU's tanh form",
    run: () => tf.tidy(() => {
      const x = tf.concat([tf.linspace(-12, 12, 2001), tf.tensor1d([0, -0, 1e-6, -3e-4, 5e-4, NaN, Infinity, -Infinity])]);
      const gelu = (v: tf.Tensor) => tf.mul(tf.mul(0.5, v), tf.add(1, tf.tanh(tf.mul(Math.sqrt(2 / Math.PI), tf.add(v, tf.mul(0.044715, tf.pow(v, 3)))))));
      return [...arrays([tf.tanh(x)]), ...valueAndGrads((v) => tf.tanh(v), [rnd([50], 1).mul(3)]), ...valueAndGrads(gelu, [rnd([50], 2).mul(3)])];
    }),
  },
  {
    name: "unsortedSegmentSum drops out-of-range ids",
    run: () => tf.tidy(() => arrays([tf.unsortedSegmentSum(rnd([5, 3], 1), tf.tensor1d([0, 2, 0, 4, 1], "int32"), 3)])),
  },
];

let reference: number[][][] = [];

before(async () => {
  await tf.setBackend("cpu");
  reference = cases.map((c) => c.run());
  await tf.setBackend("wasm");
  await tf.ready();
  registerWasmTrainingKernels();
});

for (const [i, c] of cases.entries()) {
  test(`wasm equals cpu within 1e-5 relative: ${c.name}`, () => {
    assert.equal(tf.getBackend(), "wasm");
    const got = c.run();
    assert.equal(got.length, reference[i].length);
    const worst = worstRelative(reference[i], got);
    assert.ok(worst < 1e-5, `${c.name}: worst relative difference ${worst}`);
  });
}

test("registerWasmTrainingKernels: idempotent, returns the patch list, rejects unknown names", () => {
  const names = registerWasmTrainingKernels();
  assert.deepEqual(names, Object.keys(wasmTrainingKernels));
  for (const n of ["Conv2DBackpropFilter", "UnsortedSegmentSum", "BatchMatMul"]) assert.ok(names.includes(n), n);
  assert.throws(() => tf.tidy(() => tf.gather(tf.ones([3, 2]), tf.tensor1d([3], "int32"))), /GatherV2: the index value 3 is not in \[0, 2\]/);
  assert.throws(() => registerWasmTrainingKernels({ only: ["Nope"] }), /registerWasmTrainingKernels: unknown kernel\(s\) Nope/);
  // Still correct after registering twice (no kernel wraps itself).
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const r = tf.matMul(a, a, true, false);
  assert.deepEqual(Array.from(r.dataSync()), [10, 14, 14, 20]);
  tf.dispose([a, r]);
});

test("restoreStockWasmKernels puts tfjs's kernels back; registering again restores ours", () => {
  const ours = tf.getKernel("BatchMatMul", "wasm")!.kernelFunc;
  const restored = restoreStockWasmKernels();
  assert.deepEqual(restored.sort(), Object.keys(wasmTrainingKernels).sort());
  assert.ok(!tf.getKernel("Conv2DBackpropFilter", "wasm"), "stock wasm has no filter gradient");
  assert.notEqual(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc, ours);
  assert.deepEqual(restoreStockWasmKernels(), [], "nothing left to restore");
  registerWasmTrainingKernels();
  assert.equal(tf.getKernel("BatchMatMul", "wasm")!.kernelFunc, ours);
  const a = tf.tensor2d([[1, 2], [3, 4]]);
  const r = tf.matMul(a, a, false, true);
  assert.deepEqual(Array.from(r.dataSync()), [5, 11, 11, 25]);
  tf.dispose([a, r]);
});

test("kernels leak no tensors or wasm memory", () => {
  const x = rnd([2, 7, 7, 4], 1), w = rnd([3, 3, 4, 4], 2), idx = tf.tensor1d([0, 1, 1], "int32");
  const step = () => tf.tidy(() => {
    const g = tf.grads((x: tf.Tensor, w: tf.Tensor) =>
      tf.add(
        tf.matMul(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same").reshape([2, -1]), x.reshape([2, -1]), true, false).sum(),
        tf.gather(w.reshape([-1, 4]), idx).sum()));
    g([x, w]).forEach((t) => t.dataSync());
  });
  step();
  const before = tf.memory();
  for (let i = 0; i < 3; i++) step();
  const after = tf.memory();
  assert.equal(after.numTensors, before.numTensors);
  assert.equal(after.numDataBuffers, before.numDataBuffers);
  tf.dispose([x, w, idx]);
});
