/**
 * Property-based tests: random shapes, values and options thrown at the public losses and
 * diagnostics. Each call either returns finite results or throws an Error whose message starts with
 * the function's name (never a tfjs internal error), and leaks no tensors either way.
 * Values stay within ±1e6 (plus NaN / Infinity): float32 losses can overflow beyond ~1e19 by design.
 */
import { test, before } from "node:test";
import assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import fc from "fast-check";
import { initBackend } from "../../../lib/backend";
import { mulberry32 } from "../../../lib/random";
import { latentDistance, vicregLoss, sigregLoss, crossEntropy } from "../../../lib/losses";
import { effectiveRank, perDimStd, ridgeProbe, logisticProbe, knnProbe, splitTrainTest, surprise, collapseReport } from "../../../lib/eval";
import { takeRows } from "../../../lib/data";

before(async () => {
  await initBackend({ prefer: "cpu", verbose: false });
});

const RUNS = Number(process.env.FUZZ_RUNS) || 60;
// Random seed each run (fast-check prints it on failure); FUZZ_SEED=<n> replays one.
fc.configureGlobal({ includeErrorInReport: true, ...(process.env.FUZZ_SEED ? { seed: Number(process.env.FUZZ_SEED) } : {}) });

/** How a generated tensor's values are filled. */
type Fill = "normal" | "zero" | "constant" | "big" | "nan" | "inf";
interface Spec { shape: number[]; seed: number; fill: Fill }

const fillArb = fc.oneof(
  { arbitrary: fc.constant<Fill>("normal"), weight: 12 },
  { arbitrary: fc.constantFrom<Fill>("zero", "constant", "big", "nan", "inf"), weight: 3 },
);
/** Mostly valid (non-zero) sizes, sometimes an empty axis. */
const dimArb = (maxDim: number) => fc.oneof({ arbitrary: fc.integer({ min: 1, max: maxDim }), weight: 12 }, { arbitrary: fc.constant(0), weight: 1 });
/** Mostly the rank `usual`, sometimes any rank in [minRank, maxRank]. */
const shapeArb = (minRank = 0, maxRank = 3, maxDim = 5, usual = 2) =>
  fc.oneof(
    { arbitrary: fc.array(dimArb(maxDim), { minLength: usual, maxLength: usual }), weight: 3 },
    { arbitrary: fc.array(dimArb(maxDim), { minLength: minRank, maxLength: maxRank }), weight: 1 },
  );
const specArb = (shape = shapeArb()) => fc.record({ shape, seed: fc.integer({ min: 1, max: 1e6 }), fill: fillArb });
/** Two specs whose shapes agree most of the time. */
const pairArb = (shape = shapeArb()) =>
  fc.oneof(
    { arbitrary: fc.tuple(specArb(shape), fc.integer({ min: 1, max: 1e6 }), fillArb).map(([a, seed, fill]) => [a, { shape: a.shape, seed, fill }] as [Spec, Spec]), weight: 4 },
    { arbitrary: fc.tuple(specArb(shape), specArb(shape)), weight: 1 },
  );
/** An option value: mostly unset or valid, sometimes out of range, NaN or the wrong type. */
const optArb = (valid: fc.Arbitrary<number>) =>
  fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: valid, weight: 4 },
    { arbitrary: fc.constantFrom<unknown>(-1, 0, NaN, Infinity, "x", 5e-324), weight: 1 },
  );

function values(s: Spec): number[] {
  const r = mulberry32(s.seed);
  const n = s.shape.reduce((a, b) => a * b, 1);
  return Array.from({ length: n }, (_, i) => {
    switch (s.fill) {
      case "zero": return 0;
      case "constant": return 1.5;
      case "big": return (r() - 0.5) * 2e6;
      case "nan": return i === n - 1 ? NaN : r() - 0.5;
      case "inf": return i === 0 ? -Infinity : r() - 0.5;
      default: return 4 * (r() - 0.5);
    }
  });
}
const tensorOf = (s: Spec) => tf.tensor(values(s), s.shape, "float32");
/** Nested arrays of the spec's shape (rank 0 gives the bare number). */
function arrayOf(s: Spec): unknown {
  const flat = values(s);
  const build = (dims: number[], offset: number): unknown => {
    if (dims.length === 0) return flat[offset];
    const stride = dims.slice(1).reduce((a, b) => a * b, 1);
    return Array.from({ length: dims[0] }, (_, i) => build(dims.slice(1), offset + i * stride));
  };
  return build(s.shape, 0);
}

/** Outcome counts per function (FUZZ_STATS=1 prints them), to see both paths are exercised. */
const stats = new Map<string, { ok: number; threw: number }>();
process.on("exit", () => { if (process.env.FUZZ_STATS) console.log(JSON.stringify(Object.fromEntries(stats))); });

/** Runs f with tensors it creates; checks the outcome and that no tensor leaked. */
function check(name: string, f: (keep: <T extends tf.Tensor>(t: T) => T) => unknown): void {
  const made: tf.Tensor[] = [];
  const keep = <T extends tf.Tensor>(t: T) => { made.push(t); return t; };
  const before = tf.memory().numTensors;
  let out: unknown;
  const st = stats.get(name) ?? { ok: 0, threw: 0 };
  stats.set(name, st);
  try {
    out = f(keep);
    st.ok++;
  } catch (e) {
    st.threw++;
    if (process.env.FUZZ_STATS === "2") console.log(name, (e as Error).message.slice(0, 90));
    tf.dispose(made);
    assert.ok(e instanceof Error, `${name} threw a non-Error: ${String(e)}`);
    assert.ok(e.message.startsWith(`${name}: `), `${name} threw an error not naming it: ${e.message}`);
    assert.equal(tf.memory().numTensors, before, `${name} leaked tensors on an error path (${e.message})`);
    return;
  }
  const nums = collect(out);
  const created = tf.memory().numTensors;
  tf.dispose(made);
  disposeAll(out);
  assert.ok(nums.every(Number.isFinite), `${name} returned a non-finite value: ${nums.filter((v) => !Number.isFinite(v)).slice(0, 3)}`);
  assert.equal(tf.memory().numTensors, before, `${name} leaked tensors (${created - before - made.length} besides its result)`);
}

function collect(v: unknown): number[] {
  if (typeof v === "number") return [v];
  if (v instanceof tf.Tensor) return Array.from(v.dataSync());
  if (Array.isArray(v)) return v.flatMap(collect);
  if (v && typeof v === "object") return Object.values(v).flatMap(collect);
  return [];
}
function disposeAll(v: unknown): void {
  if (v instanceof tf.Tensor) v.dispose();
  else if (Array.isArray(v)) v.forEach(disposeAll);
  else if (v && typeof v === "object") Object.values(v).forEach(disposeAll);
}


test("fuzz latentDistance", () => {
  fc.assert(fc.property(pairArb(), fc.constantFrom("mse", "smoothL1", "cosine", "mse", "smoothL1", "cosine", "bogus"), fc.constantFrom("mean", "none"),
    optArb(fc.double({ min: 0.01, max: 10, noNaN: true })),
    ([sa, sb], kind, reduction, beta) => {
      check("latentDistance", (keep) =>
        latentDistance(keep(tensorOf(sa)), keep(tensorOf(sb)), { kind: kind as "mse", reduction: reduction as "mean", beta: beta as number }));
    }), { numRuns: RUNS });
});

test("fuzz vicregLoss", () => {
  fc.assert(fc.property(pairArb(shapeArb(1, 3, 6)), optArb(fc.double({ min: 0, max: 50, noNaN: true })), optArb(fc.double({ min: 1e-8, max: 1, noNaN: true })), ([sa, sb], sim, eps) => {
    check("vicregLoss", (keep) => vicregLoss(keep(tensorOf(sa)), keep(tensorOf(sb)), { sim: sim as number, eps: eps as number }));
  }), { numRuns: RUNS });
});

test("fuzz sigregLoss", () => {
  const opts = fc.record({
    slices: optArb(fc.integer({ min: 1, max: 8 })),
    knots: optArb(fc.integer({ min: 2, max: 20 })),
    tMax: optArb(fc.double({ min: 0.1, max: 8, noNaN: true })),
    seed: optArb(fc.integer({ min: -1e6, max: 1e6 })),
  });
  const dirs = fc.oneof(fc.constant(undefined), specArb(shapeArb(1, 3, 6)).map((s) => ({ s, asArray: s.seed % 2 === 0 })));
  fc.assert(fc.property(specArb(shapeArb(0, 3, 6)), opts, dirs, (sx, o, d) => {
    check("sigregLoss", (keep) => {
      const directions = d === undefined ? undefined : d.asArray ? (arrayOf(d.s) as number[][]) : keep(tensorOf(d.s)) as tf.Tensor2D;
      return sigregLoss(keep(tensorOf(sx)), { ...(o as object), directions });
    });
  }), { numRuns: RUNS });
});

test("fuzz crossEntropy", () => {
  // Labels mostly fit the logits: ids for the leading axes (array or int32 tensor) or probabilities of the same shape.
  const labelKind = fc.constantFrom("array", "int", "probs", "ids-wrong-length", "spec");
  fc.assert(fc.property(specArb(shapeArb(0, 3, 6)), labelKind, fc.integer({ min: 1, max: 1e6 }), specArb(), (sl, kind, seed, other) => {
    check("crossEntropy", (keep) => {
      const lead = sl.shape.slice(0, -1);
      const c = sl.shape[sl.shape.length - 1] ?? 1;
      const nLead = lead.reduce((a, b) => a * b, 1);
      const r = mulberry32(seed);
      const ids = Array.from({ length: nLead }, () => Math.floor(r() * (c + 0.2))); // sometimes id = C (out of range)
      const y =
        kind === "array" ? ids
        : kind === "int" ? keep(tf.tensor(ids, lead, "int32"))
        : kind === "probs" ? keep(tf.tensor(ids.flatMap((i) => Array.from({ length: c }, (_, j) => (j === i ? 1 : 0))), sl.shape, "float32"))
        : kind === "ids-wrong-length" ? ids.concat([0])
        : keep(tensorOf(other));
      return crossEntropy(keep(tensorOf(sl)), y);
    });
  }), { numRuns: RUNS });
});

test("fuzz effectiveRank and perDimStd (tensor and array inputs)", () => {
  fc.assert(fc.property(specArb(shapeArb(0, 3, 6)), fc.boolean(), fc.boolean(), (s, asArray, center) => {
    check("effectiveRank", (keep) => effectiveRank(asArray ? (arrayOf(s) as number[][]) : keep(tensorOf(s)), { center }));
    check("perDimStd", (keep) => perDimStd(asArray ? (arrayOf(s) as number[][]) : keep(tensorOf(s))));
  }), { numRuns: RUNS });
});

/** trainX, trainY, testX, testY specs with mostly-consistent sizes. */
const probeArb = fc.record({
  n: dimArb(12), m: dimArb(6), d: dimArb(5),
  seed: fc.integer({ min: 1, max: 1e6 }), fill: fillArb, skew: fc.constantFrom(0, 0, 0, 0, 0, 0, 1, -1), asArray: fc.boolean(),
});

test("fuzz ridgeProbe", () => {
  fc.assert(fc.property(probeArb, fc.integer({ min: 1, max: 3 }), optArb(fc.double({ min: 0, max: 10, noNaN: true })), (p, k, lambda) => {
    check("ridgeProbe", (keep) => {
      const mk = (shape: number[], fill: Fill) => (p.asArray ? (arrayOf({ shape, seed: p.seed, fill }) as number[][]) : keep(tensorOf({ shape, seed: p.seed, fill })));
      return ridgeProbe(mk([p.n, p.d], p.fill), mk([Math.max(0, p.n + p.skew), k], "normal"), mk([p.m, p.d], "normal"), mk([p.m, k], "normal"), { lambda: lambda as number });
    });
  }), { numRuns: RUNS });
});

const labelsOf = (n: number, seed: number, classes: number) => { const r = mulberry32(seed); return Array.from({ length: Math.max(n, 0) }, () => Math.floor(r() * classes)); };

test("fuzz logisticProbe and knnProbe", () => {
  fc.assert(fc.property(probeArb, fc.integer({ min: -1, max: 8 }), optArb(fc.integer({ min: 0, max: 20 })), fc.integer({ min: 1, max: 4 }), (p, k, steps, classes) => {
    const mk = (keep: <T extends tf.Tensor>(t: T) => T, shape: number[], fill: Fill) =>
      p.asArray ? (arrayOf({ shape, seed: p.seed, fill }) as number[][]) : keep(tensorOf({ shape, seed: p.seed, fill }));
    const ytr = labelsOf(p.n + p.skew, p.seed, classes);
    const yte = labelsOf(p.m, p.seed + 1, classes);
    check("logisticProbe", (keep) => logisticProbe(mk(keep, [p.n, p.d], p.fill), ytr, mk(keep, [p.m, p.d], "normal"), yte, { steps: steps as number }));
    check("knnProbe", (keep) => knnProbe(mk(keep, [p.n, p.d], p.fill), ytr, mk(keep, [p.m, p.d], "normal"), keep(tf.tensor1d(yte, "int32")), { k: k }).accuracy);
  }), { numRuns: RUNS });
});

test("fuzz surprise", () => {
  fc.assert(fc.property(pairArb(shapeArb(0, 4, 4, 3)), fc.boolean(), fc.constantFrom("mse", "cosine", "smoothL1"), ([sa, sb], asArray, kind) => {
    check("surprise", (keep) =>
      surprise(asArray ? (arrayOf(sa) as number[][][]) : keep(tensorOf(sa)), asArray ? (arrayOf(sb) as number[][][]) : keep(tensorOf(sb)), { kind: kind as "mse" }));
  }), { numRuns: RUNS });
});

test("fuzz splitTrainTest and takeRows", () => {
  fc.assert(fc.property(fc.oneof({ arbitrary: fc.integer({ min: -2, max: 50 }), weight: 4 }, { arbitrary: fc.double(), weight: 1 }),
    fc.oneof({ arbitrary: fc.double({ min: 0.01, max: 0.99, noNaN: true }), weight: 4 }, { arbitrary: fc.double(), weight: 1 }),
    fc.oneof({ arbitrary: fc.integer(), weight: 4 }, { arbitrary: fc.double(), weight: 1 }),
    fc.array(fc.integer({ min: -1, max: 10 }), { maxLength: 5 }), (n, fraction, seed, idx) => {
      check("splitTrainTest", () => {
        const s = splitTrainTest(n, fraction, seed);
        assert.equal(s.train.length + s.test.length, n);
        assert.ok(s.train.length > 0 && s.test.length > 0);
        return [s.train, s.test];
      });
      check("takeRows", (keep) => takeRows(keep(tf.zeros([8, 2])), idx));
    }), { numRuns: RUNS });
});

test("fuzz collapseReport: finite numbers or an error naming it; verdicts consistent; the same at any scale", () => {
  fc.assert(fc.property(specArb(shapeArb(1, 3, 8)), fc.boolean(), fc.constantFrom<"none" | "rows" | "short">("none", "rows", "short"),
    optArb(fc.double({ min: 0.05, max: 1, noNaN: true })), fc.double({ min: -3, max: 3, noNaN: true }),
    (s, asArray, labels, floor, logScale) => {
      const withPredictions = s.seed % 2 === 0;                            // half the runs: z predicting itself, shifted
      const rows = s.shape.length >= 1 ? s.shape.slice(0, -1).reduce((a, b) => a * b, 1) : 0;
      const y = labels === "none" ? undefined : Array.from({ length: labels === "rows" ? rows : Math.max(0, rows - 1) }, (_, i) => [i % 3, i % 2]);
      let rep: ReturnType<typeof collapseReport> | undefined;
      check("collapseReport", (keep) => {
        const predicted = withPredictions && s.shape.length === 2 ? (arrayOf({ ...s, seed: s.seed + 1 }) as number[][]) : undefined;
        rep = collapseReport(asArray && s.shape.length === 2 ? (arrayOf(s) as number[][]) : keep(tensorOf(s)), { labels: y, floor: floor as number, predicted });
        return rep;
      });
      if (!rep) return;
      assert.ok(!(rep.complete && rep.dimensional), "complete and dimensional at once");
      assert.equal(rep.verdict, rep.complete ? "complete" : rep.dimensional ? "dimensional" : "healthy");
      assert.ok(rep.stdRatio >= 0 && rep.stdRatio <= Math.sqrt(rep.n / (rep.n - 1)) + 1e-9, `stdRatio ${rep.stdRatio}`); // unbiased std
      assert.ok(rep.spreadRank <= rep.d + 1e-9 && rep.effectiveRank <= rep.d + 1e-6);
      const total = rep.spectrum.reduce((a, b) => a + b, 0);
      assert.ok(Math.abs(total - 1) < 1e-9 || total === 0, `spectrum sums to ${total}`);
      // scale-free: the same embeddings times 10^logScale give the same report
      const c = 10 ** logScale;
      const scaled = collapseReport(values(s).map((v) => v * c).reduce<number[][]>((acc, v, i) => {
        const d = rep!.d;
        if (i % d === 0) acc.push([]);
        acc[acc.length - 1].push(v);
        return acc;
      }, []), { labels: y, floor: floor as number,
        predicted: withPredictions && s.shape.length === 2 ? values({ ...s, seed: s.seed + 1 }).map((v) => v * c).reduce<number[][]>((acc, v, i) => {
          if (i % rep!.d === 0) acc.push([]);
          acc[acc.length - 1].push(v);
          return acc;
        }, []) : undefined });
      if (rep.energyRatio !== undefined) assert.ok(Math.abs((scaled.energyRatio ?? NaN) - rep.energyRatio) < 1e-6 * Math.max(1, rep.energyRatio), `energyRatio at scale ${c}`);
      assert.equal(scaled.verdict, rep.verdict, `verdict changed at scale ${c}: ${rep.reason} vs ${scaled.reason}`);
      assert.ok(Math.abs(scaled.stdRatio - rep.stdRatio) < 1e-6, `stdRatio ${rep.stdRatio} vs ${scaled.stdRatio} at scale ${c}`);
    }), { numRuns: RUNS });
});
