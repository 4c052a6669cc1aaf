#!/usr/bin/env node
// `npm run add-helper -- <exported name> [more names] <dir>`: copies the lib/ file that defines an export, and every
// lib/ file it imports (its import closure), into <dir>, keeping their layout under lib/ so every
// relative import still resolves; then prints the npm packages the copy needs and how to import it.
//   npm run add-helper -- cem ../my-project/helpers        -> helpers/plan/cem.ts, helpers/random.ts, ...
//   npm run add-helper -- --list                            every export and the file defining it
// Files already in <dir> with the same contents are left alone; different contents stop the copy
// (--force overwrites). An unknown name is an error that lists the closest names. The one change made
// to a copied file: an import of a folder ("../losses") becomes an import of its index ("../losses/index"),
// which a plain tslab kernel resolves (it finds files, not folders); Node and tsx read both the same.
const fs = require("fs");
const path = require("path");
const { builtinModules } = require("module");

const root = path.resolve(__dirname, "..");
const libDir = path.join(root, "lib");

function loadTypeScript() {
  for (const name of ["typescript", "@tslab/typescript-for-tslab"]) {
    try {
      return require(require.resolve(name, { paths: [root] }));
    } catch { /* try the next */ }
  }
  throw new Error("add-helper needs TypeScript's parser (npm install)");
}
const ts = loadTypeScript();

/** Every .ts file under lib/ (absolute paths, sorted). */
function libFiles(dir = libDir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? libFiles(p) : /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  }).sort();
}

const hasExport = (node) => (ts.getModifiers?.(node) ?? node.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);

/**
 * What a file defines and what it loads: `defines` are the names it declares and exports itself
 * (re-exports do not count); `imports` are module specifiers, `lazy` true for those loaded inside
 * code (require, require.resolve, import()) rather than by an import/export statement at the top.
 */
const scanned = new Map();
function scan(file) {
  if (!scanned.has(file)) scanned.set(file, scanFile(file));
  return scanned.get(file);
}

function scanFile(file) {
  const sf = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const defines = [];
  const imports = [];
  // a specifier and where its text sits in the file (inside the quotes), for rewriting folder imports
  const at = (lit, lazy) => ({ spec: lit.text, lazy, start: lit.getStart(sf) + 1, end: lit.getEnd() - 1 });
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) || (ts.isExportDeclaration(st) && st.moduleSpecifier)) {
      if (ts.isStringLiteral(st.moduleSpecifier)) imports.push(at(st.moduleSpecifier, false));
    } else if (ts.isImportEqualsDeclaration(st) && ts.isExternalModuleReference(st.moduleReference)) {
      imports.push(at(st.moduleReference.expression, false));
    } else if (ts.isExportDeclaration(st) && st.exportClause && ts.isNamedExports(st.exportClause)) {
      defines.push(...st.exportClause.elements.map((e) => e.name.text));
    } else if (hasExport(st)) {
      if (ts.isVariableStatement(st)) {
        for (const d of st.declarationList.declarations) if (ts.isIdentifier(d.name)) defines.push(d.name.text);
      } else if (st.name && ts.isIdentifier(st.name)) defines.push(st.name.text);
    }
  }
  const visit = (node) => {
    if (ts.isCallExpression(node) && node.arguments.length) {
      const callee = node.expression.getText(sf);
      const arg = node.arguments[0];
      const text = ts.isStringLiteralLike(arg) ? arg.text : ts.isTemplateExpression(arg) ? arg.head.text : null;
      if (text && (callee === "require" || callee === "require.resolve" || node.expression.kind === ts.SyntaxKind.ImportKeyword)) {
        imports.push(ts.isStringLiteralLike(arg) ? at(arg, true) : { spec: text, lazy: true });
      }
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      imports.push(at(node.argument.literal, false));
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return { defines, imports, usesDirname: /\b__dirname\b/.test(sf.text) };
}

/** The lib file a relative specifier of `from` points at, or null. */
function resolveRelative(from, spec) {
  const base = path.resolve(path.dirname(from), spec);
  const tries = [base, `${base}.ts`, `${base}.tsx`, `${base}.json`, path.join(base, "index.ts")];
  return tries.find((p) => fs.existsSync(p) && fs.statSync(p).isFile()) ?? null;
}

/** The npm package a bare specifier names ("@scope/name/x" -> "@scope/name"), or null for Node's own. */
function packageOf(spec) {
  const name = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0];
  if (spec.startsWith("node:") || builtinModules.includes(name) || builtinModules.includes(spec)) return null;
  return name;
}

/** name -> [files defining it] over all of lib/. */
function exportIndex() {
  const index = new Map();
  for (const f of libFiles()) {
    for (const name of scan(f).defines) index.set(name, [...(index.get(name) || []), f]);
  }
  return index;
}

/**
 * The import closure of `entry` within lib/: files (absolute), npm packages with where they are used
 * and whether only lazily, and the files that look for files next to themselves (__dirname).
 */
function closure(entry) {
  const files = [];
  const packages = new Map(); // name -> { lazy: boolean, from: Set<rel file> }
  const dirnames = [];
  const folderImports = []; // plain tslab kernels resolve files, not folders (index.ts): rewritten in the copy
  const todo = [entry];
  const problems = [];
  while (todo.length) {
    const f = todo.shift();
    if (files.includes(f)) continue;
    files.push(f);
    const { imports, usesDirname } = scan(f);
    if (usesDirname) dirnames.push(f);
    for (const { spec, lazy, start, end } of imports) {
      if (spec.startsWith(".")) {
        const target = resolveRelative(f, spec);
        if (!target) problems.push(`${path.relative(libDir, f)}: cannot resolve "${spec}"`);
        else if (path.relative(libDir, target).startsWith("..")) problems.push(`${path.relative(libDir, f)}: imports "${spec}", outside lib/`);
        else {
          if (path.basename(target) === "index.ts" && !/index(\.ts)?$/.test(spec) && start !== undefined) {
            folderImports.push({ file: f, start, end, to: `${spec.replace(/\/$/, "")}/index`, label: `${path.relative(libDir, f)}: "${spec}"` });
          }
          todo.push(target);
        }
        continue;
      }
      const pkg = packageOf(spec);
      if (!pkg) continue;
      const p = packages.get(pkg) || { lazy: true, from: new Set() };
      p.lazy = p.lazy && lazy && f !== entry; // what the entry file loads, even lazily, it needs to work
      p.from.add(path.relative(libDir, f));
      packages.set(pkg, p);
    }
  }
  return { files, packages, dirnames, folderImports, problems };
}

/** The version this package pins for `pkg` (dependencies, optional, dev), else the installed one. */
function versionOf(pkg) {
  const pj = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8"));
  for (const field of ["dependencies", "optionalDependencies", "devDependencies"]) {
    if (pj[field] && pj[field][pkg]) return { version: pj[field][pkg], optional: field === "optionalDependencies" };
  }
  try {
    return { version: require(require.resolve(`${pkg}/package.json`, { paths: [root] })).version, optional: false };
  } catch {
    return { version: null, optional: false };
  }
}

/** Levenshtein distance, case-insensitive. */
function distance(a, b) {
  a = a.toLowerCase();
  b = b.toLowerCase();
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) cur[j] = Math.min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    prev = cur;
  }
  return prev[b.length];
}

/** Up to `n` exported names closest to `name`: containing it (or contained), then by edit distance. */
function closeMatches(name, names, n = 6) {
  const low = name.toLowerCase();
  return names
    .map((c) => ({ c, d: c.toLowerCase().includes(low) || low.includes(c.toLowerCase()) ? 0.5 : distance(name, c) }))
    .filter(({ d }) => d <= Math.max(2, Math.floor(name.length / 3)))
    .sort((x, y) => x.d - y.d || x.c.length - y.c.length || x.c.localeCompare(y.c))
    .slice(0, n)
    .map(({ c }) => c);
}

/** A file's text with the given folder imports pointed at the folder's index file (last first, so offsets hold). */
function withFileImports(file, rewrites) {
  let text = fs.readFileSync(file, "utf8");
  for (const r of [...rewrites].sort((a, b) => b.start - a.start)) text = text.slice(0, r.start) + r.to + text.slice(r.end);
  return text;
}

/** The lib file that defines `name`; an unknown name throws with the closest names, an ambiguous one with its files. */
function findExport(name) {
  const index = exportIndex();
  const where = index.get(name);
  if (!where) {
    const close = closeMatches(name, [...index.keys()]);
    const hint = close.length ? `Close matches: ${close.map((c) => `${c} (lib/${path.relative(libDir, index.get(c)[0])})`).join(", ")}.` : "No close match.";
    throw new Error(`no export named "${name}" in lib/. ${hint} (npm run add-helper -- --list shows every name)`);
  }
  if (where.length > 1) throw new Error(`"${name}" is defined in several files: ${where.map((f) => path.relative(root, f)).join(", ")}`);
  return where;
}

/**
 * Copies `name`'s file and import closure into `dest`. Returns what was done (for printing and tests).
 * Throws on an unknown or ambiguous name, a destination inside lib/, or a clash with another file.
 */
function addHelper(name, dest, { force = false } = {}) {
  const where = findExport(name);
  const out = path.resolve(process.env.INIT_CWD || process.cwd(), dest); // npm run starts in the package root
  if (!path.relative(libDir, out).startsWith("..") || out === libDir) throw new Error(`${dest} is inside lib/: copy helpers out of the package, not into it`);
  const c = closure(where[0]);
  if (c.problems.length) throw new Error(`cannot copy ${name}: ${c.problems.join("; ")}`);
  const plan = c.files.map((f) => ({ from: f, rel: path.relative(libDir, f), to: path.join(out, path.relative(libDir, f)),
    text: withFileImports(f, c.folderImports.filter((r) => r.file === f)) }));
  const clashes = plan.filter((p) => fs.existsSync(p.to) && fs.readFileSync(p.to, "utf8") !== p.text);
  if (clashes.length && !force) {
    throw new Error(`${clashes.map((p) => p.to).join(", ")} already exist with other contents (an older copy?); --force overwrites`);
  }
  const copied = [];
  const same = [];
  for (const p of plan) {
    if (fs.existsSync(p.to) && fs.readFileSync(p.to, "utf8") === p.text) {
      same.push(p.rel);
      continue;
    }
    fs.mkdirSync(path.dirname(p.to), { recursive: true });
    fs.writeFileSync(p.to, p.text);
    copied.push(p.rel);
  }
  const packages = [...c.packages].map(([pkg, info]) => ({ name: pkg, ...versionOf(pkg), lazy: info.lazy, from: [...info.from].sort() }))
    .sort((a, b) => a.name.localeCompare(b.name));
  return { name, entry: path.relative(libDir, where[0]), dest: out, files: plan.map((p) => p.rel), copied, same, packages,
    dirnames: c.dirnames.map((f) => path.relative(libDir, f)), folderImports: c.folderImports.map((r) => `${r.label} -> "${r.to}"`) };
}

/** The lines add-helper prints after copying one or more helpers into the same folder. */
function describe(results) {
  const rs = Array.isArray(results) ? results : [results];
  const dest = rs[0].dest;
  const relDest = path.relative(process.env.INIT_CWD || process.cwd(), dest) || ".";
  const spec = (p) => (p.version ? `${p.name}@${p.version}` : p.name);
  const all = new Map();
  for (const p of rs.flatMap((r) => r.packages)) {
    const had = all.get(p.name);
    all.set(p.name, had ? { ...had, lazy: had.lazy && p.lazy, from: [...new Set([...had.from, ...p.from])].sort() } : p);
  }
  const packages = [...all.values()].sort((a, b) => a.name.localeCompare(b.name));
  const needed = packages.filter((p) => !p.lazy && !p.optional);
  const onSomePaths = packages.filter((p) => p.lazy || p.optional);
  const lines = [];
  for (const r of rs) {
    lines.push(`${r.name}: lib/${r.entry} and ${r.files.length - 1} file(s) it imports -> ${relDest}/ (${r.copied.length} copied, ${r.same.length} already there)`);
    lines.push(...r.files.map((f) => `  ${f}${f === r.entry ? `  (defines ${r.name})` : ""}`));
  }
  lines.push(needed.length ? `npm packages the copy needs:\n  npm install ${needed.map(spec).join(" ")}` : "npm packages the copy needs: none");
  if (onSomePaths.length) {
    lines.push("loaded only on some paths (install them if you use those; otherwise they are skipped or fall back):");
    for (const p of onSomePaths) lines.push(`  ${spec(p)}${p.optional ? " (optional)" : ""}: ${p.from.join(", ")}`);
  }
  const dirnames = [...new Set(rs.flatMap((r) => r.dirnames))];
  if (dirnames.length) lines.push(`note: ${dirnames.join(", ")} look(s) for files next to the package (__dirname); read the file header`);
  const folders = [...new Set(rs.flatMap((r) => r.folderImports))];
  if (folders.length) lines.push(`changed in the copy, so a plain tslab kernel (which resolves files, not folders) finds them: ${folders.join("; ")}`);
  lines.push(`use it from a notebook or file in ${path.dirname(dest)}:`);
  for (const r of rs) lines.push(`  import { ${r.name} } from "./${path.basename(dest)}/${r.entry.replace(/\.tsx?$/, "").split(path.sep).join("/")}";`);
  return lines.join("\n");
}

module.exports = { addHelper, findExport, describe, closure, exportIndex, closeMatches, scan };

if (require.main === module) {
  const args = process.argv.slice(2);
  const force = args.includes("--force");
  const rest = args.filter((a) => a !== "--force");
  try {
    if (rest[0] === "--list") {
      const index = exportIndex();
      for (const name of [...index.keys()].sort((a, b) => a.localeCompare(b))) console.log(`${name}  lib/${path.relative(libDir, index.get(name)[0])}`);
    } else if (rest.length < 2) {
      console.error("usage: npm run add-helper -- <exported name> [more names] <dir> [--force]   (or --list)");
      process.exit(2);
    } else {
      const dest = rest[rest.length - 1];
      const names = rest.slice(0, -1);
      names.forEach(findExport); // every name known before anything is copied
      console.log(describe(names.map((name) => addHelper(name, dest, { force }))));
    }
  } catch (err) {
    console.error(`add-helper: ${err.message}`);
    process.exit(1);
  }
}
