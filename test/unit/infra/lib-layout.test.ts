// lib/README.md's rules, checked: layers only point down, every header names a notebook that exists
// and uses the file, and every option bag is merged one way.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

const root = path.resolve(__dirname, "../../..");
const lib = path.join(root, "lib");

/** Layer of a lib file (lib/README.md, "Layers point down"): lower numbers sit lower. */
function layer(rel: string): number {
  const top = rel.split("/")[0].replace(/\.ts$/, "");
  const layers: Record<string, number> = {
    check: 1, random: 1, quick: 1, "assert-close": 1, backend: 1,
    losses: 2, data: 2,
    models: 3, eval: 3,
    train: 4, viz: 4, table: 4,
    plan: 5, agent: 6, recipes: 7, index: 8,
  };
  if (!(top in layers)) throw new Error(`lib/${rel}: no layer in lib/README.md for "${top}"`);
  return layers[top];
}

function libFiles(dir = lib): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return libFiles(p);
    return e.name.endsWith(".ts") ? [path.relative(lib, p)] : [];
  });
}

/** Static imports of a file that stay inside lib/ (type-only imports included: a copy needs them too). */
function libImports(rel: string): string[] {
  const src = fs.readFileSync(path.join(lib, rel), "utf8");
  const specs = [...src.matchAll(/^(?:import|export)\s[^;]*?from\s+"(\.[^"]+)";/gms)].map((m) => m[1]);
  return specs.map((s) => path.relative(lib, path.resolve(path.dirname(path.join(lib, rel)), s)));
}

test("layers point down: no lib file imports from a higher layer", () => {
  const bad: string[] = [];
  for (const f of libFiles()) {
    for (const imp of libImports(f)) {
      if (layer(imp) > layer(f)) bad.push(`lib/${f} (layer ${layer(f)}) imports lib/${imp} (layer ${layer(imp)})`);
    }
  }
  assert.deepEqual(bad, []);
});

test("no file in lib/models imports from lib/train or lib/table", () => {
  const bad = libFiles().filter((f) => f.startsWith("models/")).flatMap((f) =>
    libImports(f).filter((i) => i.startsWith("train/") || i.startsWith("table/")).map((i) => `lib/${f} -> lib/${i}`));
  assert.deepEqual(bad, []);
});

test("every notebook a lib header names exists, and the notebook that introduces a file uses it", () => {
  const notebooks = new Map<string, string>();
  for (const d of ["notebooks", "notebooks/solutions"]) {
    for (const f of fs.readdirSync(path.join(root, d)).filter((n) => n.endsWith(".ipynb"))) {
      const nb = JSON.parse(fs.readFileSync(path.join(root, d, f), "utf8"));
      notebooks.set(`${d}/${f}`, nb.cells.map((c: { source: string[] | string }) => [c.source].flat().join("")).join("\n"));
    }
  }
  const problems: string[] = [];
  for (const f of libFiles().filter((n) => !n.endsWith("index.ts") && !n.startsWith("backend/kernels/"))) {
    const src = fs.readFileSync(path.join(lib, f), "utf8");
    const header = src.slice(0, src.indexOf("*/") + 2).replace(/\n\s*\*\s*/g, " "); // one line: a path may wrap
    const named = [...header.matchAll(/notebooks\/[\w./-]+?\.ipynb/g)].map((m) => m[0]);
    for (const n of named) if (!notebooks.has(n)) problems.push(`lib/${f}: header names ${n}, which does not exist`);
    const intro = header.match(/(?:Introduced in|Written out (?:by hand )?in)\s+(notebooks\/[\w./-]+?\.ipynb)/);
    if (!intro) continue;
    const text = notebooks.get(intro[1]);
    if (text === undefined) continue;
    const exported = [...src.matchAll(/^export (?:async )?(?:function|const|class|interface|type) (\w+)/gm)].map((m) => m[1]);
    if (exported.length && !exported.some((e) => new RegExp(`\\b${e}\\b`).test(text))) {
      problems.push(`lib/${f}: introduced in ${intro[1]}, which uses none of ${exported.slice(0, 6).join(", ")}`);
    }
  }
  assert.deepEqual(problems, []);
});

test("options are never merged with { ...defaults, ...opts } (undefined would erase a default)", () => {
  const code = (f: string) => fs.readFileSync(path.join(lib, f), "utf8").split("\n").filter((l) => !/^\s*(\*|\/\/|\/\*\*)/.test(l)).join("\n");
  const bad = libFiles().filter((f) => /\{\s*\.\.\.\w*[dD]efaults,\s*\.\.\.\w*opts\b/.test(code(f)));
  assert.deepEqual(bad, []);
  // withDefaults (check.ts) is the one place that drops undefined options; no private twins.
  const twins = libFiles().filter((f) => f !== "check.ts" &&
    /Object\.entries\([^)]*\)\.filter\(\(\[, ?\w+\]\) => \w+ !== undefined\)/.test(code(f)));
  assert.deepEqual(twins, [], "files with their own drop-undefined helper (use withDefaults from lib/check.ts)");
});
