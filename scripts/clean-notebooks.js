#!/usr/bin/env node
// `npm run clean-notebooks`: strips outputs and execution counts from notebooks/ (and solutions/),
// so they are committed clean. `--check` exits 1 (naming them) when any notebook is not clean.
const fs = require("fs");
const path = require("path");

const root = path.resolve(__dirname, "..");
const check = process.argv.includes("--check");
const dirs = [path.join(root, "notebooks"), path.join(root, "notebooks", "solutions")];
let dirty = 0;
for (const dir of dirs.filter((d) => fs.existsSync(d))) {
  for (const f of fs.readdirSync(dir).filter((x) => x.endsWith(".ipynb"))) {
    const file = path.join(dir, f);
    const nb = JSON.parse(fs.readFileSync(file, "utf8"));
    let changed = false;
    for (const c of nb.cells) {
      if (c.cell_type !== "code") continue;
      if ((c.outputs && c.outputs.length) || c.execution_count !== null) changed = true;
      c.outputs = [];
      c.execution_count = null;
    }
    if (!changed) continue;
    dirty++;
    if (check) console.log(`not clean: ${path.relative(root, file)}`);
    else {
      fs.writeFileSync(file, JSON.stringify(nb, null, 1) + "\n");
      console.log(`cleaned: ${path.relative(root, file)}`);
    }
  }
}
if (check && dirty) process.exit(1);
console.log(check ? "notebooks are clean" : `${dirty} notebook(s) cleaned`);
