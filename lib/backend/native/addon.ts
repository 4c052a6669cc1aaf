/**
 * Finds and loads the optional native kernel tier (native/mini_jepa_native.cc, oneDNN) that
 * ../native-kernels.ts registers on the wasm backend. Used by `initBackend` (lib/backend.ts),
 * which notebooks/00-setup.ipynb calls first, where the backend is chosen.
 *
 * `npm install` builds it (scripts/build-native.js) where a C++ compiler and oneDNN are present and
 * records why not otherwise (native/build/status.json); here we load it or say why we could not.
 * MINI_JEPA_NATIVE=0 turns it off; MINI_JEPA_THREADS=n gives oneDNN n threads (default 1); a matmul
 * with M*N*K below 2^25 runs on one of them all the same (ThreadsForWork in the .cc file).
 */
import * as fs from "fs";
import * as path from "path";

/** The functions the addon exports (see native/mini_jepa_native.cc for the parameter layouts). */
export interface NativeAddon {
  /** C[b] = act(op(A[b]) @ op(B[b]) + bias), on the wasm heap. */
  gemm(heap: Uint8Array, p: Float64Array): void;
  /** Conv2D forward (kind 0), input gradient (1) or filter gradient (2), on the wasm heap. */
  conv(heap: Uint8Array, p: Float64Array): void;
  /** The oneDNN implementation a conv with these parameters uses. */
  convImpl(p: Float64Array): string;
  /** One Adam step on a variable, on the wasm heap. */
  adam(heap: Uint8Array, p: Float64Array): void;
  /** a op b over an M x N grid with broadcast operands. */
  binary(heap: Uint8Array, p: Float64Array): void;
  /** y = op(x). */
  unary(heap: Uint8Array, p: Float64Array): void;
  /** Sum (scaled) over the middle axis of [pre, red, post]. */
  reduce(heap: Uint8Array, p: Float64Array): void;
  /** Sum of same-shape tensors. */
  addN(heap: Uint8Array, p: Float64Array): void;
  /** Rows of x summed into segments by id (the embedding gradient). */
  segmentSum(heap: Uint8Array, p: Float64Array): void;
  /** oneDNN's thread count (OpenMP). */
  setThreads(n: number): void;
  /** oneDNN version, the instruction set it picked, threads, cached primitives. */
  info(): { version: string; isa: string; threads: number; cachedPrimitives: number; api: number };
}

/** The parameter layouts this TypeScript speaks (kApiVersion in native/mini_jepa_native.cc). */
export const NATIVE_API_VERSION = 3;

/** The addon, or why there is none. */
export type AddonResult = { addon: NativeAddon; reason: string } | { addon: null; reason: string };

/** The package root (this file is lib/backend/native/addon.ts). */
const ROOT = path.join(__dirname, "..", "..", "..");
/** Where node-gyp puts the addon. */
export const ADDON_PATH = path.join(ROOT, "native", "build", "Release", "mini_jepa_native.node");
/** What the last build attempt said (written by scripts/build-native.js). */
export const BUILD_STATUS_PATH = path.join(ROOT, "native", "build", "status.json");

let loaded: AddonResult | null = null;

/** Threads asked for with MINI_JEPA_THREADS (default 1); throws on a value that is not a positive integer. */
export function requestedThreads(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.MINI_JEPA_THREADS;
  if (raw === undefined || raw === "") return 1;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`MINI_JEPA_THREADS must be a positive integer, received ${JSON.stringify(raw)}`);
  return n;
}

/** Loads the addon once per process (MINI_JEPA_NATIVE=0: never) and sets its threads. */
export function loadNativeAddon(env: NodeJS.ProcessEnv = process.env): AddonResult {
  if (env.MINI_JEPA_NATIVE === "0") return { addon: null, reason: "native kernels off (MINI_JEPA_NATIVE=0)" };
  if (loaded) return loaded;
  loaded = tryLoad(env);
  return loaded;
}

function tryLoad(env: NodeJS.ProcessEnv): AddonResult {
  if (!fs.existsSync(ADDON_PATH)) return { addon: null, reason: `native kernels not built (${buildStatus()})` };
  try {
    // OpenMP threads waiting between kernels sleep instead of spinning: with 2 threads on this
    // 2-core machine, spinning made the mlp step 13x slower under load (passive: 71 vs 5.5 steps/s).
    // libgomp reads this when the addon loads it, so it must be set before.
    if (env.OMP_WAIT_POLICY === undefined) process.env.OMP_WAIT_POLICY = "passive";
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const addon = require(ADDON_PATH) as NativeAddon;
    if (addon.info().api !== NATIVE_API_VERSION) {
      return { addon: null, reason: `native kernels out of date (built for API ${addon.info().api}, this code speaks ${NATIVE_API_VERSION}): npm run setup rebuilds them` };
    }
    addon.setThreads(requestedThreads(env));
    const i = addon.info();
    return { addon, reason: `oneDNN ${i.version}, ${i.isa}, ${i.threads} thread${i.threads > 1 ? "s" : ""}` };
  } catch (err) {
    const msg = (err instanceof Error ? err.message : String(err)).split("\n")[0].slice(0, 200);
    return { addon: null, reason: `native kernels failed to load: ${msg} (npm run setup rebuilds them)` };
  }
}

/** The reason the last build recorded, or the command that builds it. */
function buildStatus(): string {
  try {
    const s = JSON.parse(fs.readFileSync(BUILD_STATUS_PATH, "utf8")) as { ok: boolean; reason: string };
    if (!s.ok) return s.reason;
  } catch {
    /* no record: never attempted */
  }
  return "npm run setup builds them where a C++ compiler and oneDNN (libdnnl-dev) are installed";
}

/** Forgets the loaded addon's result (tests). */
export function resetNativeAddonForTests(): void {
  loaded = null;
}
