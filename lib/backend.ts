/**
 * Picks the fastest tfjs backend that works here and says which and why. Introduced in
 * notebooks/00-setup.ipynb.
 *
 * Order: tfjs-node (native TensorFlow, where it installed) > wasm (with the training kernels this
 * package adds, see ./backend/wasm-training-kernels) > cpu (pure JavaScript, slow but always there).
 * Force one with `initBackend({ prefer: "wasm" })` or the MINI_JEPA_BACKEND environment variable.
 */
import * as tf from "@tensorflow/tfjs";
import { registerWasmTrainingKernels } from "./backend/wasm-training-kernels";
import { restoreNodeUtil } from "./backend/node-util-shim";

/** A backend this package knows how to start. */
export type BackendName = "tensorflow" | "wasm" | "cpu";

/** Which backend runs, why, and what was patched. */
export interface BackendInfo {
  /** The tfjs backend name in use. */
  name: BackendName;
  /** One sentence: why this one (and why not the faster ones). */
  reason: string;
  /** Kernels this package registered or replaced to make training work/fast. */
  patches: string[];
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
  for (const name of order.slice(start)) {
    try {
      const patches = await startBackend(name);
      info = { name, reason: reasonFor(name, why), patches };
      if (opts.verbose ?? true) console.log(`[mini-jepa] backend: ${name} (${info.reason})`);
      return info;
    } catch (err) {
      why.push(`${name} unavailable: ${firstLine(err)}`);
    }
  }
  throw new Error(`no tfjs backend could start: ${why.join("; ")}`);
}

async function startBackend(name: BackendName): Promise<string[]> {
  if (name === "tensorflow") {
    restoreNodeUtil(); // tfjs-node 4.22 calls util.isNullOrUndefined, gone since Node 23
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    require("@tensorflow/tfjs-node"); // registers the 'tensorflow' backend; throws where it did not install
  }
  if (name === "wasm") {
    require("@tensorflow/tfjs-backend-wasm");
  }
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
  return name === "wasm" ? registerWasmTrainingKernels() : [];
}

function reasonFor(name: BackendName, why: string[]): string {
  const base: Record<BackendName, string> = {
    tensorflow: "native TensorFlow via @tensorflow/tfjs-node: the fast path",
    wasm: "WebAssembly with SIMD, plus this package's training kernels",
    cpu: "pure JavaScript fallback: correct but slow",
  };
  return why.length ? `${base[name]}; ${why.join("; ")}` : base[name];
}

function firstLine(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.split("\n")[0].slice(0, 160);
}
