/**
 * Per-kernel profile of a training step for `npm run bench`: how many kernels the tfjs engine
 * dispatches per step, of which type, and the time spent inside each type (wall clock, inclusive
 * of kernels a kernel runs itself). What is left of the step is the engine's own work between
 * kernels (gradient tape, tidy, tensor bookkeeping) plus JavaScript in the model.
 *
 * It wraps every kernel registered for the backend while `profileSteps` runs, then puts the
 * originals back. Only top-level dispatches are counted: a kernel that calls another registered
 * kernel (our matmul calling Transpose) adds to its own time, not to the count.
 */
import * as tf from "@tensorflow/tfjs";

/** One kernel type in the profile. */
export interface KernelStat {
  kernel: string;
  /** Dispatches per step. */
  calls: number;
  /** Milliseconds per step inside this kernel type. */
  ms: number;
}

/** A profile of `steps` steps. */
export interface Profile {
  /** Wall milliseconds per step. */
  stepMs: number;
  /** Kernel dispatches per step (top level). */
  dispatches: number;
  /** Milliseconds per step inside kernels. */
  kernelMs: number;
  /** Kernel types, most time first. */
  kernels: KernelStat[];
}

/** Runs `step` `steps` times with every kernel of `backendName` wrapped in a counter and a timer. */
export function profileSteps(backendName: string, step: () => void, steps: number): Profile {
  const w = wrapKernels(backendName);
  try {
    const t0 = performance.now();
    for (let i = 0; i < steps; i++) step();
    return w.profile(performance.now() - t0, steps);
  } finally {
    w.restore();
  }
}

/** The same for an async run of `steps` steps (a `train()` call). */
export async function profileRun(backendName: string, run: () => Promise<unknown>, steps: number): Promise<Profile> {
  const w = wrapKernels(backendName);
  try {
    const t0 = performance.now();
    await run();
    return w.profile(performance.now() - t0, steps);
  } finally {
    w.restore();
  }
}

/** Wraps every kernel of the backend; `profile` reads the counts per step, `restore` puts the originals back. */
function wrapKernels(backendName: string): { profile(ms: number, steps: number): Profile; restore(): void } {
  const stats = new Map<string, { calls: number; ms: number }>();
  const configs = tf.getKernelsForBackend(backendName);
  let depth = 0;
  for (const cfg of configs) {
    const inner = cfg.kernelFunc;
    const stat = { calls: 0, ms: 0 };
    stats.set(cfg.kernelName, stat);
    const wrapped: tf.KernelFunc = (args) => {
      if (depth > 0) return inner(args);
      depth++;
      const t0 = performance.now();
      try {
        return inner(args);
      } finally {
        stat.ms += performance.now() - t0;
        stat.calls++;
        depth--;
      }
    };
    swap(cfg, wrapped);
  }
  return {
    profile(ms, steps) {
      const kernels = [...stats].filter(([, s]) => s.calls > 0)
        .map(([kernel, s]) => ({ kernel, calls: s.calls / steps, ms: s.ms / steps }))
        .sort((a, b) => b.ms - a.ms);
      return {
        stepMs: ms / steps, kernels,
        dispatches: kernels.reduce((n, k) => n + k.calls, 0),
        kernelMs: kernels.reduce((n, k) => n + k.ms, 0),
      };
    },
    restore() {
      for (const cfg of configs) swap(cfg, cfg.kernelFunc);
    },
  };
}

function swap(cfg: tf.KernelConfig, kernelFunc: tf.KernelFunc): void {
  tf.unregisterKernel(cfg.kernelName, cfg.backendName);
  tf.registerKernel({ ...cfg, kernelFunc });
}

/** The profile as a text table: the `top` kernel types by time, the rest summed, and the time outside kernels. */
export function profileTable(title: string, p: Profile, top = 12): string {
  const rows = p.kernels.slice(0, top).map((k) => [k.kernel, k.calls.toFixed(0), (1000 * k.ms / k.calls).toFixed(1), k.ms.toFixed(2), pct(k.ms, p.stepMs)]);
  const rest = p.kernels.slice(top);
  if (rest.length) {
    const calls = rest.reduce((n, k) => n + k.calls, 0), ms = rest.reduce((n, k) => n + k.ms, 0);
    rows.push([`${rest.length} other kernel types`, calls.toFixed(0), (1000 * ms / calls).toFixed(1), ms.toFixed(2), pct(ms, p.stepMs)]);
  }
  const outside = p.stepMs - p.kernelMs;
  rows.push(["(outside kernels: engine, tape, JS)", "", "", outside.toFixed(2), pct(outside, p.stepMs)]);
  rows.push(["step", p.dispatches.toFixed(0), (1000 * p.stepMs / p.dispatches).toFixed(1), p.stepMs.toFixed(2), "100%"]);
  const head = ["kernel", "calls/step", "µs/call", "ms/step", "% of step"];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => "| " + c.map((x, i) => (i === 0 ? x.padEnd(widths[i]) : x.padStart(widths[i]))).join(" | ") + " |";
  return [title, line(head), "|" + widths.map((w) => "-".repeat(w + 2)).join("|") + "|", ...rows.map(line)].join("\n");
}

function pct(ms: number, total: number): string {
  return `${(100 * ms / total).toFixed(0)}%`;
}
