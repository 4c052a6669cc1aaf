/**
 * The native kernel tier (lib/backend/native-kernels.ts, oneDNN) gives the same values and
 * gradients as the pure-JS cpu backend within 1e-5 relative, on random shapes: matmuls with every
 * transpose, batched and broadcast, fused bias + each activation; conv2d with random strides,
 * paddings (same, valid, explicit), dilations (forward), batch, channels, fused bias + activation.
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
import { registerNativeKernels, unregisterNativeKernels } from "../../../lib/backend/native-kernels";
import { registerWasmTrainingKernels } from "../../../lib/backend/wasm-training-kernels";
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
const calls = { gemm: 0, conv: 0 };
/** The addon with its kernel entry points counted. */
function counted(a: NativeAddon): NativeAddon {
  return {
    ...a,
    gemm: (h, p) => { calls.gemm++; a.gemm(h, p); },
    conv: (h, p) => { calls.conv++; a.conv(h, p); },
    convImpl: (p) => a.convImpl(p), adam: (h, p) => a.adam(h, p), setThreads: (n) => a.setThreads(n), info: () => a.info(),
  };
}

/** A seeded stream of integers for the random shapes (a fixed LCG: the same cases every run). */
function ints(seed: number): (lo: number, hi: number) => number {
  let s = seed >>> 0;
  return (lo, hi) => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return lo + ((s >>> 16) % (hi - lo + 1)); // the high bits: an LCG's low bits repeat with a short period
  };
}

type Case = { name: string; kind: "gemm" | "conv"; run: () => number[][] };
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

const cases = [...matmulCases(), ...convCases()];
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
  assert.deepEqual(names.sort(), ["BatchMatMul", "Conv2D", "Conv2DBackpropFilter", "Conv2DBackpropInput", "FusedConv2D", "_FusedMatMul"]);
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
