// A real tslab kernel (scripts/kernel.js) in a scratch package: after a lib file it loaded is edited,
// the next cell that imports from lib says the kernel still runs the old code and to restart; a cell
// with no edit in between says nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../../..");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const jupyter = require("../../../scripts/jupyter.js");
const found = jupyter.findJupyterPython();

test("editing lib/ under a running kernel: the next import from lib warns to restart", { skip: !found && "no Jupyter here" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-kernel-"));
  try {
    fs.mkdirSync(path.join(dir, "scripts"));
    fs.mkdirSync(path.join(dir, "lib", "sub"), { recursive: true });
    for (const f of ["kernel.js", "zmq-serialize.js", "stale-lib-warning.js"]) fs.copyFileSync(path.join(root, "scripts", f), path.join(dir, "scripts", f));
    fs.symlinkSync(path.join(root, "node_modules"), path.join(dir, "node_modules"));
    fs.copyFileSync(path.join(root, "tsconfig.json"), path.join(dir, "tsconfig.json"));
    fs.writeFileSync(path.join(dir, "lib", "index.ts"), 'export * from "./sub/value";\n');
    fs.writeFileSync(path.join(dir, "lib", "sub", "value.ts"), "export const value: number = 1;\n");
    const spec = path.join(dir, ".jupyter", "kernels", "mini-jepa-test");
    fs.mkdirSync(spec, { recursive: true });
    fs.writeFileSync(path.join(spec, "kernel.json"), JSON.stringify({ argv: [process.execPath, path.join(dir, "scripts", "kernel.js"), "{connection_file}"], display_name: "test", language: "typescript" }));
    const steps = [
      { code: 'import { value } from "./lib";\nvalue' },
      { code: 'import { value as again } from "./lib";\nagain + 1' },
      { write: { "lib/sub/value.ts": "export const value: number = 2;\n" }, code: 'import { value as edited } from "./lib";\nedited' },
      { code: "3 + 4" },
    ];
    const r = spawnSync(found.python, [path.join(__dirname, "kernel_driver.py"), dir, JSON.stringify(steps)], {
      encoding: "utf8", env: { ...process.env, JUPYTER_PATH: path.join(dir, ".jupyter") }, timeout: 120_000,
    });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() as string) as { stdout: string; stderr: string; error: string | null }[];
    const text = (i: number) => out[i].stdout + out[i].stderr;
    assert.equal(out.filter((o) => o.error).length, 0, JSON.stringify(out));
    assert.match(text(0), /^1\s*$/);
    assert.doesNotMatch(text(1), /changed since/);
    assert.match(text(2), /changed since this kernel loaded it: lib\/sub\/value\.ts\. The kernel still runs the old code; Kernel → Restart/);
    assert.match(text(3), /^7\s*$/);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
