#!/usr/bin/env node
// Authoring aid: turns a "percent" script (jupytext style) into a clean .ipynb for the mini-jepa kernel.
//   // %% [markdown]      starts a markdown cell; its lines are written as `// text`
//   // %%                 starts a code cell
// Usage: node scripts/percent-to-ipynb.js draft.ts notebooks/NN-name.ipynb
// The .ipynb is what the project commits (no outputs, no execution counts).
const fs = require("fs");
const [src, out] = process.argv.slice(2);
if (!src || !out) {
  console.error("usage: node scripts/percent-to-ipynb.js <draft.ts> <out.ipynb>");
  process.exit(2);
}
const cells = [];
let cur = null;
for (const line of fs.readFileSync(src, "utf8").split("\n")) {
  const m = line.match(/^\/\/ %%( \[markdown\])?\s*$/);
  if (m) {
    cur = { kind: m[1] ? "markdown" : "code", lines: [] };
    cells.push(cur);
  } else if (cur) {
    cur.lines.push(cur.kind === "markdown" ? line.replace(/^\/\/ ?/, "") : line);
  }
}
const trim = (ls) => {
  while (ls.length && !ls[0].trim()) ls.shift();
  while (ls.length && !ls[ls.length - 1].trim()) ls.pop();
  return ls;
};
const toSource = (ls) => ls.map((l, i) => (i < ls.length - 1 ? l + "\n" : l));
const nb = {
  cells: cells
    .map((c) => ({ ...c, lines: trim(c.lines) }))
    .filter((c) => c.lines.length)
    .map((c) =>
      c.kind === "markdown"
        ? { cell_type: "markdown", metadata: {}, source: toSource(c.lines) }
        : { cell_type: "code", execution_count: null, metadata: {}, outputs: [], source: toSource(c.lines) },
    ),
  metadata: {
    kernelspec: { display_name: "TypeScript (mini-jepa)", language: "typescript", name: "mini-jepa" },
    language_info: { file_extension: ".ts", mimetype: "text/typescript", name: "typescript", version: "5.0.4" },
  },
  nbformat: 4,
  nbformat_minor: 5,
};
nb.cells.forEach((c, i) => (c.id = `cell-${String(i).padStart(2, "0")}`));
fs.writeFileSync(out, JSON.stringify(nb, null, 1) + "\n");
console.log(`wrote ${out}: ${nb.cells.length} cells`);
