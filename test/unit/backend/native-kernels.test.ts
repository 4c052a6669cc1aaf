/**
 * The native kernel tier (lib/backend/native-kernels.ts, oneDNN) gives the same values and
 * gradients as the pure-JS cpu backend within 1e-5 relative, on random shapes: matmuls with every
 * transpose, batched and broadcast, fused bias + each activation; conv2d with random strides,
 * paddings (same, valid, explicit), dilations (forward), batch, channels, fused bias + activation;
 * the elementwise ops with every broadcast they take natively, unary ops on edge values (0, -0,
 * NaN), sums and means over any block of axes, addN.
 * Each case also checks that the native code really ran (the addon's calls are counted).
 *
 * Runs when the addon is there. Skipped under MINI_JEPA_NATIVE=0 (the wasm-only run of
 * `npm test`) or where it was never built; fails when the last build succeeded
 * (native/build/status.json says ok) but the addon does not load.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as fs from "node:fs";
import * as tf from "@tensorflow/tfjs";
import "@tensorflow/tfjs-backend-wasm";
import { BUILD_STATUS_PATH, NativeAddon, loadNativeAddon } from "../../../lib/backend/native/addon";
import { NATIVE_KERNEL_NAMES, registerNativeKernels, unregisterNativeKernels } from "../../../lib/backend/native-kernels";
import { registerWasmTrainingKernels, wasmTrainingKernels } from "../../../lib/backend/wasm-training-kernels";
import { worstRelative } from "./worst-relative";

const loaded = loadNativeAddon();
const builtOk = (() => {
  try {
    return JSON.parse(fs.readFileSync(BUILD_STATUS_PATH, "utf8")).ok === true;
  } catch {
    return false;
  }
})();
const skip = loaded.addon ? false : process.env.MINI_JEPA_NATIVE === "0" || !builtOk ? loaded.reason : false;

test("the addon loads wherever its last build succeeded", { skip: process.env.MINI_JEPA_NATIVE === "0" }, () => {
  if (builtOk) assert.ok(loaded.addon, `build status says ok but: ${loaded.reason}`);
});

/** Calls into the addon, by function. */
const calls: Record<string, number> = { gemm: 0, conv: 0, binary: 0, unary: 0, reduce: 0, addN: 0, segmentSum: 0 };
/** The addon with its kernel entry points counted (its exports are non-enumerable: listed by name). */
function counted(a: NativeAddon): NativeAddon {
  const src = a as unknown as Record<string, (...x: unknown[]) => unknown>;
  const out: Record<string, unknown> = {};
  for (const name of Object.getOwnPropertyNames(a)) {
    const f = src[name];
    out[name] = typeof f !== "function" ? f : name in calls ? (...x: unknown[]) => { calls[name]++; return f(...x); } : (...x: unknown[]) => f(...x);
  }
  return out as unknown as NativeAddon;
}

/** A seeded stream of integers for the random shapes (a fixed LCG: the same cases every run). */
function ints(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 16) % (hi - lo + 1)); // the high bits: an LCG's low bits repeat with a short period
  };
}

type Case = { name: string; kind: keyof typeof calls; run: () => number[][] };
const rnd = (shape: number[], seed: number) => tf.randomNormal(shape, 0, 1, "float32", seed);
const arrays = (ts: tf.Tensor[]) => ts.map((t) => Array.from(t.dataSync()));

/** Value and gradients of sum(f(...) * r) for a fixed random r, with respect to every input. */
function valueAndGrads(f: (...xs: tf.Tensor[]) => tf.Tensor, xs: tf.Tensor[], seed: number): number[][] {
  return tf.tidy(() => {
    const y = f(...xs);
    const r = rnd(y.shape, seed + 99);
    const g = tf.grads((...args: tf.Tensor[]) => f(...args).mul(r).sum());
    return arrays([y, ...g(xs)]);
  });
}

const ACTS = ["linear", "relu", "relu6", "leakyrelu", "sigmoid", "elu"] as const;

function matmulCases(): Case[] {
  const r = ints(11);
  const out: Case[] = [];
  for (let i = 0; i < 24; i++) {
    const M = r(1, 40), N = r(1, 40), K = r(1, 70), tA = r(0, 1) === 1, tB = r(0, 1) === 1;
    const layout = ["2-D", "same batch", "a batched, b shared", "a shared, b batched", "two batch dims"][i % 5];
    const [ba, bb] = layout === "2-D" ? [[], []] : layout === "same batch" ? [[3], [3]] : layout === "a batched, b shared" ? [[4], []]
      : layout === "a shared, b batched" ? [[], [2]] : [[2, 3], [2, 3]];
    const aShape = [...ba, ...(tA ? [K, M] : [M, K])], bShape = [...bb, ...(tB ? [N, K] : [K, N])];
    const withGrads = ba.length === bb.length; // tfjs's matMul gradient does not sum over broadcast batch dims
    out.push({
      name: `matMul ${layout} a [${aShape}] b [${bShape}] transposeA=${tA} transposeB=${tB}`, kind: "gemm",
      run: () => tf.tidy(() => withGrads
        ? valueAndGrads((a, b) => tf.matMul(a, b, tA, tB), [rnd(aShape, i + 1), rnd(bShape, i + 50)], i)
        : arrays([tf.matMul(rnd(aShape, i + 1), rnd(bShape, i + 50), tA, tB)])),
    });
  }
  for (let i = 0; i < 12; i++) {
    const M = r(1, 50), N = r(1, 30), K = r(1, 60), tA = r(0, 1) === 1, tB = r(0, 1) === 1, act = ACTS[i % ACTS.length];
    const bias = i % 4 !== 3;
    out.push({
      name: `fused matMul [${M},${K}]x[${K},${N}] transposeA=${tA} transposeB=${tB} bias=${bias} ${act}`, kind: "gemm",
      run: () => tf.tidy(() => valueAndGrads((a, b, c) => tf.fused.matMul({
        a: a as tf.Tensor2D, b: b as tf.Tensor2D, transposeA: tA, transposeB: tB, bias: bias ? c : undefined,
        activation: act, leakyreluAlpha: 0.1,
      }), [rnd(tA ? [K, M] : [M, K], i + 3), rnd(tB ? [N, K] : [K, N], i + 4), ...(bias ? [rnd([N], i + 5)] : [])], i)),
    });
  }
  out.push({
    name: "matMul with an empty inner dimension (K = 0) and an empty output (M = 0)", kind: "gemm",
    run: () => tf.tidy(() => arrays([tf.matMul(tf.zeros([3, 0]), tf.zeros([0, 4])), tf.matMul(tf.zeros([0, 5]), rnd([5, 2], 1))])),
  });
  return out;
}

function convCases(): Case[] {
  const r = ints(23);
  const out: Case[] = [];
  for (let i = 0; i < 30; i++) {
    const B = r(1, 3), Ci = r(1, 9), Co = r(1, 9), KH = r(1, 4), KW = r(1, 4), s = r(1, 3);
    const H = r(KH, 12), W = r(KW, 12);
    const padKind = i % 3;
    const pad: "same" | "valid" | [[number, number], [number, number], [number, number], [number, number]] = padKind === 0 ? "same" : padKind === 1 ? "valid"
      : [[0, 0], [r(0, 2), r(0, 2)], [r(0, 2), r(0, 2)], [0, 0]];
    const fused = i % 2 === 1, act = ACTS[i % ACTS.length];
    const label = `conv2d x [${B},${H},${W},${Ci}] filter [${KH},${KW},${Ci},${Co}] stride ${s} pad ${JSON.stringify(pad)}${fused ? ` fused bias ${act}` : ""}`;
    out.push({
      name: label, kind: "conv",
      run: () => tf.tidy(() => valueAndGrads(fused
        ? (x, w, b) => tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides: s, pad, bias: b, activation: act, leakyreluAlpha: 0.1 })
        : (x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, s, pad),
      [rnd([B, H, W, Ci], i + 1), rnd([KH, KW, Ci, Co], i + 2), ...(fused ? [rnd([Co], i + 3)] : [])], i)),
    });
  }
  for (const d of [2, 3]) {
    out.push({
      name: `conv2d forward with dilation ${d} (tfjs has no gradient for dilated convs)`, kind: "conv",
      run: () => tf.tidy(() => arrays([
        tf.conv2d(rnd([2, 11, 10, 3], d) as tf.Tensor4D, rnd([3, 3, 3, 5], d + 1) as tf.Tensor4D, 1, "same", "NHWC", d),
        tf.conv2d(rnd([1, 12, 9, 2], d) as tf.Tensor4D, rnd([2, 3, 2, 4], d + 1) as tf.Tensor4D, 1, "valid", "NHWC", [d, 1]),
      ])),
    });
  }
  out.push({
    name: "conv2d stride 2 'same' on an 8x8 image (bottom/right padding only) and a 1x1 filter", kind: "conv",
    run: () => tf.tidy(() => valueAndGrads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 2, "same"), [rnd([2, 8, 8, 3], 1), rnd([3, 3, 3, 4], 2)], 1)
      .concat(valueAndGrads((x, w) => tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, "valid"), [rnd([2, 5, 5, 6], 3), rnd([1, 1, 6, 7], 4)], 2))),
  });
  return out;
}

function elementwiseCases(): Case[] {
  const out: Case[] = [];
  const shapes: Array<[number[], number[]]> = [
    [[7, 5], [7, 5]], [[6, 4, 3], [3]], [[6, 4, 3], [1, 4, 3]], [[5, 1], [5, 6]], [[2, 3, 4], [2, 3, 1]], [[4], []], [[], [3, 2]],
    [[1, 5], [4, 1]], [[3, 1, 5], [1, 4, 1]],
  ];
  for (const [op, f] of [["add", tf.add], ["sub", tf.sub], ["mul", tf.mul], ["div", tf.div], ["squaredDifference", tf.squaredDifference]] as const) {
    out.push({
      name: `${op} with broadcasts ${shapes.map(([a, b]) => `[${a}]·[${b}]`).join(" ")}`, kind: "binary",
      run: () => tf.tidy(() => shapes.flatMap(([a, b], i) => {
        const g = (x: tf.Tensor, y: tf.Tensor) => (f as (u: tf.Tensor, v: tf.Tensor) => tf.Tensor)(x, op === "div" ? y.abs().add(0.5) : y);
        // tfjs's squaredDifference gradient does not sum over broadcast axes: values only there.
        const same = a.join() === b.join();
        return op === "squaredDifference" && !same ? arrays([g(rnd(a, i + 1), rnd(b, i + 2))]) : valueAndGrads(g, [rnd(a, i + 1), rnd(b, i + 2)], i);
      })),
    });
  }
  const x = () => tf.concat([rnd([300], 1).mul(4), tf.tensor1d([0, -0, 6, 7, -1e-8, NaN])]);
  const unary: Array<[string, (t: tf.Tensor) => tf.Tensor]> = [
    ["relu", tf.relu], ["step (leakyRelu's gradient uses alpha)", (t) => tf.step(t, 0.3)], ["square", tf.square], ["neg", tf.neg],
    ["sqrt", (t) => tf.sqrt(t.abs())], ["exp", tf.exp], ["log", (t) => tf.log(t.abs().add(1e-3))], ["abs", tf.abs], ["sigmoid", tf.sigmoid], ["relu6", tf.relu6], ["tanh (rational approximation, as wasm's)", tf.tanh],
  ];
  for (const [name, f] of unary) {
    out.push({
      name: `${name}: values incl. 0, -0, NaN, and gradient`, kind: "unary",
      run: () => tf.tidy(() => [...arrays([f(x())]), ...valueAndGrads(f, [rnd([40], 7)], 7)]),
    });
  }
  out.push({
    name: "sum and mean over leading, middle, trailing and all axes (keepDims too), and their gradients", kind: "reduce",
    run: () => tf.tidy(() => {
      const t = rnd([6, 5, 4, 3], 1);
      return [...arrays([tf.sum(t, 0), tf.sum(t, [1, 2], true), tf.sum(t, 3), tf.sum(t), tf.mean(t, 0), tf.mean(t, [2, 3]), tf.mean(t, -1, true), tf.sum(tf.zeros([0, 3]), 0)]),
        ...valueAndGrads((u) => tf.add(tf.sum(u, 0), tf.mean(u, [0, 1]).sum()), [rnd([7, 4, 5], 2)], 3)];
    }),
  });
  out.push({
    name: "unsortedSegmentSum (ids out of range dropped) and the embedding gradient it is", kind: "segmentSum",
    run: () => tf.tidy(() => {
      const ids = tf.tensor2d([[1, 2, 3], [3, 3, 10]], [2, 3], "int32");
      return [...arrays([tf.unsortedSegmentSum(rnd([6, 4], 1), tf.tensor1d([0, 2, 0, 4, 1, -1], "int32"), 3)]),
        ...valueAndGrads((e) => tf.gather(e, ids), [rnd([11, 5], 3)], 4)];
    }),
  });
  out.push({
    name: "addN of 2, 3 and 5 tensors (gradient sums)", kind: "addN",
    run: () => tf.tidy(() => arrays([2, 3, 5].map((n) => tf.addN(Array.from({ length: n }, (_, i) => rnd([4, 6], i + 1)))))),
  });
  return out;
}

const cases = [...matmulCases(), ...convCases(), ...elementwiseCases()];
let reference: number[][][] = [];

before(async () => {
  if (skip) return;
  await tf.setBackend("cpu");
  reference = cases.map((c) => c.run());
  assert.ok(await tf.setBackend("wasm"));
  await tf.ready();
  registerWasmTrainingKernels();
  registerNativeKernels(counted(loaded.addon!));
});

for (const [i, c] of cases.entries()) {
  test(`native equals cpu within 1e-5 relative: ${c.name}`, { skip }, () => {
    const before = calls[c.kind];
    const got = c.run();
    assert.ok(calls[c.kind] > before, `${c.name}: the native ${c.kind} never ran`);
    const worst = worstRelative(reference[i], got);
    assert.ok(worst < 1e-5, `${c.name}: worst relative difference ${worst}`);
  });
}

test("what the native kernels leave to wasm still matches cpu (PReLU, batch dims broadcast both ways)", { skip }, async () => {
  const f = () => tf.tidy(() => arrays([
    tf.fused.matMul({ a: rnd([5, 4], 1) as tf.Tensor2D, b: rnd([4, 3], 2) as tf.Tensor2D, bias: rnd([3], 3), activation: "prelu", preluActivationWeights: rnd([3], 4) }),
    tf.fused.conv2d({ x: rnd([2, 5, 5, 3], 1) as tf.Tensor4D, filter: rnd([3, 3, 3, 4], 2) as tf.Tensor4D, strides: 1, pad: "same", bias: rnd([4], 3), activation: "prelu", preluActivationWeights: rnd([4], 4) }),
    tf.matMul(rnd([2, 1, 3, 4], 5), rnd([1, 3, 4, 2], 6)),
  ]));
  const before = { ...calls };
  const got = f();
  assert.deepEqual(calls, before, "none of these ran natively");
  await tf.setBackend("cpu");
  const want = f();
  await tf.setBackend("wasm");
  assert.ok(worstRelative(want, got) < 1e-5);
});

test("unregisterNativeKernels puts the wasm kernels back; registering again is harmless", { skip }, () => {
  const names = unregisterNativeKernels();
  assert.deepEqual(names.sort(), NATIVE_KERNEL_NAMES.slice().sort());
  assert.equal(tf.getKernel("Sum", "wasm")!.kernelFunc, wasmTrainingKernels.Sum as unknown, "our wasm Sum is back");
  const before = calls.gemm;
  tf.tidy(() => tf.matMul(rnd([3, 4], 1), rnd([4, 2], 2)).dataSync());
  assert.equal(calls.gemm, before, "no native call once unregistered");
  registerNativeKernels(counted(loaded.addon!));
  registerNativeKernels(counted(loaded.addon!));
  tf.tidy(() => tf.matMul(rnd([3, 4], 1), rnd([4, 2], 2)).dataSync());
  assert.equal(calls.gemm, before + 1, "one native call per matmul after registering twice");
});

test("the addon rejects tensors outside the wasm heap instead of reading them", { skip }, () => {
  const heap = new Uint8Array(64);
  const p = new Float64Array([0, 0, 4, 4, 4, 0, 0, 1000, 1, 0, 0, 0, -1, 0, 0]);
  assert.throws(() => loaded.addon!.gemm(heap, p), /gemm: tensor outside the wasm heap/);
  assert.throws(() => loaded.addon!.gemm(heap, new Float64Array(3)), /gemm: parameter \d+ missing/);
});
