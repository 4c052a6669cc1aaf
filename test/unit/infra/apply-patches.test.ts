// scripts/apply-patches.js: applies a unified diff to an installed package exactly, once; takes it
// out again; leaves a file it does not fit untouched; skips another version of the package.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const { applyAll, parsePatch, listPatches } = require("../../../scripts/apply-patches.js");

const original = "line one\nconst slot = null;\nline three\n\nline five\n";
const patched = "line one\nconst slots = [];\nline three\n\nline five\n";
const diff = [
  "--- a/dist/x.js", "+++ b/dist/x.js", "@@ -1,5 +1,5 @@", " line one", "-const slot = null;", "+const slots = [];",
  " line three", "", " line five", "",
].join("\n");

function scratch(version: string, text: string): { base: string; dir: string; file: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), "mj-patch-"));
  const pkg = path.join(base, "node_modules", "@scope", "pkg");
  fs.mkdirSync(path.join(pkg, "dist"), { recursive: true });
  fs.writeFileSync(path.join(pkg, "package.json"), JSON.stringify({ name: "@scope/pkg", version }));
  fs.writeFileSync(path.join(pkg, "dist", "x.js"), text);
  const dir = path.join(base, "patches");
  fs.mkdirSync(dir);
  fs.writeFileSync(path.join(dir, "@scope+pkg+1.2.3.patch"), diff);
  return { base, dir, file: path.join(pkg, "dist", "x.js") };
}

test("parsePatch: before and after text of each hunk, blank context lines kept", () => {
  const [f] = parsePatch(diff);
  assert.equal(f.file, "dist/x.js");
  assert.deepEqual(f.hunks, [{ before: original, after: patched }]);
});

test("applyAll: applies once, says so the second time, reverses to the original", () => {
  const s = scratch("1.2.3", original);
  try {
    assert.match(applyAll({ base: s.base, dir: s.dir })[0], /@scope\/pkg\/dist\/x\.js: applied/);
    assert.equal(fs.readFileSync(s.file, "utf8"), patched);
    assert.match(applyAll({ base: s.base, dir: s.dir })[0], /already applied/);
    assert.equal(fs.readFileSync(s.file, "utf8"), patched);
    assert.match(applyAll({ base: s.base, dir: s.dir, reverse: true })[0], /reversed/);
    assert.equal(fs.readFileSync(s.file, "utf8"), original);
  } finally {
    fs.rmSync(s.base, { recursive: true, force: true });
  }
});

test("applyAll: a file the patch does not fit, or another version, is left as it is", () => {
  const changed = scratch("1.2.3", original.replace("line three", "line 3"));
  const other = scratch("1.2.4", original);
  try {
    assert.match(applyAll({ base: changed.base, dir: changed.dir })[0], /hunk 1 does not match/);
    assert.equal(fs.readFileSync(changed.file, "utf8"), original.replace("line three", "line 3"));
    assert.match(applyAll({ base: other.base, dir: other.dir })[0], /1\.2\.4 is installed, the patch is for 1\.2\.3/);
    assert.equal(fs.readFileSync(other.file, "utf8"), original);
  } finally {
    fs.rmSync(changed.base, { recursive: true, force: true });
    fs.rmSync(other.base, { recursive: true, force: true });
  }
});

test("the project's patches are named for an installed package and version, and fit it", () => {
  for (const p of listPatches()) {
    assert.equal(p.error, undefined, `${p.file}: ${p.error}`);
    const files = parsePatch(fs.readFileSync(p.file, "utf8"));
    assert.ok(files.length && files.every((f: { hunks: unknown[] }) => f.hunks.length), `${p.file}: no hunks`);
  }
  assert.ok(applyAll().every((l: string) => /already applied/.test(l)), applyAll().join("\n"));
});
