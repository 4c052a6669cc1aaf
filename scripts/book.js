#!/usr/bin/env node
// `npm run book`: the course as a static site in book/ (git-ignored). Executes every notebook
// (notebooks/NN-*.ipynb, in order) through Jupyter and the tslab kernel, then writes:
//   book/index.html          the notebook map: what each shows and its measured headline (from the
//                            README's notebook table, else the notebook's own summary), this build's times
//   book/NN-name.html        each notebook with its outputs: charts interactive where JavaScript runs
//                            (plotly.js from book/assets), their PNG where it does not; math by KaTeX
//   book/where-next.html     each lesson -> the research code that scales it up (scripts/book/where-next.md)
//   book/notebooks/*.ipynb   the executed notebooks; book/figures/ the diagrams; book/build.json the run
// Modes: default = workshop mode (MINI_JEPA_SKIP_TRAINING=1: the long trainings load their shipped
// checkpoints; everything else runs in full); --quick = QUICK=1 (every page says so); --train = full
// trainings too. Other options:
//   --from DIR        build from notebooks already executed in DIR (no execution; say --quick if they were)
//   --solutions       also execute and add notebooks/solutions/ (linked from each notebook)
//   --out DIR         where to write (default book/)
//   notebooks/NN*.ipynb ...   only these notebooks
// Open it with any static server: python3 -m http.server -d book   (then http://localhost:8000/)
const { spawnSync } = require("child_process");
const fs = require("fs");
const path = require("path");
const j = require("./jupyter.js");

const root = j.root;
/** Which files are lessons: notebooks/NN-*.ipynb, in name order (no hard-coded list). */
const lessonPattern = /^\d\d-.*\.ipynb$/;

function parseArgs(argv) {
  const o = { quick: false, train: false, from: null, solutions: false, out: path.join(root, "book"), only: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--quick") o.quick = true;
    else if (a === "--train") o.train = true;
    else if (a === "--solutions") o.solutions = true;
    else if (a === "--from") o.from = path.resolve(argv[++i]);
    else if (a === "--out") o.out = path.resolve(argv[++i]);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else o.only.push(path.resolve(a));
  }
  return o;
}

/** The lessons: { stem, num, src, solution? } in order. */
function lessons(only) {
  const dir = path.join(root, "notebooks");
  const files = only.length ? only : fs.readdirSync(dir).filter((f) => lessonPattern.test(f)).sort().map((f) => path.join(dir, f));
  return files.map((src) => {
    const stem = path.basename(src, ".ipynb");
    const sol = path.join(dir, "solutions", `${stem}-solutions.ipynb`);
    return { stem, num: stem.slice(0, 2), src, solution: fs.existsSync(sol) ? sol : null };
  });
}

/** Executes one notebook into `outDir`; returns { ok, secs }. */
function execute(src, outDir, env) {
  const t0 = Date.now();
  const r = spawnSync(process.execPath, [path.join(__dirname, "run-notebooks.js"), src], {
    cwd: root, stdio: "inherit", env: { ...process.env, ...env, NOTEBOOK_OUT_DIR: outDir },
  });
  return { ok: r.status === 0, secs: (Date.now() - t0) / 1000 };
}

/** The README's notebook table: stem -> { shows, measured } (markdown text), if the README has one. */
function readmeTable() {
  const file = path.join(root, "README.md");
  if (!fs.existsSync(file)) return {};
  const rows = {};
  for (const line of fs.readFileSync(file, "utf8").split("\n")) {
    const cells = line.split("|").slice(1, -1).map((c) => c.trim());
    if (cells.length < 4 || !/^\d\d$/.test(cells[0])) continue;
    const stem = (/`([^`]+)`/.exec(cells[1]) || [])[1];
    if (stem) rows[stem] = { shows: cells[2], measured: cells[cells.length - 1] };
  }
  return rows;
}

/** A notebook's own summary: the first lines under its "Summary" heading (markdown), or "". */
function ownSummary(src) {
  const nb = JSON.parse(fs.readFileSync(src, "utf8"));
  for (const c of nb.cells) {
    const text = [].concat(c.source).join("");
    if (c.cell_type === "markdown" && /^#+\s*Summary/im.test(text)) {
      const after = text.split(/^#+\s*Summary.*$/im)[1] || "";
      return after.trim().split("\n").filter((l) => l.trim()).slice(0, 2).join(" ").slice(0, 400);
    }
  }
  return "";
}

const katex = (() => {
  try {
    return require(require.resolve("katex", { paths: [root] }));
  } catch {
    return null;
  }
})();
const decode = (s) => s.replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, "&");

/** Renders $$…$$, \[…\], $…$ and \(…\) in HTML text outside <code>, <pre> and <script>; counts errors. */
function renderMath(html, stats) {
  if (!katex) return html;
  const render = (tex, displayMode) => {
    try {
      return katex.renderToString(decode(tex), { displayMode, throwOnError: true, output: "html" });
    } catch (err) {
      stats.mathErrors.push(`${err.message.split("\n")[0]} in ${tex.slice(0, 60)}`);
      return katex.renderToString(decode(tex), { displayMode, throwOnError: false, output: "html" });
    }
  };
  return html.split(/(<pre[\s\S]*?<\/pre>|<code[\s\S]*?<\/code>|<script[\s\S]*?<\/script>)/).map((part, i) => {
    if (i % 2) return part;
    stats.math += (part.match(/\$\$[\s\S]+?\$\$|\\\[[\s\S]+?\\\]|\\\([\s\S]+?\\\)|\$[^$\n]+?\$/g) || []).length;
    return part
      .replace(/\$\$([\s\S]+?)\$\$/g, (_, t) => render(t, true))
      .replace(/\\\[([\s\S]+?)\\\]/g, (_, t) => render(t, true))
      .replace(/\\\(([\s\S]+?)\\\)/g, (_, t) => render(t, false))
      .replace(/(^|[^\\$])\$([^$\n]+?)\$/g, (_, pre, t) => pre + render(t, false));
  }).join("");
}

/** Math in the markdown cells of an nbconvert "basic" fragment (code cells and outputs untouched). */
function renderCellsMath(fragment, stats) {
  return fragment.split(/(?=<div class="cell border-box-sizing )/).map((cell) =>
    cell.startsWith('<div class="cell border-box-sizing text_cell') ? renderMath(cell, stats) : cell).join("");
}

/** Links to other notebooks (NN-name.ipynb, with any path) point at their pages when they exist. */
function relink(html, pages) {
  return html.replace(/href="([^"#]*?)([^"/#]+)\.ipynb(#[^"]*)?"/g, (m, _dir, stem, hash) =>
    pages.has(stem) ? `href="${stem}.html${hash || ""}"` : m);
}

const esc = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");

function page({ title, banner, nav, body, foot }) {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(title)} · mini-jepa</title>
<link rel="stylesheet" href="assets/book.css"><link rel="stylesheet" href="assets/pygments.css">
<link rel="stylesheet" href="assets/katex/katex.min.css">
<script src="assets/plotly.js"></script>
</head><body>
${banner ? `<div class="banner">${banner}</div>` : ""}
<nav class="top">${nav}</nav>
<main>
${body}
</main>
<nav class="bottom">${nav}</nav>
${foot ? `<footer>${foot}</footer>` : ""}
</body></html>
`;
}

function copyAssets(out) {
  const assets = path.join(out, "assets");
  fs.mkdirSync(path.join(assets, "katex"), { recursive: true });
  fs.copyFileSync(require.resolve("plotly.js-dist/plotly.js", { paths: [root] }), path.join(assets, "plotly.js"));
  fs.copyFileSync(path.join(__dirname, "book", "book.css"), path.join(assets, "book.css"));
  if (katex) {
    const dist = path.dirname(require.resolve("katex/dist/katex.min.css", { paths: [root] }));
    fs.copyFileSync(path.join(dist, "katex.min.css"), path.join(assets, "katex", "katex.min.css"));
    fs.cpSync(path.join(dist, "fonts"), path.join(assets, "katex", "fonts"), { recursive: true });
  }
  const figures = path.join(root, "notebooks", "figures");
  if (fs.existsSync(figures)) fs.cpSync(figures, path.join(out, "figures"), { recursive: true });
}

function main() {
  const o = parseArgs(process.argv.slice(2));
  const found = j.findJupyterPython();
  if (!found) throw new Error("no Python with Jupyter found: npm run setup");
  const list = lessons(o.only);
  if (!list.length) throw new Error("no notebooks/NN-*.ipynb found");
  const t0 = Date.now();
  fs.rmSync(o.out, { recursive: true, force: true });
  const executedDir = path.join(o.out, "notebooks");
  fs.mkdirSync(executedDir, { recursive: true });
  const mode = o.quick ? "quick" : o.train ? "full" : "workshop";
  const env = { QUICK: o.quick ? "1" : "0", ...(mode === "workshop" ? { MINI_JEPA_SKIP_TRAINING: "1" } : {}) };

  // 1. execute (or take the executed copies)
  const runs = {};
  for (const l of list) {
    for (const [key, src] of [[l.stem, l.src], ...(o.solutions && l.solution ? [[`${l.stem}-solutions`, l.solution]] : [])]) {
      const dest = path.join(executedDir, `${key}.ipynb`);
      if (o.from) {
        const from = [path.join(o.from, `${key}.ipynb`), path.join(o.from, "solutions", `${key}.ipynb`)].find((f) => fs.existsSync(f));
        runs[key] = from ? { ok: true, secs: null } : { ok: false, secs: null, missing: true };
        if (from) fs.copyFileSync(from, dest);
        continue;
      }
      console.log(`[book] executing ${path.relative(root, src)} (${mode} mode)`);
      const out = path.join(o.out, ".run");
      const r = execute(src, out, env);
      const produced = [path.join(out, `${key}.ipynb`), path.join(out, "solutions", `${key}.ipynb`)].find((f) => fs.existsSync(f));
      if (produced) fs.renameSync(produced, dest);
      runs[key] = { ...r, missing: !produced };
    }
  }
  fs.rmSync(path.join(o.out, ".run"), { recursive: true, force: true });

  // 2. convert with nbconvert (fragments), render the index's and where-next's markdown
  const table = readmeTable();
  const keys = Object.keys(runs).filter((k) => !runs[k].missing);
  const fragDir = path.join(o.out, ".fragments");
  fs.mkdirSync(fragDir, { recursive: true });
  const whereNextSrc = fs.readFileSync(path.join(__dirname, "book", "where-next.md"), "utf8")
    .replace(/\{\{nb:(\d\d)\}\}/g, (_, n) => {
      const l = list.find((x) => x.num === n);
      return l ? `[${n}](${l.stem}.html)` : n;
    });
  const md = { whereNext: whereNextSrc };
  for (const l of list) {
    const row = table[l.stem];
    md[`shows:${l.stem}`] = row ? row.shows : "";
    md[`measured:${l.stem}`] = row ? row.measured : ownSummary(l.src);
  }
  const job = { notebooks: keys.map((k) => [path.join(executedDir, `${k}.ipynb`), path.join(fragDir, `${k}.html`)]), markdown: md };
  const py = spawnSync(found.python, [path.join(__dirname, "book_html.py")], { input: JSON.stringify(job), encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  if (py.status !== 0) throw new Error(`nbconvert failed: ${py.stderr.trim().split("\n").slice(-3).join(" ")}`);
  const conv = JSON.parse(py.stdout);
  copyAssets(o.out);
  fs.writeFileSync(path.join(o.out, "assets", "pygments.css"), conv.pygments_css);

  // 3. pages
  const banner = {
    quick: "Built in <b>QUICK mode</b> (QUICK=1): every run is shrunk, so numbers are rougher than the lesson's. <code>npm run book</code> without <code>--quick</code> builds the real ones.",
    workshop: "Built in <b>workshop mode</b>: notebooks with long trainings loaded their shipped checkpoints (trained by full runs of the same notebooks); everything else ran in full.",
    full: "",
  }[mode];
  const pages = new Set(keys);
  const stats = { math: 0, mathErrors: [] };
  const titleOf = (k) => conv.titles[path.join(fragDir, `${k}.html`)] || k;
  const nav = (i) => {
    const prev = list[i - 1];
    const next = list[i + 1];
    const l = list[i];
    return [prev && pages.has(prev.stem) ? `<a rel="prev" href="${prev.stem}.html">← ${esc(titleOf(prev.stem))}</a>` : "<span></span>",
      `<a href="index.html">Contents</a>`,
      ...(pages.has(`${l.stem}-solutions`) ? [`<a href="${l.stem}-solutions.html">Solutions</a>`] : []),
      `<a href="where-next.html">Where next</a>`,
      next && pages.has(next.stem) ? `<a rel="next" href="${next.stem}.html">${esc(titleOf(next.stem))} →</a>` : "<span></span>"].join("\n");
  };
  const ranFoot = (k) => {
    const r = runs[k];
    const how = r.secs != null ? `executed in ${Math.round(r.secs)} s` : "taken from an earlier run";
    return `${mode} mode, ${how}${r.ok ? "" : " — <b>a cell failed</b>: the page shows the outputs up to it"}. <a href="notebooks/${k}.ipynb" download>Executed notebook</a>.`;
  };
  list.forEach((l, i) => {
    for (const k of [l.stem, `${l.stem}-solutions`]) {
      if (!pages.has(k)) continue;
      const body = relink(renderCellsMath(fs.readFileSync(path.join(fragDir, `${k}.html`), "utf8"), stats), pages);
      fs.writeFileSync(path.join(o.out, `${k}.html`), page({ title: titleOf(k), banner, nav: nav(i), body, foot: ranFoot(k) }));
    }
  });
  const strip = (html) => html.trim().replace(/^<p>([\s\S]*)<\/p>$/, "$1");
  const rows = list.map((l) => {
    const r = runs[l.stem];
    const state = !r || r.missing ? "not built" : `${r.ok ? "ok" : "<b>failed</b>"}${r.secs != null ? `, ${Math.round(r.secs)} s` : ""}`;
    const name = pages.has(l.stem) ? `<a href="${l.stem}.html">${esc(titleOf(l.stem))}</a>` : esc(l.stem);
    return `<tr><td>${l.num}</td><td>${name}</td><td>${strip(conv.markdown[`shows:${l.stem}`] || "")}</td><td>${strip(conv.markdown[`measured:${l.stem}`] || "")}</td><td>${state}</td></tr>`;
  }).join("\n");
  const index = `<h1>mini-jepa: learn JEPA by running it</h1>
<p>TypeScript notebooks on the tslab kernel: from why auto-regressive prediction struggles to a JEPA world
model you train on a laptop CPU and plan with. Each page is a notebook with the outputs of this build.
Run them yourself with <code>npm start</code>.</p>
<table class="map"><thead><tr><th>#</th><th>notebook</th><th>what it shows</th><th>measured (full mode)</th><th>this build</th></tr></thead>
<tbody>
${rows}
</tbody></table>
<p>The "measured" column comes from full runs (the README's notebook table, or the notebook's summary); this
build's own numbers are on each page. Then: <a href="where-next.html">where next</a>, from these lessons to
the research code that scales them up.</p>`;
  fs.writeFileSync(path.join(o.out, "index.html"), page({ title: "Contents", banner, nav: `<a href="index.html">Contents</a>\n<a href="where-next.html">Where next</a>`, body: index }));
  fs.writeFileSync(path.join(o.out, "where-next.html"), page({ title: "Where next", banner: "", nav: `<a href="index.html">Contents</a>\n<a href="where-next.html">Where next</a>`, body: renderMath(conv.markdown.whereNext, stats) }));
  fs.rmSync(fragDir, { recursive: true, force: true });

  const failed = Object.entries(runs).filter(([, r]) => !r.ok).map(([k, r]) => `${k}${r.missing ? " (missing)" : ""}`);
  const build = { mode, built: new Date().toISOString(), seconds: (Date.now() - t0) / 1000, notebooks: runs, math: stats.math, mathErrors: stats.mathErrors, katex: !!katex };
  fs.writeFileSync(path.join(o.out, "build.json"), JSON.stringify(build, null, 1) + "\n");
  console.log(`[book] ${path.relative(process.cwd(), o.out) || "."}/index.html: ${pages.size} page(s), ${mode} mode, ${build.seconds.toFixed(0)} s; math: ${stats.math} expression(s)${katex ? "" : " left as TeX (katex not installed)"}${stats.mathErrors.length ? `, ${stats.mathErrors.length} error(s): ${stats.mathErrors.join("; ")}` : ""}`);
  if (failed.length) console.log(`[book] FAILED: ${failed.join(", ")}`);
  console.log(`[book] open it: python3 -m http.server -d ${path.relative(process.cwd(), o.out) || "."}   then http://localhost:8000/`);
  process.exit(failed.length || stats.mathErrors.length ? 1 : 0);
}

module.exports = { readmeTable, ownSummary, renderMath, renderCellsMath, relink, lessons };

if (require.main === module) {
  try {
    main();
  } catch (err) {
    console.error(`[book] ${err.message}`);
    process.exit(1);
  }
}
