/**
 * Picks the fastest tfjs backend that works here and says which and why. Introduced in
 * notebooks/00-setup.ipynb.
 *
 * Order: tfjs-node (native TensorFlow, where it installed) > wasm (with the training kernels this
 * package adds, see ./backend/wasm-training-kernels) > cpu (pure JavaScript, slow but always there).
 * Force one with `initBackend({ prefer: "wasm" })` or the MINI_JEPA_BACKEND environment variable.
 *
 * On wasm, the native kernel tier (./backend/native-kernels: matmuls and convs on oneDNN, built by
 * `npm install` where a compiler and oneDNN are present) replaces the heavy kernels when it loads:
 * "wasm + native kernels (oneDNN)". MINI_JEPA_NATIVE=0 turns it off; when it is absent the report
 * says why. MINI_JEPA_THREADS=n (default 1) gives the heavy kernels n threads: oneDNN's when the
 * native tier runs, else threaded wasm (./backend/wasm-threads). Measured on the project's 2-core
 * machine before any default changes: see README "Backends".
 */
import * as tf from "@tensorflow/tfjs";
import { loadNativeAddon, requestedThreads } from "./backend/native/addon";
import { registerNativeKernels } from "./backend/native-kernels";
import { registerWasmTrainingKernels } from "./backend/wasm-training-kernels";
import { restoreNodeUtil } from "./backend/node-util-shim";
import { prepareWasmThreads, wasmThreads, withCoreCount } from "./backend/wasm-threads";

/** A backend this package knows how to start. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

/** Which backend runs, why, and what was patched. */
export interface BackendInfo {
  /** The tfjs backend name in use. */
  name: BackendName;
  /** What runs, in words: "wasm + native kernels (oneDNN)", "wasm", "tensorflow", "cpu". */
  label: string;
  /** One sentence: why this one (and why not the faster ones). */
  reason: string;
  /** Kernels this package registered or replaced to make training work/fast. */
  patches: string[];
  /** The native kernel tier on wasm: whether it runs and why (or why not); null on other backends. */
  native: { on: boolean; reason: string } | null;
  /** Threads of the heavy kernels (MINI_JEPA_THREADS, default 1): oneDNN's with the native tier, else wasm's. */
  threads: number;
}

/** Options for `initBackend`. */
export interface BackendOptions {
  /** Start this backend (falls back down the list if it fails). Default: env MINI_JEPA_BACKEND, else best available. */
  prefer?: BackendName;
  /** Print the one-line report. Default true (printed once per process). */
  verbose?: boolean;
}

let info: BackendInfo | null = null;
let pending: Promise<BackendInfo> | null = null;

/** Starts the backend once per process and returns what was chosen (later calls return the same). */
export function initBackend(opts: BackendOptions = {}): Promise<BackendInfo> {
  if (!pending) pending = choose(opts);
  return pending;
}

/** The chosen backend, or null before `initBackend` resolved. */
export function backendInfo(): BackendInfo | null {
  return info;
}

async function choose(opts: BackendOptions): Promise<BackendInfo> {
  const env = process.env.MINI_JEPA_BACKEND as BackendName | undefined;
  const prefer = opts.prefer ?? env;
  const order: BackendName[] = ["tensorflow", "wasm", "cpu"];
  const start = prefer && order.includes(prefer) ? order.indexOf(prefer) : 0;
  const why: string[] = [];
  if (start > 0) why.push(`asked for ${prefer}`);
  const threads = requestedThreads();
  for (const name of order.slice(start)) {
    try {
      const patches = await startBackend(name, threads);
      const native = name === "wasm" ? startNative(patches) : null;
      const label = native?.on ? "wasm + native kernels (oneDNN)" : name;
      const wasmT = name === "wasm" ? wasmThreads() : 1;
      const reason = reasonFor(name, why, wasmT) + (native ? `; ${native.on ? "native kernels" : "no native kernels"}: ${native.reason}` : "");
      info = { name, label, reason, patches, native, threads };
      if (opts.verbose ?? true) console.log(`[mini-jepa] backend: ${label} (${info.reason})`);
      return info;
    } catch (err) {
      why.push(`${name} unavailable: ${firstLine(err)}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${why.join("; ")}`);
}

async function startBackend(name: BackendName, threads: number): Promise<string[]> {
  if (name === "tensorflow") {
    restoreNodeUtil(); // tfjs-node 4.22 calls util.isNullOrUndefined, gone since Node 23
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require("@tensorflow/tfjs-node"); // registers the 'tensorflow' backend; throws where it did not install
  }
  let wasmT = 1;
  if (name === "wasm") {
    require("@tensorflow/tfjs-backend-wasm");
    // Threads go where the heavy kernels run: oneDNN when the native tier loads, else wasm itself.
    wasmT = threads > 1 && !loadNativeAddon().addon ? threads : 1;
    if (wasmT > 1) prepareWasmThreads(wasmT);
  }
  const ok = await withCoreCount(wasmT, () => tf.setBackend(name));
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  return name === "wasm" ? registerWasmTrainingKernels() : [];
}

/** Loads the native tier onto wasm (adding its kernels to `patches`), or says why not. */
function startNative(patches: string[]): { on: boolean; reason: string } {
  const { addon, reason } = loadNativeAddon();
  if (!addon) return { on: false, reason };
  try {
    patches.push(...registerNativeKernels(addon).filter((n) => !patches.includes(n)));
    return { on: true, reason };
  } catch (err) {
    return { on: false, reason: `native kernels failed to register: ${firstLine(err)}` };
  }
}

function reasonFor(name: BackendName, why: string[], wasmT = 1): string {
  const base: Record<BackendName, string> = {
    tensorflow: "native TensorFlow via @tensorflow/tfjs-node: the fast path",
    wasm: `WebAssembly with SIMD${wasmT > 1 ? ` on ${wasmT} threads` : ""}, plus this package's training kernels`,
    cpu: "pure JavaScript fallback: correct but slow",
  };
  return why.length ? `${base[name]}; ${why.join("; ")}` : base[name];
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0].slice(0, 160);
}
