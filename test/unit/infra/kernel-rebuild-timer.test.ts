// The tslab crash "Unexpected pending rebuildTimer": a file appearing in lib/ while a notebook runs (a
// new helper, a `git pull`) made tslab's converter throw on every later cell until a restart. Fixed
// in tslab's converter by patches/tslab+1.0.22.patch (applied at install by scripts/apply-patches.js).
// Both halves run through a real kernel: the installed (patched) tslab keeps working, and a copy of
// tslab with the patch taken out still shows the crash, so this test's scenario stays a reproducer.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";
import { found, root, runKernel, scratchPackage, type Step } from "./scratch-kernel";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const patches = require("../../../scripts/apply-patches.js");

/** A lib/ like the project's: folder imports, so TypeScript watches lib/ for the files it did not find. */
const lib = {
  "lib/index.ts": 'export * from "./sub";\n',
  "lib/sub/index.ts": 'export * from "./value";\n',
  "lib/sub/value.ts": "export const value: number = 1;\n",
};
const steps: Step[] = [
  { code: 'import { value } from "./lib";\nvalue' },
  { write: { "lib/extra.ts": "export const extra: number = 5;\n" }, code: "1 + 1" },
  { code: 'import { extra } from "./lib/extra";\nextra * 2' },
  { write: { "lib/sub/value.ts": "export const value: number = 2;\n", "lib/more.ts": "export const more = 3;\n" }, code: "3 + 4" },
  { code: 'import { more } from "./lib/more";\nmore + value' },
];

/** node_modules for the scratch package: the project's packages, but a copy of tslab without the patch. */
function unpatchedNodeModules(dest: string): void {
  fs.mkdirSync(dest);
  const from = path.join(root, "node_modules");
  for (const name of fs.readdirSync(from)) if (name !== "tslab") fs.symlinkSync(path.join(from, name), path.join(dest, name));
  fs.cpSync(path.join(from, "tslab"), path.join(dest, "tslab"), { recursive: true });
  const [p] = patches.listPatches().filter((x: { pkg: string }) => x.pkg === "tslab");
  const said = patches.applyPatch(patches.parsePatch(fs.readFileSync(p.file, "utf8")), path.join(dest, "tslab"), { reverse: true });
  assert.match(said.join("\n"), /reversed|already unpatched/, `could not take the patch out of the tslab copy: ${said}`);
}

test("tslab patch: the installed converter is patched", () => {
  const converter = fs.readFileSync(path.join(root, "node_modules", "tslab", "dist", "converter.js"), "utf8");
  const patched = !converter.includes("Unexpected pending rebuildTimer") && converter.includes("runPendingTimers");
  assert.ok(patched, "node_modules/tslab/dist/converter.js is unpatched: run node scripts/apply-patches.js (npm install does)");
});

test("a new lib/ file while the kernel runs: every later cell still runs (patched tslab)", { skip: !found && "no Jupyter here" }, () => {
  const dir = scratchPackage(lib);
  try {
    const out = runKernel(dir, steps);
    const text = (i: number) => out[i].stdout + out[i].stderr;
    assert.deepEqual(out.map((o) => o.status), ["ok", "ok", "ok", "ok", "ok"], JSON.stringify(out, null, 1));
    assert.doesNotMatch(out.map((o) => o.stderr).join(""), /rebuildTimer|unexpected error/);
    assert.match(text(0), /^1\s*$/);
    assert.match(text(1), /^2\s*$/);
    assert.match(text(2), /^10\s*$/); // the new file is importable and type-checked
    assert.match(text(3), /^7\s*$/);
    assert.match(text(4), /^4\s*$/); // the old value (1) stays loaded until a restart; lib/more.ts is new
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("control: the same steps on tslab without the patch hit 'Unexpected pending rebuildTimer'", { skip: !found && "no Jupyter here" }, () => {
  const dir = scratchPackage(lib, unpatchedNodeModules);
  try {
    const out = runKernel(dir, steps);
    assert.equal(out[0].status, "ok", JSON.stringify(out[0]));
    assert.equal(out[1].status, "error", JSON.stringify(out, null, 1));
    assert.match(out[1].stderr, /Unexpected pending rebuildTimer/);
    assert.ok(out.slice(2).every((o) => o.status === "error"), `every later cell fails too: ${JSON.stringify(out.slice(2))}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
