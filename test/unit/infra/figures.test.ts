// The model diagrams (notebooks/figures/*.svg, drawn by scripts/figures.js): the committed files are
// what the generator draws now, each is well-formed XML with a <title> and <desc> for screen readers
// and small; the generator refuses text that does not fit its box; every picture a notebook's
// markdown links by a relative path exists.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";

// eslint-disable-next-line @typescript-eslint/no-var-requires
const figures = require(path.resolve(__dirname, "../../../scripts/figures.js"));
// eslint-disable-next-line @typescript-eslint/no-var-requires
const bc = require(path.resolve(__dirname, "../../../scripts/browser-check.js"));

const root = path.resolve(__dirname, "../../..");
const drawn: { file: string; svg: string }[] = figures.render();

test("the committed SVGs are what scripts/figures.js draws now (else: npm run figures)", () => {
  assert.ok(drawn.length >= 9, `expected the nine model diagrams, the generator draws ${drawn.length}`);
  assert.deepEqual(figures.stale(drawn), [], "these figures differ from scripts/figures.js: run npm run figures and commit them");
});

test("every SVG in notebooks/figures/ is drawn by scripts/figures.js (one style for all)", () => {
  const committed = fs.readdirSync(figures.outDir).filter((f) => f.endsWith(".svg")).sort();
  assert.deepEqual(committed, drawn.map((d) => d.file).sort(), "add a new diagram to scripts/figures.js instead of committing a hand-made SVG");
});

test("each figure is well-formed XML, an <svg> with a size, a <title> and a <desc> it is labelled by, under 20 KB", () => {
  for (const { file, svg } of drawn) {
    assert.doesNotThrow(() => figures.checkXml(svg), `${file} is not well-formed`);
    const open = /^<svg\b[^>]*>/.exec(svg);
    assert.ok(open, `${file}: the root element is not <svg>`);
    assert.match(open[0], /xmlns="http:\/\/www\.w3\.org\/2000\/svg"/, `${file}: no SVG namespace (browsers would not draw it as an image)`);
    assert.match(open[0], /width="\d+" height="\d+"/, `${file}: no intrinsic size`);
    const title = /^<title id="([^"]+)">([^<]{10,})<\/title>$/m.exec(svg);
    const desc = /^<desc id="([^"]+)">([^<]{40,})<\/desc>$/m.exec(svg);
    assert.ok(title && desc, `${file}: needs a <title> and a <desc> that say what the diagram shows`);
    assert.match(open[0], new RegExp(`aria-labelledby="${title[1]} ${desc[1]}"`), `${file}: the <svg> must be labelled by its title and desc`);
    const kb = Buffer.byteLength(svg) / 1024;
    assert.ok(kb < 20, `${file} is ${kb.toFixed(1)} KB (limit 20 KB)`);
  }
});

test("the XML check rejects what a browser would not draw", () => {
  const bad: [string, RegExp][] = [
    ["<svg><g></svg>", /<\/svg> closes <g>/],
    ["<svg><rect/>", /<svg> is never closed/],
    ["<svg><text>a & b</text></svg>", /a bare &/],
    ['<svg><rect x="1" x="2"/></svg>', /attribute x twice/],
    ["<svg/><svg/>", /a second root element/],
    ["<svg><rect x=1/></svg>", /cannot read the tag/],
    ["text<svg/>", /text outside the root element/],
    ["", /no root element/],
  ];
  for (const [src, why] of bad) assert.throws(() => figures.checkXml(src), why, JSON.stringify(src));
  assert.doesNotThrow(() => figures.checkXml('<?xml version="1.0"?>\n<svg a="&amp;&#233;"><!-- c --><t>&lt;x&gt;</t></svg>\n'));
});

test("the figures parse with Python's XML parser too", { skip: spawnSync("python3", ["--version"]).status !== 0 && "no python3" }, () => {
  const code = "import sys, json, xml.etree.ElementTree as ET\nfor p in json.loads(sys.stdin.read()):\n" +
    "    r = ET.parse(p).getroot(); assert r.tag.endswith('svg'), p\n" +
    "    assert [c.tag.split('}')[-1] for c in r][:2] == ['title', 'desc'], p\nprint('ok')";
  const files = drawn.map((d) => path.join(figures.outDir, d.file));
  const r = spawnSync("python3", ["-c", code], { input: JSON.stringify(files), encoding: "utf8" });
  assert.equal(r.status, 0, r.stderr);
});

test("the vocabulary refuses text that does not fit its box, unknown anchors and kinds", () => {
  const f = new figures.Figure({ file: "t.svg", width: 300, height: 100, title: "a test figure", desc: "a test figure" });
  assert.throws(() => f.box("a", "net", 0, 0, 40, 30, "a label far too long for the box"), /t\.svg: "a label far too long for the box" needs ~\d+ px/);
  assert.throws(() => f.box("b", "net", 0, 0, 80, 10, "two", "lines"), /box b is 10 px high/);
  assert.throws(() => f.box("c", "cloud", 0, 0, 80, 30, "x"), /unknown box kind cloud/);
  f.box("d", "net", 0, 0, 80, 30, "ok");
  assert.throws(() => f.arrow(["d.r", "e.l"]), /unknown anchor "e\.l"/);
  assert.deepEqual(f.point("d.b+10"), [50, 30]);
});

test("sub- and superscripts: z_{t+1} and x_t become shifted tspans, the text is escaped", () => {
  assert.deepEqual(figures.richRuns("z_{t+1} < x_t^2"), [
    { text: "z", shift: 0 }, { text: "t+1", shift: "sub" }, { text: " < x", shift: 0 }, { text: "t", shift: "sub" }, { text: "2", shift: "sup" },
  ]);
  const f = new figures.Figure({ file: "t.svg", width: 300, height: 60, title: "a test figure", desc: "a test figure with text" });
  f.box("z", "latent", 10, 10, 80, 30, "z_{t+1} & co");
  const svg = f.svg();
  assert.doesNotThrow(() => figures.checkXml(svg));
  assert.match(svg, />z<tspan dy="3\.9" font-size="9\.4">t\+1<\/tspan><tspan dy="-3\.9"> &amp; co<\/tspan><\/text>/);
});

test("every picture a notebook's markdown links by a relative path exists (the browser check then sees it drawn)", () => {
  const dirs = [path.join(root, "notebooks"), path.join(root, "notebooks", "solutions")];
  const missing: string[] = [];
  for (const dir of dirs.filter((d) => fs.existsSync(d))) {
    for (const f of fs.readdirSync(dir).filter((n) => n.endsWith(".ipynb"))) {
      const nb = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
      for (const ref of bc.figureRefs(nb)) {
        if (!fs.existsSync(path.resolve(dir, decodeURI(ref)))) missing.push(`${path.relative(root, path.join(dir, f))}: ${ref}`);
      }
    }
  }
  assert.deepEqual(missing, []);
});

test("figureRefs: relative links of markdown cells only, in order, once each", () => {
  const nb = { cells: [
    { cell_type: "markdown", source: ["![The mini JEPA](figures/03-mini-jepa.svg)\n", '![t](figures/a.svg "title") <img src="../figures/b.svg" width=300>\n',
      "![web](https://example.org/x.png) ![d](data:image/png;base64,AA) ![a](attachment:z.png) ![again](figures/a.svg)"] },
    { cell_type: "code", source: "// ![not markdown](figures/c.svg)", outputs: [] },
  ] };
  assert.deepEqual(bc.figureRefs(nb), ["figures/03-mini-jepa.svg", "figures/a.svg", "../figures/b.svg"]);
  assert.equal(bc.sourceDirOf(path.join(root, "test-output", "notebooks", "solutions", "x.ipynb")), path.join(root, "notebooks", "solutions"));
  assert.equal(bc.sourceDirOf(path.join(root, "test-output", "notebooks-workshop", "x.ipynb")), path.join(root, "notebooks"));
  assert.equal(bc.sourceDirOf(path.join(root, "notebooks", "x.ipynb")), path.join(root, "notebooks"));
});
