/**
 * Threaded wasm in Node (tfjs 4.22 only threads wasm in browsers). Called by ../backend.ts before
 * `tf.setBackend('wasm')` when MINI_JEPA_THREADS > 1 and the native kernel tier is off. Introduced
 * with the backend in notebooks/00-setup.ipynb.
 *
 * Four changes, each needed (recorded in the project's design notes):
 *  1. tfjs hard-codes WASM_HAS_MULTITHREAD_SUPPORT to false in Node: set it.
 *  2. tfjs hands emscripten a blob: URL for the pthread worker, which worker_threads rejects
 *     (ERR_WORKER_PATH): write the worker's source (exported by
 *     wasm-out/tfjs-backend-wasm-threaded-simd.worker.js) to a file in the temp folder, return that.
 *  3. The worker's main script is posted as a Blob of bundle-scoped source that cannot run in a
 *     worker: post the path of the standalone wasm-out/tfjs-backend-wasm-threaded-simd.js instead.
 *  4. Ask for the thread count (setThreadsCount); tfjs then still caps it at cores / 2, which is 1
 *     on two cores: while the backend starts (`withCoreCount`), os.cpus() reports 2n cores.
 * Emscripten starts a pool of 8 workers either way (~80 MB, ~250 ms).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";

/** tfjs-backend-wasm's exports used here. */
interface WasmBackendModule {
  setThreadsCount(n: number): void;
  getThreadsCount(): number;
}

let patched = false;
/** Emscripten's pthread workers, unref'd once the backend is up so a finished script can exit. */
const poolWorkers = new Set<{ unref(): void }>();

function wasmOut(file: string): string {
  return path.join(path.dirname(require.resolve("@tensorflow/tfjs-backend-wasm/package.json")), "wasm-out", file);
}

/** Prepares threaded wasm with `n` threads; must run before the wasm backend is first set. */
export function prepareWasmThreads(n: number): void {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const wasm = require("@tensorflow/tfjs-backend-wasm") as WasmBackendModule;
  tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", true); // 1
  wasm.setThreadsCount(n); // 4
  if (patched) return;
  patched = true;
  const workerFile = writeWorkerFile();
  const mainScript = wasmOut("tfjs-backend-wasm-threaded-simd.js");
  const createObjectURL = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (obj: Blob) => (obj instanceof Blob && obj.type === "application/javascript" ? workerFile : createObjectURL(obj)); // 2
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const { Worker } = require("worker_threads") as typeof import("worker_threads");
  const post = Worker.prototype.postMessage;
  Worker.prototype.postMessage = function (this: InstanceType<typeof Worker>, msg: unknown, transfer?: readonly unknown[]) {
    const m = msg as { cmd?: string; urlOrBlob?: unknown };
    if (m && m.cmd === "load") {
      if (m.urlOrBlob instanceof Blob) msg = { ...m, urlOrBlob: mainScript }; // 3
      poolWorkers.add(this);
    }
    return post.call(this, msg, transfer as never);
  };
}

/** The pthread worker as a file worker_threads can start (written once per tfjs version and user). */
function writeWorkerFile(): string {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const contents = (require(wasmOut("tfjs-backend-wasm-threaded-simd.worker.js")) as { wasmWorkerContents: string }).wasmWorkerContents;
  const source = contents.replace(/\n/g, "\\n"); // as tfjs does for its Blob: the "\n"s inside string literals came out as newlines
  const version = (require("@tensorflow/tfjs-backend-wasm/package.json") as { version: string }).version;
  const uid = typeof process.getuid === "function" ? process.getuid() : 0;
  const file = path.join(os.tmpdir(), `mini-jepa-tfjs-wasm-${version}-${uid}.worker.js`);
  if (!fs.existsSync(file) || fs.readFileSync(file, "utf8") !== source) fs.writeFileSync(file, source);
  return file;
}

/**
 * Runs `start` (the wasm backend's start-up) with os.cpus() reporting at least 2n cores, so that
 * tfjs's cap (cores / 2) lets n threads through; os.cpus() is itself again afterwards, and the
 * pthread workers no longer keep the process alive.
 */
export async function withCoreCount<T>(n: number, start: () => Promise<T>): Promise<T> {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const osModule = require("os") as { cpus: () => os.CpuInfo[] }; // the module object emscripten reads (not an import namespace)
  const cpus = osModule.cpus;
  const real = cpus();
  osModule.cpus = () => (real.length >= 2 * n ? real : Array.from({ length: 2 * n }, (_, i) => real[i % real.length]));
  try {
    const result = await start();
    poolWorkers.forEach((w) => w.unref()); // they would keep `npm run train` alive after its last line
    return result;
  } finally {
    osModule.cpus = cpus;
  }
}

/** Threads the wasm backend runs with (1 when it is not threaded). */
export function wasmThreads(): number {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return (require("@tensorflow/tfjs-backend-wasm") as WasmBackendModule).getThreadsCount();
}
