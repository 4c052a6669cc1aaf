// A real tslab kernel (scripts/kernel.js) in a scratch package: after a lib file it loaded is edited,
// the next cell that imports from lib says the kernel still runs the old code and to restart; a cell
// with no edit in between says nothing.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import { found, runKernel, scratchPackage } from "./scratch-kernel";

test("editing lib/ under a running kernel: the next import from lib warns to restart", { skip: !found && "no Jupyter here" }, () => {
  const dir = scratchPackage({
    "lib/index.ts": 'export * from "./sub/value";\n',
    "lib/sub/value.ts": "export const value: number = 1;\n",
  });
  try {
    const out = runKernel(dir, [
      { code: 'import { value } from "./lib";\nvalue' },
      { code: 'import { value as again } from "./lib";\nagain + 1' },
      { write: { "lib/sub/value.ts": "export const value: number = 2;\n" }, code: 'import { value as edited } from "./lib";\nedited' },
      { code: "3 + 4" },
    ]);
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
