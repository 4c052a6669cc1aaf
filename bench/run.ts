/**
 * `npm run bench`: trains the three reference workloads (bench/workloads: MLP JEPA of notebook 03,
 * conv/patch JEPA of notebook 04, char AR model of notebook 01) for a fixed number of steps on
 * every tfjs backend that starts here (tensorflow if @tensorflow/tfjs-node loads; native = wasm with
 * the oneDNN kernel tier, if the addon loads; wasm with this package's training kernels; cpu with
 * fewer steps), then the same workloads in PyTorch (bench/torch_bench.py, afterwards, never
 * concurrently). Prints steps/s, examples/s, achieved GFLOP/s (forward+backward matmul/conv FLOPs
 * counted analytically: 3x the forward of trained layers, 1x for the EMA target) and the ratio
 * ours/PyTorch in examples/s against PyTorch at its best: the faster of its runs with up to
 * BENCH_TORCH_THREADS[0] threads, on the OpenBLAS core that suits the CPU (bench/blas-core.ts says
 * which and why; every PyTorch row names its BLAS, core and threads). Writes
 * bench/results/<date>-<short git sha>.json.
 *
 * After each timed native/wasm row, a per-kernel profile of a few more steps (bench/profile.ts):
 * dispatches per step, time per kernel type, and the time outside kernels.
 *
 * Also CPU time per step (process user+system time over the timed steps): with other work on the
 * machine, wall time measures the share we got; CPU time is steadier. "by CPU time" columns are
 * PyTorch-CPU-time / our-CPU-time, against the reference and against PyTorch on 1 thread.
 *
 * Environment:
 *   MINI_JEPA_THREADS=n  threads for our native row (oneDNN; default 1).
 *   BENCH_STEPS=n        timed steps per workload (cpu and wasm-stock: n/20, at least 1). Default per workload.
 *   BENCH_BACKENDS=a,b   only these of tensorflow, native, wasm, wasm-basic, wasm-stock, cpu. Default
 *                        tensorflow,native,wasm,cpu. For comparison: wasm-stock = tfjs's own wasm kernels
 *                        plus only the two missing ones; wasm-basic = the kernels needed to train (missing
 *                        ones, conv input gradient, matmuls with transposes on XNNPACK), no speedups.
 *   BENCH_WORKLOADS=a,b  only these workloads.
 *   BENCH_CPU_ALL=1      also run conv-jepa on the cpu backend (skipped by default: minutes per step).
 *   BENCH_FUSED=0        build layers from separate matMul/add/relu instead of the fused kernels.
 *   BENCH_FUSED_ADAM=0   tfjs's Adam instead of the fused one (lib/backend/fused-adam.ts).
 *   BENCH_PROFILE=0      skip the per-kernel profiles.
 *   BENCH_TORCH=0        skip PyTorch.   BENCH_TORCH_THREADS=2,1  PyTorch thread counts (first = reference).
 *   BENCH_OUT=dir        where to write the JSON (default bench/results).
 */
import * as tf from "@tensorflow/tfjs";
import { execFileSync, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { loadNativeAddon, requestedThreads } from "../lib/backend/native/addon";
import { registerNativeKernels, unregisterNativeKernels } from "../lib/backend/native-kernels";
import { registerWasmTrainingKernels, restoreStockWasmKernels } from "../lib/backend/wasm-training-kernels";
import { prepareWasmThreads, wasmThreads, withCoreCount } from "../lib/backend/wasm-threads";
import { setSeed } from "../lib/random";
import { BlasProbe, CpuInfo, chooseCoreType, parseCpuinfo } from "./blas-core";
import { profileSteps, profileTable } from "./profile";
import { LayerOptions, Workload, charAr, convJepa, mlpJepa } from "./workloads";

type Backend = "tensorflow" | "native" | "wasm" | "wasm-basic" | "wasm-stock" | "cpu";

/** wasm-basic: what training needs, none of the speed-ups. */
const BASIC_KERNELS = ["Conv2DBackpropFilter", "Conv2DBackpropInput", "UnsortedSegmentSum", "BatchMatMul", "_FusedMatMul"];

/** One measured row of the table. */
interface Row {
  workload: string;
  backend: string;
  steps: number;
  seconds: number;
  stepsPerSec: number;
  examplesPerSec: number;
  gflops: number;
  /** Process CPU time per step, milliseconds. */
  cpuMsPerStep: number;
  loss: number;
  /** ours / PyTorch in examples per second (null without PyTorch). */
  ratio: number | null;
  /** PyTorch (2 threads) CPU time per step / ours (null without PyTorch). */
  cpuRatio: number | null;
  /** PyTorch (1 thread) CPU time per step / ours (null without that run). */
  cpuRatio1: number | null;
  /** Tensors left behind per step (should be 0; null when not measurable). */
  leakedTensorsPerStep?: number | null;
  /** Threads used (PyTorch's intra-op threads; ours: MINI_JEPA_THREADS). */
  threads?: number;
  /** PyTorch rows: OpenBLAS's thread count. */
  blasThreads?: number | null;
  /** Our rows: the per-kernel profile (bench/profile.ts). */
  profile?: { dispatches: number; stepMs: number; kernelMs: number; kernels: { kernel: string; calls: number; ms: number }[] };
}

const WORKLOADS: Record<string, { build: (o: LayerOptions) => Workload; steps: number }> = {
  "mlp-jepa": { build: (o) => mlpJepa(o), steps: 100 },
  "conv-jepa": { build: (o) => convJepa(o), steps: 20 },
  "char-ar": { build: (o) => charAr(o), steps: 200 },
};

const env = process.env;
/** OMP_WAIT_POLICY as the user gave it (loading our addon sets it to passive for this process). */
const userOmpPolicy = env.OMP_WAIT_POLICY;
const only = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : null);
const stepsOverride = env.BENCH_STEPS ? Math.max(1, Number.parseInt(env.BENCH_STEPS, 10)) : null;
const layers: LayerOptions = { fused: env.BENCH_FUSED !== "0", fusedAdam: env.BENCH_FUSED_ADAM !== "0" };
const workloadNames = only(env.BENCH_WORKLOADS) ?? Object.keys(WORKLOADS);
const backendNames = (only(env.BENCH_BACKENDS) ?? ["tensorflow", "native", "wasm", "cpu"]) as Backend[];
const threads = requestedThreads();
const profileOn = env.BENCH_PROFILE !== "0";

function stepsFor(workload: string, backend: Backend): number {
  const base = stepsOverride ?? WORKLOADS[workload].steps;
  return backend === "cpu" || backend === "wasm-stock" ? Math.max(1, Math.ceil(base / 20)) : base;
}

async function startBackend(name: Backend): Promise<string> {
  if (name === "tensorflow") {
    require("@tensorflow/tfjs-node"); // throws where it did not install
    if (!(await tf.setBackend("tensorflow"))) throw new Error("setBackend('tensorflow') returned false");
    return "native TensorFlow";
  }
  if (name.startsWith("wasm") || name === "native") {
    const native = name === "native" ? loadNativeAddon() : null;
    if (native && !native.addon) throw new Error(native.reason);
    require("@tensorflow/tfjs-backend-wasm");
    // Threaded wasm only in a process of its own (bench/threads children run with MINI_JEPA_NATIVE=0).
    const wasmT = name === "wasm" && threads > 1 && env.MINI_JEPA_NATIVE === "0" ? threads : 1;
    if (wasmT > 1) prepareWasmThreads(wasmT);
    if (!(await withCoreCount(wasmT, () => tf.setBackend("wasm")))) throw new Error("setBackend('wasm') returned false");
    await tf.ready();
    unregisterNativeKernels();
    restoreStockWasmKernels();
    if (native?.addon) {
      registerWasmTrainingKernels();
      return `${native.reason}: ${registerNativeKernels(native.addon).join(", ")} (+ wasm training kernels)`;
    }
    if (name === "wasm") return `${wasmThreads() > 1 ? `${wasmThreads()} threads, ` : ""}patched: ${registerWasmTrainingKernels().join(", ")}`;
    if (name === "wasm-basic") return `patched: ${registerWasmTrainingKernels({ only: BASIC_KERNELS }).join(", ")}`;
    return `stock + ${registerWasmTrainingKernels({ only: ["Conv2DBackpropFilter", "UnsortedSegmentSum"] }).join(", ")}`;
  }
  if (!(await tf.setBackend("cpu"))) throw new Error("setBackend('cpu') returned false");
  return "pure JavaScript";
}

function measure(name: string, backend: Backend): Row {
  setSeed(1);
  const w = WORKLOADS[name].build(layers);
  const steps = stepsFor(name, backend);
  const warmup = backend === "cpu" || backend === "wasm-stock" ? 0 : Math.min(3, steps); // slow backends: every step counts
  try {
    const row = timeSteps(w, name, backend, steps, warmup);
    if (profileOn && (backend === "native" || backend === "wasm")) {
      const p = profileSteps("wasm", () => w.step().dispose(), Math.max(3, Math.ceil(steps / 5)));
      console.log(`\n${profileTable(`[bench] profile of one ${name} step on ${backend} (${threads} thread${threads > 1 ? "s" : ""})`, p)}\n`);
      row.profile = { dispatches: p.dispatches, stepMs: p.stepMs, kernelMs: p.kernelMs, kernels: p.kernels };
    }
    return row;
  } finally {
    w.dispose();
  }
}

function timeSteps(w: Workload, name: string, backend: Backend, steps: number, warmup: number): Row {
  for (let i = 0; i < warmup; i++) w.step().dispose();
  // Tensor count after each step: the optimiser makes its state on the first step ever, so leaks
  // are judged from the second measured step on (null when there is only one step and no warm-up).
  const counts: number[] = [tf.memory().numTensors];
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  let loss = NaN;
  for (let i = 0; i < steps; i++) {
    const l = w.step();
    if (i === steps - 1) loss = l.dataSync()[0]; // reading back waits for the work on async backends
    l.dispose();
    counts.push(tf.memory().numTensors);
  }
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const from = warmup > 0 ? 0 : 1;
  const leaked = steps - from > 0 ? (counts[steps] - counts[from]) / (steps - from) : null;
  return {
    workload: name, backend, steps, seconds, stepsPerSec: steps / seconds, examplesPerSec: (steps * w.batch) / seconds,
    gflops: (steps * w.flopsPerStep) / seconds / 1e9, cpuMsPerStep: (cpu.user + cpu.system) / 1000 / steps, loss,
    ratio: null, cpuRatio: null, cpuRatio1: null, leakedTensorsPerStep: leaked,
    threads: backend === "native" ? threads : backend.startsWith("wasm") ? wasmThreads() : 1,
  };
}

function python(): string {
  return fs.existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3";
}

/** What torch_bench.py reports about the BLAS (with --probe, and with its results). */
interface TorchBlas extends BlasProbe {
  torch: string;
  config: string | null;
  blasThreads: number | null;
}

/** The CPU's vendor and flags (Linux); null elsewhere. */
function cpuInfo(): CpuInfo | null {
  try {
    return parseCpuinfo(fs.readFileSync("/proc/cpuinfo", "utf8"));
  } catch {
    return null;
  }
}

/**
 * Runs bench/torch_bench.py at its best: probes the BLAS core PyTorch gets, forces a better
 * OPENBLAS_CORETYPE where OpenBLAS fell back to an old core (bench/blas-core.ts), and prints what it
 * used. Null (with a printed reason) when PyTorch is not importable.
 */
function runTorch(flops: Record<string, number>): Row[] | null {
  const py = python();
  const script = path.join(__dirname, "torch_bench.py");
  const probeEnv = { ...env };
  delete probeEnv.OPENBLAS_CORETYPE; // judge OpenBLAS's own choice
  const probe = spawnSync(py, [script, "--probe"], { encoding: "utf8", env: probeEnv });
  if (probe.status !== 0) {
    console.log(`PyTorch not importable (${py}): apt-get install python3-torch libopenblas0-pthread  (ratios skipped)`);
    return null;
  }
  const found = JSON.parse(probe.stdout.trim().split("\n").pop() as string) as TorchBlas;
  const choice = env.OPENBLAS_CORETYPE
    ? { coretype: env.OPENBLAS_CORETYPE, reason: `OPENBLAS_CORETYPE=${env.OPENBLAS_CORETYPE} given by you` }
    : chooseCoreType(found, cpuInfo());
  console.log(`[bench] PyTorch ${found.torch}, ${found.blas}: ${choice.reason}`);
  if (found.blas === "reference") {
    console.log("WARNING: PyTorch runs on the reference (netlib) BLAS here, not OpenBLAS: its matmuls are ~15x slower and the ratios below flatter us. apt-get install libopenblas0-pthread");
  }
  const steps: Record<string, number> = {};
  for (const n of Object.keys(WORKLOADS)) steps[n] = workloadNames.includes(n) ? stepsFor(n, "wasm") : 0;
  const torchThreads = (env.BENCH_TORCH_THREADS ?? "2,1").split(",").map(Number).filter((t) => t > 0);
  const runEnv: NodeJS.ProcessEnv = { ...probeEnv, ...(choice.coretype ? { OPENBLAS_CORETYPE: choice.coretype } : {}) };
  delete runEnv.OMP_WAIT_POLICY;
  // OpenMP's default wait policy spins between kernels, which is fastest on idle cores and much
  // slower on a busy machine; libgomp reads it at start, so multi-threaded runs go again passive.
  const runs = [{ policy: userOmpPolicy ?? "", threads: torchThreads }];
  if (userOmpPolicy === undefined && torchThreads.some((t) => t > 1)) runs.push({ policy: "passive", threads: torchThreads.filter((t) => t > 1) });
  const rows: Row[] = [];
  for (const run of runs) {
    const res = spawnSync(py, [script, JSON.stringify({ steps, warmup: 3, threads: run.threads })], {
      encoding: "utf8", env: { ...runEnv, ...(run.policy ? { OMP_WAIT_POLICY: run.policy } : {}) }, stdio: ["ignore", "pipe", "inherit"],
    });
    if (res.status !== 0) {
      console.log(`PyTorch benchmark failed (exit ${res.status}${run.policy ? `, OMP_WAIT_POLICY=${run.policy}` : ""})`);
      continue;
    }
    const out = JSON.parse(res.stdout.trim().split("\n").pop() as string) as TorchBlas & { results: TorchResult[] };
    if (choice.coretype && out.corename && out.corename.toLowerCase() !== choice.coretype.toLowerCase()) {
      console.log(`WARNING: asked OpenBLAS for core ${choice.coretype}, it ran ${out.corename}`);
    }
    const core = out.corename ? ` core ${out.corename}${choice.coretype ? " (forced)" : ""}` : "";
    rows.push(...out.results.map((r) => ({
      ...r, backend: `pytorch ${out.torch} ${out.blas}${core}, ${r.threads} thread${r.threads > 1 ? "s" : ""}` +
        (r.blasThreads ? ` (BLAS ${r.blasThreads})` : "") + (run.policy && r.threads > 1 ? `, OMP ${run.policy}` : ""),
      gflops: (r.steps * flops[r.workload]) / r.seconds / 1e9, ratio: null, cpuRatio: null, cpuRatio1: null,
    })));
  }
  return rows.length ? rows : null;
}

/** One result row of torch_bench.py. */
type TorchResult = Omit<Row, "backend" | "gflops" | "ratio" | "cpuRatio" | "cpuRatio1"> & { threads: number; blasThreads: number | null };

/**
 * Our rows at the other thread counts of BENCH_THREADS (default 1,2): a child process each (threads
 * are fixed when a backend starts), native with oneDNN threads, and wasm threaded with the native
 * tier off. Runs one child at a time.
 */
function otherThreadCounts(backends: Record<string, string>): Row[] {
  const counts = (env.BENCH_THREADS ?? "1,2").split(",").map(Number).filter((t) => Number.isInteger(t) && t > 0 && t !== threads);
  const out: Row[] = [];
  for (const t of counts) {
    for (const b of (["native", "wasm"] as const).filter((x) => backendNames.includes(x) && (x === "wasm" || backends.native))) {
      const res = spawnSync(process.execPath, ["--import", "tsx", __filename], {
        encoding: "utf8", stdio: ["ignore", "pipe", "inherit"],
        env: { ...env, MINI_JEPA_THREADS: String(t), BENCH_BACKENDS: b, BENCH_CHILD: "1", BENCH_TORCH: "0", ...(b === "wasm" ? { MINI_JEPA_NATIVE: "0" } : {}) },
      });
      const line = (res.stdout ?? "").split("\n").find((l) => l.startsWith("BENCH_ROWS "));
      process.stdout.write((res.stdout ?? "").split("\n").filter((l) => !l.startsWith("BENCH_ROWS ")).join("\n"));
      if (res.status !== 0 || !line) {
        console.log(`[bench] ${b} with ${t} threads failed (exit ${res.status})`);
        continue;
      }
      const child = JSON.parse(line.slice("BENCH_ROWS ".length)) as { rows: Row[]; backends: Record<string, string> };
      backends[`${b} (${t} threads)`] = child.backends[b];
      out.push(...child.rows);
    }
  }
  return out;
}

function table(rows: Row[]): string {
  const head = ["workload", "backend", "steps", "steps/s", "examples/s", "GFLOP/s", "ours/PyTorch", "CPU ms/step",
    "ours/PyTorch by CPU time", "same, vs PyTorch 1 thread"];
  const f = (v: number | null) => (v === null ? "-" : v.toFixed(3));
  const body = rows.map((r) => [
    r.workload, r.backend.startsWith("pytorch") || !r.threads || r.threads === 1 ? r.backend : `${r.backend}, ${r.threads} threads`, String(r.steps), r.stepsPerSec.toFixed(2), r.examplesPerSec.toFixed(0), r.gflops.toFixed(2),
    f(r.ratio), r.cpuMsPerStep.toFixed(1), f(r.cpuRatio), f(r.cpuRatio1),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i].length)));
  const line = (cells: string[]) => "| " + cells.map((c, i) => c.padEnd(widths[i])).join(" | ") + " |";
  return [line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...body.map(line)].join("\n");
}

function gitSha(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: __dirname, encoding: "utf8" }).trim();
  } catch {
    return "nogit";
  }
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const backends: Record<string, string> = {};
  const flops: Record<string, number> = {};
  for (const n of workloadNames) {
    if (!WORKLOADS[n]) throw new Error(`bench: unknown workload '${n}' in BENCH_WORKLOADS; expected ${Object.keys(WORKLOADS).join(", ")}`);
  }
  for (const b of backendNames) {
    try {
      backends[b] = await startBackend(b);
    } catch (err) {
      const msg = err instanceof Error ? err.message.split("\n")[0] : String(err);
      console.log(`[bench] ${b}: not available (${msg.slice(0, 120)})`);
      continue;
    }
    console.log(`[bench] ${b}: ${backends[b]}`);
    for (const n of workloadNames) {
      if (b === "cpu" && n === "conv-jepa" && env.BENCH_CPU_ALL !== "1") {
        console.log(`[bench] ${n} on cpu: skipped (one step takes minutes in pure JavaScript; BENCH_CPU_ALL=1 runs it)`);
        continue;
      }
      try {
        const r = measure(n, b);
        rows.push(r);
        console.log(`[bench] ${n} on ${b}: ${r.stepsPerSec.toFixed(2)} steps/s, ${r.gflops.toFixed(2)} GFLOP/s, loss ${r.loss.toFixed(4)}` +
          (r.leakedTensorsPerStep ? `, LEAK ${r.leakedTensorsPerStep} tensors/step` : ""));
      } catch (err) {
        console.log(`[bench] ${n} on ${b}: failed: ${(err instanceof Error ? err.message : String(err)).split("\n")[0].slice(0, 160)}`);
      }
    }
  }
  if (env.BENCH_CHILD === "1") {
    console.log(`BENCH_ROWS ${JSON.stringify({ rows, backends })}`);
    process.exit(0); // threaded wasm's workers would keep the process alive
  }
  rows.push(...otherThreadCounts(backends));
  for (const n of workloadNames) {
    const w = WORKLOADS[n].build(layers); // counts only; built on the last backend and freed
    flops[n] = w.flopsPerStep;
    w.dispose();
  }
  const torchRows = env.BENCH_TORCH === "0" ? null : runTorch(flops);
  if (torchRows) {
    const refThreads = (env.BENCH_TORCH_THREADS ?? "2,1").split(",").map(Number);
    for (const r of rows) {
      // The reference: PyTorch at its best, the fastest of its runs (on a busy machine 2 OpenMP threads can lose to 1).
      const ref = torchRows.filter((t) => t.workload === r.workload && (t.threads ?? 1) <= Math.max(...refThreads))
        .reduce<Row | undefined>((b, t) => (!b || t.examplesPerSec > b.examplesPerSec ? t : b), undefined);
      const one = torchRows.find((t) => t.workload === r.workload && t.threads === 1);
      r.ratio = ref ? r.examplesPerSec / ref.examplesPerSec : null;
      r.cpuRatio = ref ? ref.cpuMsPerStep / r.cpuMsPerStep : null;
      r.cpuRatio1 = one ? one.cpuMsPerStep / r.cpuMsPerStep : null;
    }
    rows.push(...torchRows);
  }
  rows.sort((a, b) => workloadNames.indexOf(a.workload) - workloadNames.indexOf(b.workload));
  console.log(`\n${table(rows)}\n`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")} on ${os.cpus().length} cores (other work on the machine skews timings)`);
  const outDir = env.BENCH_OUT ?? path.join(__dirname, "results");
  fs.mkdirSync(outDir, { recursive: true });
  const stamp = new Date().toISOString().slice(0, 16).replace(/:/g, "");
  const file = path.join(outDir, `${stamp}-${gitSha()}.json`);
  fs.writeFileSync(file, JSON.stringify({
    date: new Date().toISOString(), git: gitSha(), node: process.version, cpu: os.cpus()[0]?.model, cores: os.cpus().length,
    loadavg: os.loadavg(), layers, threads, flopsPerStep: flops, backends, rows,
  }, null, 2));
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
