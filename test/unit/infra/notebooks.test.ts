// The notebook machinery itself: the committed notebooks are clean and use the project kernel, and a
// cell that throws turns a notebook run red, naming the cell.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../../..");
const notebooks = ["notebooks", "notebooks/solutions"].flatMap((d) => {
  const dir = path.join(root, d);
  return fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".ipynb")).map((f) => path.join(dir, f)) : [];
});

test("committed notebooks have no outputs or execution counts and use the mini-jepa kernel", () => {
  assert.ok(notebooks.length > 0);
  for (const file of notebooks) {
    const nb = JSON.parse(fs.readFileSync(file, "utf8"));
    assert.equal(nb.metadata.kernelspec.name, "mini-jepa", file);
    for (const c of nb.cells.filter((x: { cell_type: string }) => x.cell_type === "code")) {
      assert.equal(c.execution_count, null, `${file}: execution count left in a cell`);
      assert.deepEqual(c.outputs, [], `${file}: outputs left in a cell`);
    }
  }
});

test("a cell that throws fails the run and is named", { skip: !hasJupyter() && "no Jupyter here" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-nb-"));
  const draft = path.join(dir, "bad.ts");
  fs.writeFileSync(draft, '// %%\nconst fine = 1 + 1;\nfine\n// %%\nthrow new Error("made to throw");\n');
  const nb = path.join(dir, "bad.ipynb");
  spawnSync(process.execPath, [path.join(root, "scripts/percent-to-ipynb.js"), draft, nb]);
  const r = spawnSync(process.execPath, [path.join(root, "scripts/run-notebooks.js"), nb], {
    encoding: "utf8", cwd: root, env: { ...process.env, NOTEBOOK_OUT_DIR: path.join(dir, "out") },
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /FAIL .*bad\.ipynb .*cell 2 «throw new Error\("made to throw"\);»/);
  assert.match(r.stdout, /Error: made to throw/);
});

test("NOTEBOOK_JOBS=2 runs two notebooks at once; one failing fails the run, the other still passes", { skip: !hasJupyter() && "no Jupyter here" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-nb-jobs-"));
  const make = (name: string, body: string) => {
    fs.writeFileSync(path.join(dir, `${name}.ts`), body);
    spawnSync(process.execPath, [path.join(root, "scripts/percent-to-ipynb.js"), path.join(dir, `${name}.ts`), path.join(dir, `${name}.ipynb`)]);
    return path.join(dir, `${name}.ipynb`);
  };
  // good sleeps 20 s then writes when it ended; bad, listed after it, writes when it started and
  // throws. One at a time, bad would start after good ended; two at a time, while good sleeps.
  const stamp = (file: string) => `require("fs").writeFileSync(${JSON.stringify(path.join(dir, file))}, String(Date.now()));`;
  const good = make("good", `// %%\nawait new Promise((r) => setTimeout(r, 20000));\n${stamp("good-end")}\n"slept"\n`);
  const bad = make("bad", `// %%\n${stamp("bad-start")}\nthrow new Error("made to throw");\n`);
  const r = spawnSync(process.execPath, [path.join(root, "scripts/run-notebooks.js"), good, bad], {
    encoding: "utf8", cwd: root, env: { ...process.env, NOTEBOOK_OUT_DIR: path.join(dir, "out"), NOTEBOOK_JOBS: "2" },
  });
  assert.equal(r.status, 1, r.stdout + r.stderr);
  assert.match(r.stdout, /2 at a time/);
  assert.match(r.stdout, /ok {3}.*good\.ipynb/);
  assert.match(r.stdout, /FAIL .*bad\.ipynb .*cell 1/);
  assert.match(r.stdout, /notebooks: 1 passed, 1 failed/);
  assert.ok(fs.existsSync(path.join(dir, "out", "good.ipynb")), "the passing notebook's executed copy");
  const at = (file: string) => Number(fs.readFileSync(path.join(dir, file), "utf8"));
  assert.ok(at("bad-start") < at("good-end"), "the second notebook started while the first still ran");
});

function hasJupyter(): boolean {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  return !!require(path.join(root, "scripts/jupyter.js")).findJupyterPython();
}
