/**
 * bench/run.ts runs end to end with tiny settings (1 step, wasm only, one thread count, two
 * workloads, no PyTorch): prints the table and a per-kernel profile per row, and writes the JSON
 * results to a temporary folder. Timings are never asserted.
 */
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";

test("npm run bench works with BENCH_STEPS=1 on wasm (table + JSON, no leaks)", { timeout: 120_000 }, () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "mini-jepa-bench-"));
  const root = path.join(__dirname, "..", "..", "..");
  const res = spawnSync(process.execPath, ["--import", "tsx", "bench/run.ts"], {
    cwd: root, encoding: "utf8",
    env: { ...process.env, BENCH_STEPS: "1", BENCH_BACKENDS: "wasm", BENCH_THREADS: "1", BENCH_WORKLOADS: "mlp-jepa,char-ar", BENCH_TORCH: "0", BENCH_OUT: out },
  });
  assert.equal(res.status, 0, `bench exited ${res.status}: ${res.stderr.slice(-2000)}`);
  assert.match(res.stdout, /\| workload +\| backend +\| steps +\| steps\/s +\| examples\/s +\| GFLOP\/s +\| ours\/PyTorch/);
  assert.match(res.stdout, /profile of one mlp-jepa step on wasm[\s\S]*\| kernel +\| calls\/step[\s\S]*\(outside kernels: engine, tape, JS\)/);
  const files = fs.readdirSync(out).filter((f) => f.endsWith(".json"));
  assert.equal(files.length, 1, `one results file in ${out}`);
  const json = JSON.parse(fs.readFileSync(path.join(out, files[0]), "utf8"));
  assert.deepEqual(json.rows.map((r: { workload: string }) => r.workload).sort(), ["char-ar", "mlp-jepa"]);
  for (const r of json.rows) {
    assert.equal(r.backend, "wasm");
    assert.ok(Number.isFinite(r.loss) && r.stepsPerSec > 0 && r.gflops > 0 && r.cpuMsPerStep > 0, JSON.stringify(r));
    assert.equal(r.leakedTensorsPerStep, 0, `${r.workload} leaks tensors`);
    assert.ok(r.profile.dispatches > 10 && r.profile.kernels.some((k: { kernel: string }) => k.kernel === "BatchMatMul" || k.kernel === "_FusedMatMul"), "profile counts the matmuls");
  }
  assert.ok(json.flopsPerStep["mlp-jepa"] > 5e8 && json.flopsPerStep["char-ar"] > 2e8, "analytic FLOP counts");
  fs.rmSync(out, { recursive: true, force: true });
});
