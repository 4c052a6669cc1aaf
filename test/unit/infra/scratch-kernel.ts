// A scratch package with the project's kernel (scripts/kernel.js) and a tiny lib/, driven through a real
// tslab kernel by jupyter_client (kernel_driver.py). Used by the kernel tests in this folder.
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export const root = path.resolve(__dirname, "../../..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jupyter = require("../../../scripts/jupyter.js");
/** The Python with Jupyter, or null (the kernel tests then skip). */
export const found: { python: string } | null = jupyter.findJupyterPython();

/** One cell's outcome: its streams, result, error and the kernel's reply status ("dead": the kernel died during it). */
export interface CellOutcome { stdout: string; stderr: string; result: string | null; error: string | null; status: string }
/** Files to write (paths relative to the scratch package) before running `code`; `interrupt_on`: Kernel → Interrupt once the cell's stdout shows this text. */
export interface Step { write?: Record<string, string>; code: string; interrupt_on?: string }

/**
 * Makes a scratch package in the temp folder: scripts/ with the kernel's files, the project's
 * tsconfig, `files` (e.g. a lib/), a kernelspec "mini-jepa-test", and node_modules: a symlink to
 * the project's, or `nodeModules(dir)` to build another one. Returns its path.
 */
export function scratchPackage(files: Record<string, string>, nodeModules?: (dest: string) => void): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-kernel-"));
  fs.mkdirSync(path.join(dir, "scripts"));
  for (const f of ["kernel.js", "zmq-serialize.js", "stale-lib-warning.js", "kernel-interrupt.js"]) fs.copyFileSync(path.join(root, "scripts", f), path.join(dir, "scripts", f));
  if (nodeModules) nodeModules(path.join(dir, "node_modules"));
  else fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
  fs.copyFileSync(path.join(root, "tsconfig.json"), path.join(dir, "tsconfig.json"));
  for (const [rel, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    fs.writeFileSync(path.join(dir, rel), text);
  }
  const spec = path.join(dir, ".jupyter", "kernels", "mini-jepa-test");
  fs.mkdirSync(spec, { recursive: true });
  fs.writeFileSync(path.join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, path.join(dir, "scripts", "kernel.js"), "{connection_file}"], display_name: "test", language: "typescript" }));
  return dir;
}

/** Starts the scratch package's kernel, runs the steps in order, shuts it down; one outcome per step. */
export function runKernel(dir: string, steps: Step[]): CellOutcome[] {
  const r = spawnSync(found!.python, [path.join(__dirname, "kernel_driver.py"), dir, JSON.stringify(steps)], {
    encoding: "utf8", env: { ...process.env, JUPYTER_PATH: path.join(dir, ".jupyter") }, timeout: 180_000,
  });
  if (r.status !== 0) throw new Error(`kernel driver exited ${r.status}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string) as CellOutcome[];
}
