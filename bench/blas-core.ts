/**
 * Which OpenBLAS core the PyTorch reference of `npm run bench` should run on (bench/run.ts).
 *
 * OpenBLAS built with DYNAMIC_ARCH (Debian's) picks a kernel set ("core") for the CPU at load
 * time. A release older than the CPU does not know its model number and falls back to
 * "Prescott" (SSE3 kernels): Debian's 0.3.21 does this on Sapphire/Emerald Rapids Xeons, where
 * PyTorch's matmuls then run 4-5x slower and every ours/PyTorch ratio flatters us. Setting
 * `OPENBLAS_CORETYPE` forces a core; this file decides which from the CPU's flags (/proc/cpuinfo),
 * and says why. Pure functions: the bench's unit test feeds them recorded CPUs.
 */

/** What `bench/torch_bench.py --probe` reports about the BLAS under PyTorch. */
export interface BlasProbe {
  /** "OpenBLAS 0.3.21", "reference", "BLIS" or "unknown". */
  blas: string;
  /** OpenBLAS's core in use (`openblas_get_corename`), null when not OpenBLAS. */
  corename: string | null;
}

/** The CPU, as /proc/cpuinfo tells it. */
export interface CpuInfo {
  /** "GenuineIntel", "AuthenticAMD", ... ("" when unknown). */
  vendor: string;
  /** Feature flags (lower case, e.g. "avx2", "avx512f", "avx512_bf16"). */
  flags: ReadonlySet<string>;
}

/** The decision: force a core or not, and the sentence the bench prints. */
export interface CoreChoice {
  /** Value for OPENBLAS_CORETYPE, or null to leave OpenBLAS's own choice. */
  coretype: string | null;
  /** Why (printed by the bench next to the PyTorch rows). */
  reason: string;
}

/** Vector ISA levels, in order: what a core's kernels use and what a CPU can run. */
export type IsaLevel = 0 | 1 | 2 | 3; // 0 SSE only, 1 AVX, 2 AVX2+FMA, 3 AVX-512 (F, BW, VL, DQ)

const ISA_NAMES = ["SSE", "AVX", "AVX2", "AVX-512"];

/** OpenBLAS x86-64 cores by the widest ISA their kernels use (names as openblas_get_corename prints). */
const CORE_LEVEL: Record<string, IsaLevel> = {
  prescott: 0, core2: 0, penryn: 0, dunnington: 0, nehalem: 0, atom: 0, opteron: 0, barcelona: 0, bobcat: 0,
  katmai: 0, coppermine: 0, northwood: 0, banias: 0, athlon: 0, "opteron_sse3": 0,
  sandybridge: 1, bulldozer: 1, piledriver: 1, steamroller: 1, excavator: 1,
  haswell: 2, zen: 2, skylake: 2,
  skylakex: 3, cooperlake: 3, sapphirerapids: 3,
};

/** The widest vector ISA the CPU runs, from its flags. */
export function cpuLevel(cpu: CpuInfo): IsaLevel {
  const f = cpu.flags;
  if (["avx512f", "avx512bw", "avx512vl", "avx512dq"].every((x) => f.has(x))) return 3;
  if (f.has("avx2") && f.has("fma")) return 2;
  if (f.has("avx")) return 1;
  return 0;
}

/** ISA level of an OpenBLAS core name; null for a name this table does not know. */
export function coreLevel(corename: string): IsaLevel | null {
  const l = CORE_LEVEL[corename.toLowerCase()];
  return l === undefined ? null : l;
}

/** The core Debian's OpenBLAS (0.3.21) has for the CPU's widest ISA (it also knows these names). */
export function bestCore(cpu: CpuInfo): string | null {
  const level = cpuLevel(cpu);
  if (level === 3) return cpu.flags.has("avx512_bf16") ? "Cooperlake" : "SkylakeX";
  if (level === 2) return cpu.vendor === "AuthenticAMD" || cpu.vendor === "HygonGenuine" ? "Zen" : "Haswell";
  if (level === 1) return "Sandybridge";
  return null;
}

/**
 * Whether to force OPENBLAS_CORETYPE for the reference, and why. Forces one only when the BLAS is
 * OpenBLAS, its core is one this table knows, and that core uses a narrower ISA than the CPU has.
 */
export function chooseCoreType(probe: BlasProbe, cpu: CpuInfo | null): CoreChoice {
  if (!probe.blas.startsWith("OpenBLAS") || !probe.corename) {
    return { coretype: null, reason: `BLAS is ${probe.blas}, not OpenBLAS: no core to choose` };
  }
  const have = coreLevel(probe.corename);
  if (!cpu) return { coretype: null, reason: `core ${probe.corename} (CPU flags unknown here: kept)` };
  const can = cpuLevel(cpu);
  if (have === null) return { coretype: null, reason: `core ${probe.corename} (a core this bench does not rank: kept)` };
  if (have >= can) return { coretype: null, reason: `core ${probe.corename} (OpenBLAS's own choice, uses ${ISA_NAMES[have]}: the CPU's widest)` };
  const best = bestCore(cpu)!;
  return {
    coretype: best,
    reason: `OpenBLAS chose core ${probe.corename} (${ISA_NAMES[have]}) on a CPU with ${ISA_NAMES[can]} (it does not know this CPU): ` +
      `the reference runs with OPENBLAS_CORETYPE=${best}`,
  };
}

/** Parses /proc/cpuinfo text (the first processor's vendor and flags); null when it has none. */
export function parseCpuinfo(text: string): CpuInfo | null {
  const field = (name: string) => text.match(new RegExp(`^${name}\\s*:\\s*(.*)$`, "m"))?.[1].trim();
  const flags = field("flags");
  if (flags === undefined) return null;
  return { vendor: field("vendor_id") ?? "", flags: new Set(flags.toLowerCase().split(/\s+/).filter(Boolean)) };
}
