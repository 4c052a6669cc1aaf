#!/usr/bin/env node
// Applies patches/<package>+<version>.patch to node_modules/<package> (unified diffs, exact context, no
// fuzz). `npm install` and `npm ci` run it through scripts/setup.js; running it twice changes nothing.
//   node scripts/apply-patches.js             apply every patch (already applied: said and skipped)
//   node scripts/apply-patches.js --reverse   take them out again (to see what a patch fixes)
//   node scripts/apply-patches.js --check     only say whether each is applied (npm run doctor uses it)
// A patch that does not fit (another version installed, the file changed) is reported, never forced,
// and does not fail the install: the package then runs as published.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const patchDir = path.join(root, "patches");

/**
 * Parses a unified diff into files and hunks. Each hunk is the text before (context and "-" lines)
 * and after (context and "+" lines); line numbers are ignored, the context must match exactly.
 * @returns {{ file: string, hunks: { before: string, after: string }[] }[]}
 */
function parsePatch(text) {
  const files = [];
  let file = null;
  let hunk = null;
  for (const line of text.split("\n")) {
    if (line.startsWith("--- ")) continue;
    if (line.startsWith("+++ ")) {
      file = { file: line.slice(4).trim().replace(/^b\//, ""), hunks: [] };
      files.push(file);
    } else if (line.startsWith("@@")) {
      hunk = { before: [], after: [] };
      file.hunks.push(hunk);
    } else if (hunk && (line.startsWith(" ") || line === "")) {
      hunk.before.push(line.slice(1));
      hunk.after.push(line.slice(1));
    } else if (hunk && line.startsWith("-")) hunk.before.push(line.slice(1));
    else if (hunk && line.startsWith("+")) hunk.after.push(line.slice(1));
  }
  for (const f of files) {
    for (const h of f.hunks) {
      while (h.before.length && h.after.length && h.before.at(-1) === "" && h.after.at(-1) === "") {
        h.before.pop(); // the split's empty tail, not a context line
        h.after.pop();
      }
      h.before = h.before.join("\n") + "\n";
      h.after = h.after.join("\n") + "\n";
    }
  }
  return files;
}

const count = (hay, needle) => hay.split(needle).length - 1;

/**
 * Applies (or with reverse, takes out) one parsed patch in a package folder; dryRun only says what
 * it would do ("not applied yet").
 * @returns {string[]} one line per file: "applied", "already applied", or why it did not fit
 */
function applyPatch(files, pkgDir, { reverse = false, dryRun = false } = {}) {
  return files.map(({ file, hunks }) => {
    const abs = path.join(pkgDir, file);
    if (!fs.existsSync(abs)) return `${file}: missing`;
    let text = fs.readFileSync(abs, "utf8");
    const pairs = hunks.map((h) => (reverse ? { from: h.after, to: h.before } : { from: h.before, to: h.after }));
    if (pairs.every((p) => count(text, p.to) === 1 && count(text, p.from) === 0)) return `${file}: already ${reverse ? "unpatched" : "applied"}`;
    const misfit = pairs.findIndex((p) => count(text, p.from) !== 1);
    if (misfit >= 0) return `${file}: hunk ${misfit + 1} does not match the installed file (not changed)`;
    if (dryRun) return `${file}: not ${reverse ? "reversed" : "applied"} yet`;
    for (const p of pairs) text = text.replace(p.from, () => p.to);
    fs.writeFileSync(abs, text);
    return `${file}: ${reverse ? "reversed" : "applied"}`;
  });
}

/**
 * The patches in `dir`, with the package and version each is for (from the name:
 * <package>+<version>.patch, scoped @scope+name+<version>.patch); a misnamed file gets `error`.
 */
function listPatches(dir = patchDir) {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir).filter((f) => f.endsWith(".patch")).sort().map((f) => {
    const m = f.slice(0, -".patch".length).match(/^(.+)\+([^+]+)$/);
    if (!m) return { file: path.join(dir, f), error: "name it <package>+<version>.patch (scoped: @scope+name+<version>.patch)" };
    return { file: path.join(dir, f), pkg: m[1].replace(/^(@[^+]+)\+/, "$1/"), version: m[2] };
  });
}

/** Applies every patch in `dir` to the node_modules under `base`; returns one report line per file. */
function applyAll({ reverse = false, dryRun = false, base = root, dir = patchDir } = {}) {
  return listPatches(dir).flatMap(({ file, pkg, version, error }) => {
    const pkgDir = path.join(base, "node_modules", pkg || "");
    const label = `${path.basename(file)}`;
    if (error) return [`${label}: ${error} (skipped)`];
    if (!fs.existsSync(path.join(pkgDir, "package.json"))) return [`${label}: ${pkg} is not installed (skipped)`];
    const installed = JSON.parse(fs.readFileSync(path.join(pkgDir, "package.json"), "utf8")).version;
    if (installed !== version) return [`${label}: ${pkg} ${installed} is installed, the patch is for ${version} (not applied; check whether ${installed} still needs it)`];
    return applyPatch(parsePatch(fs.readFileSync(file, "utf8")), pkgDir, { reverse, dryRun }).map((l) => `${label}: ${pkg}/${l}`);
  });
}

module.exports = { parsePatch, applyPatch, listPatches, applyAll };

if (require.main === module) {
  const opts = { reverse: process.argv.includes("--reverse"), dryRun: process.argv.includes("--check") };
  for (const line of applyAll(opts)) console.log(`[mini-jepa patches] ${line}`);
}
