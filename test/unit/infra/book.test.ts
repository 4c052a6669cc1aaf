// scripts/book.js's pieces: the notebook map read from the README's table, math rendered by KaTeX only
// in markdown cells (never in code), links between notebooks pointed at their pages, lessons found by name.
import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const book = require("../../../scripts/book.js");
const root = path.resolve(__dirname, "../../..");

test("lessons: every notebooks/NN-*.ipynb in order, none hard-coded", () => {
  const found = book.lessons([]).map((l: { stem: string }) => `${l.stem}.ipynb`);
  const onDisk = fs.readdirSync(path.join(root, "notebooks")).filter((f) => /^\d\d-.*\.ipynb$/.test(f)).sort();
  assert.deepEqual(found, onDisk);
  assert.ok(found.length >= 2);
});

test("readmeTable: one row per notebook of the README's table, with what it shows and its measured headline", () => {
  const rows = book.readmeTable();
  const stems = book.lessons([]).map((l: { stem: string }) => l.stem).filter((s: string) => rows[s]);
  assert.ok(stems.length >= 2, `the README's notebook table names the notebooks: ${Object.keys(rows)}`);
  for (const s of stems) assert.ok(rows[s].shows && rows[s].measured, s);
});

test("renderCellsMath: TeX in markdown cells becomes KaTeX; code cells and <code> keep their dollars", () => {
  const stats = { math: 0, mathErrors: [] as string[] };
  const md = '<div class="cell border-box-sizing text_cell rendered"><p>Energy $$E = \\tfrac{1}{D} \\lVert a &lt; b \\rVert$$ and $x_1$; <code>$HOME</code></p></div>\n';
  const code = '<div class="cell border-box-sizing code_cell rendered"><pre>`${a}` costs $5 and $6</pre><div>$x$</div></div>\n';
  const out = book.renderCellsMath(md + code, stats);
  assert.equal(stats.math, 2);
  assert.deepEqual(stats.mathErrors, []);
  assert.match(out, /class="katex-display"/);
  assert.match(out, /<code>\$HOME<\/code>/);
  assert.ok(out.includes(code), "code cells are untouched");
  book.renderCellsMath('<div class="cell border-box-sizing text_cell rendered">$$\\frac{1}{$$</div>', stats);
  assert.equal(stats.mathErrors.length, 1, "a broken equation is counted (the build then fails)");
});

test("relink: links to notebooks that have a page point at the page", () => {
  const pages = new Set(["02-energy-and-collapse"]);
  const html = '<a href="02-energy-and-collapse.ipynb#x">a</a> <a href="../notebooks/02-energy-and-collapse.ipynb">b</a> <a href="09-other.ipynb">c</a>';
  assert.equal(book.relink(html, pages), '<a href="02-energy-and-collapse.html#x">a</a> <a href="02-energy-and-collapse.html">b</a> <a href="09-other.ipynb">c</a>');
});
