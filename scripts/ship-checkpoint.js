#!/usr/bin/env node
// Makes a shipped checkpoint for workshop mode from a finished full run's training checkpoint:
//   node scripts/ship-checkpoint.js out/04-masked-image-jepa/checkpoint.json 04-masked-image-jepa
// writes data/checkpoints/04-masked-image-jepa.json with the weights and the logged history only
// (no optimiser state: a loaded run trains no further), and prints its size.
const fs = require("fs");
const path = require("path");

function ship(from, name, dir = path.join(__dirname, "..", "data", "checkpoints")) {
  if (!fs.existsSync(from)) throw new Error(`ship-checkpoint: no checkpoint at ${from}`);
  if (!/^[\w.-]+$/.test(name || "")) throw new Error(`ship-checkpoint: name must be a file name like 04-masked-image-jepa, received ${JSON.stringify(name)}`);
  const ck = JSON.parse(fs.readFileSync(from, "utf8"));
  if (ck.format !== "mini-jepa-checkpoint-1") throw new Error(`ship-checkpoint: ${from} is not a mini-jepa checkpoint`);
  const shipped = { ...ck, optimizer: [], meta: { ...ck.meta, shippedFrom: path.basename(path.dirname(path.resolve(from))) } };
  fs.mkdirSync(dir, { recursive: true });
  const to = path.join(dir, `${name}.json`);
  fs.writeFileSync(to, JSON.stringify(shipped));
  return { to, bytes: fs.statSync(to).size, step: ck.step };
}

module.exports = { ship };

if (require.main === module) {
  const [from, name] = process.argv.slice(2);
  if (!from || !name) {
    console.error("usage: node scripts/ship-checkpoint.js <checkpoint.json> <name>");
    process.exit(2);
  }
  const r = ship(from, name);
  console.log(`wrote ${r.to} (${(r.bytes / 1e6).toFixed(2)} MB, ${r.step} steps)`);
}
