// A lesson's written-out check must be able to fail the lesson: a copy of notebook 01, cut after its
// written-out cross-entropy and broken there, runs red through the real Jupyter + tslab path
// (scripts/run-notebooks.js, nbconvert's executor), naming the cell and assertClose's message; the
// same copy unbroken runs green.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../../..");
const source = path.join(root, "notebooks", "01-autoregressive-contrast.ipynb");

function hasJupyter(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return !!require(path.join(root, "scripts/jupyter.js")).findJupyterPython();
}

/** Notebook 01's cells up to (and with) the one that checks the written-out cross-entropy. */
function upToTheCheck(): { nb: { cells: { cell_type: string; source: string[] | string }[] }; check: number } {
  const nb = JSON.parse(fs.readFileSync(source, "utf8"));
  const text = (c: { source: string[] | string }) => [c.source].flat().join("");
  const check = nb.cells.findIndex((c: { cell_type: string; source: string[] }) =>
    c.cell_type === "code" && /const myCrossEntropy/.test(text(c)) && /assertClose\(/.test(text(c)));
  assert.ok(check > 0, "notebook 01 no longer has a cell that writes out the cross-entropy and checks it with assertClose");
  nb.cells = nb.cells.slice(0, check + 1);
  return { nb, check };
}

function run(dir: string, name: string, nb: object) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
  return spawnSync(process.execPath, [path.join(root, "scripts/run-notebooks.js"), file], {
    encoding: "utf8", cwd: root, env: { ...process.env, QUICK: "1", NOTEBOOK_OUT_DIR: path.join(dir, "out") },
  });
}

test("a failing assertClose fails the notebook under nbconvert, naming the check; unbroken it passes",
  { skip: !hasJupyter() && "no Jupyter here", timeout: 600_000 }, () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-assert-"));
    const { nb, check } = upToTheCheck();
    const ok = run(dir, "intact.ipynb", nb);
    assert.equal(ok.status, 0, ok.stdout + ok.stderr);
    const cell = nb.cells[check];
    const src = [cell.source].flat().join("");
    const broken = src.replace("tf.logSoftmax(logits)", "tf.softmax(logits)");   // probabilities, not log-probabilities
    assert.notEqual(broken, src, "the written-out cross-entropy no longer calls tf.logSoftmax(logits): update this test");
    cell.source = broken;
    const bad = run(dir, "broken.ipynb", nb);
    assert.equal(bad.status, 1, bad.stdout + bad.stderr);
    assert.match(bad.stdout, new RegExp(`FAIL .*broken\\.ipynb .*cell ${check + 1} «const myCrossEntropy`));
    assert.match(bad.stdout, /assertClose: cross-entropy \(mine vs crossEntropy\) differ: actual -?[\d.e-]+ vs expected [\d.e-]+ \(difference .* tolerance 0\.00001\)/);
  });
