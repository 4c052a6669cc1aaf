/**
 * The bench's choice of OpenBLAS core for the PyTorch reference (bench/blas-core.ts), on recorded
 * CPUs: forced where OpenBLAS fell back to an old core on an AVX-512 or AVX2 CPU, left alone where
 * its choice already uses the CPU's widest ISA or the BLAS is not OpenBLAS. No timings.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { bestCore, chooseCoreType, coreLevel, cpuLevel, parseCpuinfo } from "../../../bench/blas-core";

const cpu = (vendor: string, flags: string) => ({ vendor, flags: new Set(flags.split(" ")) });
const SSE = "fpu sse sse2 pni ssse3 sse4_1 sse4_2";
const AVX2 = `${SSE} avx fma avx2`;
const AVX512 = `${AVX2} avx512f avx512dq avx512cd avx512bw avx512vl`;
/** This build machine: an Emerald Rapids Xeon (model 207), which OpenBLAS 0.3.21 does not know. */
const XEON_NEW = cpu("GenuineIntel", `${AVX512} avx512_bf16 avx512_fp16 amx_tile`);
const SKYLAKE_X = cpu("GenuineIntel", AVX512);
const EPYC = cpu("AuthenticAMD", `${AVX512} avx512_bf16`);
const HASWELL = cpu("GenuineIntel", AVX2);
const ZEN2 = cpu("AuthenticAMD", AVX2);
const OLD = cpu("GenuineIntel", SSE);
const openblas = (corename: string) => ({ blas: "OpenBLAS 0.3.21", corename });

test("cpuLevel reads the widest vector ISA from the flags", () => {
  assert.equal(cpuLevel(XEON_NEW), 3);
  assert.equal(cpuLevel(HASWELL), 2);
  assert.equal(cpuLevel(cpu("GenuineIntel", `${SSE} avx`)), 1);
  assert.equal(cpuLevel(OLD), 0);
  assert.equal(cpuLevel(cpu("GenuineIntel", `${AVX2} avx512f`)), 2, "avx512f alone (no BW/VL/DQ) is not SkylakeX-class");
  assert.equal(cpuLevel(cpu("GenuineIntel", `${SSE} avx avx2`)), 1, "AVX2 without FMA");
});

test("coreLevel ranks OpenBLAS core names, case-insensitively; unknown names are null", () => {
  assert.equal(coreLevel("Prescott"), 0);
  assert.equal(coreLevel("SANDYBRIDGE"), 1);
  assert.equal(coreLevel("Haswell"), 2);
  assert.equal(coreLevel("Zen"), 2);
  assert.equal(coreLevel("SkylakeX"), 3);
  assert.equal(coreLevel("Cooperlake"), 3);
  assert.equal(coreLevel("NeoverseN1"), null);
});

test("bestCore: Cooperlake with BF16, SkylakeX with plain AVX-512, Haswell/Zen with AVX2", () => {
  assert.equal(bestCore(XEON_NEW), "Cooperlake");
  assert.equal(bestCore(SKYLAKE_X), "SkylakeX");
  assert.equal(bestCore(HASWELL), "Haswell");
  assert.equal(bestCore(ZEN2), "Zen");
  assert.equal(bestCore(OLD), null);
});

test("an AVX-512 Xeon that OpenBLAS ran on Prescott gets OPENBLAS_CORETYPE=Cooperlake, and the reason says so", () => {
  const c = chooseCoreType(openblas("Prescott"), XEON_NEW);
  assert.equal(c.coretype, "Cooperlake");
  assert.match(c.reason, /chose core Prescott \(SSE\) on a CPU with AVX-512/);
  assert.match(c.reason, /OPENBLAS_CORETYPE=Cooperlake/);
  assert.equal(chooseCoreType(openblas("Haswell"), SKYLAKE_X).coretype, "SkylakeX", "AVX2 core on an AVX-512 CPU");
});

test("an AVX2 CPU on an SSE core gets Haswell (Intel) or Zen (AMD)", () => {
  assert.equal(chooseCoreType(openblas("Prescott"), HASWELL).coretype, "Haswell");
  assert.equal(chooseCoreType(openblas("Nehalem"), ZEN2).coretype, "Zen");
});

test("OpenBLAS's own choice is kept when it already uses the CPU's widest ISA", () => {
  for (const [core, c] of [["Cooperlake", EPYC], ["SkylakeX", XEON_NEW], ["Haswell", HASWELL], ["Zen", ZEN2], ["Prescott", OLD]] as const) {
    const choice = chooseCoreType(openblas(core), c);
    assert.equal(choice.coretype, null, `${core}: ${choice.reason}`);
    assert.match(choice.reason, /OpenBLAS's own choice/);
  }
});

test("nothing is forced without OpenBLAS, without CPU flags, or for a core name it cannot rank", () => {
  assert.equal(chooseCoreType({ blas: "reference", corename: null }, XEON_NEW).coretype, null);
  assert.match(chooseCoreType({ blas: "BLIS", corename: null }, XEON_NEW).reason, /not OpenBLAS/);
  assert.equal(chooseCoreType(openblas("Prescott"), null).coretype, null);
  assert.equal(chooseCoreType(openblas("ThunderX2T99"), XEON_NEW).coretype, null);
});

test("parseCpuinfo reads vendor and flags of the first processor", () => {
  const text = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 207\nflags\t\t: fpu avx2 fma AVX512F\n\nprocessor\t: 1\nflags\t\t: fpu\n";
  const info = parseCpuinfo(text)!;
  assert.equal(info.vendor, "GenuineIntel");
  assert.deepEqual([...info.flags], ["fpu", "avx2", "fma", "avx512f"]);
  assert.equal(parseCpuinfo("Processor : ARMv7\n"), null);
});
