// `npm run train` (scripts/train.ts) from a terminal: a 4-step run writes its checkpoint, the model file
// loadMiniJepa reads, the metrics CSVs, and prints its wall time and the three target metrics; the
// same command again resumes from the checkpoint instead of starting over.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "..", "..", "..");
const run = (out: string, steps: number) => spawnSync(process.execPath, ["--import", "tsx", "scripts/train.ts", "--quick", "--steps", String(steps), "--out", out, "--no-figures"], {
  cwd: root, encoding: "utf8", env: { ...process.env, MINI_JEPA_BACKEND: "wasm" }, timeout: 120_000,
});

test("npm run train --quick writes checkpoint, model, CSVs and prints wall time and targets; a rerun resumes", () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), "mini-jepa-train-"));
  try {
    const r = run(out, 4);
    assert.equal(r.status, 0, r.stderr);
    for (const f of ["checkpoint.json", "mini-jepa.json", "metrics.csv", "rollout.csv", "targets.csv"]) assert.ok(fs.existsSync(path.join(out, f)), `${f} not written`);
    assert.match(r.stdout, /wall time \d+:\d\d/);
    for (const metric of ["probe R²", "effective rank", "rollout error 10-step / 1-step"]) assert.match(r.stdout, new RegExp(`(MET |MISS) ${metric.replace(/[/²]/g, ".")}[^=\n]* = [0-9.]+`));
    const targets = fs.readFileSync(path.join(out, "targets.csv"), "utf8");
    assert.match(targets, /effective rank/);
    const saved = JSON.parse(fs.readFileSync(path.join(out, "mini-jepa.json"), "utf8"));
    assert.equal(saved.step, 4);
    assert.equal(saved.optimizer?.length ?? 0, 0, "the model file must not carry optimiser state");
    const again = run(out, 6);
    assert.equal(again.status, 0, again.stderr);
    assert.match(again.stdout, /resum/i, "the second run should say it resumed");
    assert.equal(JSON.parse(fs.readFileSync(path.join(out, "mini-jepa.json"), "utf8")).step, 6);
  } finally {
    fs.rmSync(out, { recursive: true, force: true });
  }
});
