// The workshop soak (scripts/workshop-soak.js, `npm run test:workshop`): which notebooks it runs, which
// one it interrupts, when it counts a notebook's kernel as ready; and a crafted day in JupyterLab that
// must pass where it should and fail where it should (a cell that throws).
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { spawnSync } from "child_process";
import { craftedDay, writeNotebooks } from "./soak-crafted";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const soak = require("../../../scripts/workshop-soak.js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const bc = require("../../../scripts/browser-check.js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jupyter = require("../../../scripts/jupyter.js");

const root = path.resolve(__dirname, "../../..");

test("lessons: every NN-*.ipynb of the folder, in order (a new 08 or 09 is picked up); SOAK_ONLY filters", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-soak-"));
  try {
    writeNotebooks(dir, { "09-hier.ipynb": ["1"], "00-setup.ipynb": ["1"], "08-agent.ipynb": ["1"], "draft.ipynb": ["1"], "1-x.ipynb": ["1"] });
    fs.mkdirSync(path.join(dir, "solutions"));
    fs.writeFileSync(path.join(dir, "10-notes.md"), "");
    assert.deepEqual(soak.lessons(dir, undefined), ["00-setup.ipynb", "08-agent.ipynb", "09-hier.ipynb"]);
    assert.deepEqual(soak.lessons(dir, "^0[89]"), ["08-agent.ipynb", "09-hier.ipynb"]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("interruptTarget: the first lesson that really trains (train( without a shipped `pretrained` run); SOAK_INTERRUPT wins", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-soak-"));
  try {
    writeNotebooks(dir, {
      "00-setup.ipynb": ["1 + 1"],
      "01-loads.ipynb": ["await train(m, { steps: 10, batch, pretrained: skip ? 'x.json' : undefined })"],
      "02-trains.ipynb": ["const r = await train(m, { steps: 10, batch })"],
      "03-trains-too.ipynb": ["await train(m, { steps: 10, batch })"],
    });
    const names = soak.lessons(dir, undefined);
    assert.equal(soak.interruptTarget(names, dir, undefined), "02-trains.ipynb");
    assert.equal(soak.interruptTarget(names, dir, "notebooks/03-trains-too.ipynb"), "03-trains-too.ipynb");
    assert.equal(soak.interruptTarget(["00-setup.ipynb"], dir, undefined), undefined);
    assert.equal(soak.codeCells(path.join(dir, "02-trains.ipynb")).length, 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("kernelReady: not while JupyterLab 4.6 shows 'Kernel status: Idle' with no kernel attached (Run All then runs nothing)", () => {
  const name = "TypeScript (mini-jepa)";
  assert.equal(soak.kernelReady({ name: "No Kernel", status: "Kernel status: Idle", bar: "No Kernel | Initializing" }), false);
  assert.equal(soak.kernelReady({ name, status: "Kernel status: Connecting", bar: `${name} | Connecting` }), false);
  assert.equal(soak.kernelReady({ name, status: "Kernel status: Idle", bar: `${name} | Connecting` }), false);
  assert.equal(soak.kernelReady({ name, status: "Kernel status: Busy", bar: `${name} | Busy` }), false);
  assert.equal(soak.kernelReady({ name, status: "Kernel status: Idle", bar: `${name} | Idle` }), true);
});

// The whole soak on a crafted day (SOAK_NOTEBOOKS): 00 draws a chart; 01 trains with lib's train (40 ms
// a step), is interrupted, then restarted and run twice; 00's kernel lives while 01 runs. Then one
// notebook per way a day goes wrong: 02 throws in a cell, 03 kills its kernel, 04 shows a chart that
// never draws. The soak must pass 00 and 01 and fail each of 02-04, saying why.
// Not in `npm test`: it starts JupyterLab, Chromium and seven tslab kernels (about 4-8 minutes on this
// shared 2-core machine). Run it with `SOAK_SELFTEST=1 npm run test:unit workshop-soak` before a
// change to scripts/workshop-soak.js or scripts/kernel*.js is committed, and before a release.
const python = jupyter.findJupyterPython();
const hasLab = !!python && bc.frontEnds(python.python).some((f: { name: string }) => f.name === "lab");
const canRun = hasLab && !!bc.findChromium();
const skip = !process.env.SOAK_SELFTEST ? "the soak's self-test runs with SOAK_SELFTEST=1 (minutes: not in npm test)"
  : !canRun && "needs JupyterLab and Chromium";


test("the soak passes a good day (chart, interrupt, two restarts, two kernels) and fails an error output, a dead kernel, an undrawn chart",
  { skip, timeout: 1_800_000 }, () => {
    const base = path.join(root, "test-output", "soak-selftest");
    fs.rmSync(base, { recursive: true, force: true });
    writeNotebooks(path.join(base, "notebooks"), craftedDay);
    const r = spawnSync(process.execPath, [path.join(root, "scripts", "workshop-soak.js")], {
      cwd: root, encoding: "utf8",
      env: { ...process.env, SOAK_NOTEBOOKS: "test-output/soak-selftest/notebooks", SOAK_OUT: "test-output/soak-selftest/run", SOAK_ONLY: "",
        SOAK_INTERRUPT: "", SOAK_CHART_TIMEOUT: "20" },
    });
    const out = r.stdout + r.stderr;
    assert.equal(r.status, 1, out);
    assert.match(out, /interrupt in 01-train\.ipynb/);
    assert.match(out, /ok {3}00-chart\.ipynb: \d+ s, 2\/2 cells, 1\/1 chart\(s\)/, out);
    assert.match(out, /interrupted: the loop stopped at step \d+ of 250; its cell ended cleanly and the 1 cell\(s\) after it ran on that model/, out);
    assert.match(out, /ok {3}01-train\.ipynb \(Run All \+ Kernel → Interrupt\): \d+ s, 3\/3 cells/, out);
    assert.match(out, /ok {3}two kernels alive at once: 00-chart\.ipynb \(pid \d+/, out);
    assert.match(out, /ok {3}01-train\.ipynb \(Kernel → Restart Kernel and Run All Cells, 1 of 2\): \d+ s, 3\/3 cells/, out);
    assert.match(out, /ok {3}01-train\.ipynb \(Kernel → Restart Kernel and Run All Cells, 2 of 2\): \d+ s, 3\/3 cells/, out);
    assert.match(out, /ok {3}memory across restarts/, out);
    assert.match(out, /FAIL 02-error\.ipynb: \d+ s, 2\/3 cells[^]*?1 of 3 code cell\(s\) did not run[^]*?a cell shows an error: .*Error: made to fail/, out);
    assert.match(out, /FAIL 03-dead\.ipynb: [^]*?the kernel died/, out);
    assert.match(out, /FAIL 04-undrawn\.ipynb: \d+ s, 2\/2 cells, 0\/1 chart\(s\)[^]*?1 of 1 chart\(s\) did not draw/, out);
    assert.match(out, /workshop: 4 passed, 3 failed/, out);
    const results = JSON.parse(fs.readFileSync(path.join(base, "run", "results.json"), "utf8"));
    assert.deepEqual(results.results.map((x: { ok: boolean }) => x.ok), [true, true, true, true, false, false, false]);
    assert.ok(results.interrupt.step > 0 && results.interrupt.step < 250, JSON.stringify(results.interrupt));
    assert.ok(results.results.every((x: { peakMb: number }) => x.peakMb > 50), "every kernel's peak memory was read");
  });
