// restoreNodeUtil puts back the util.is* checks Node 23 removed (tfjs-node 4.22 calls them). Checked on
// a stub module that uses them the way tfjs-node's compiled code does, in a Node process where they
// are gone (removed by hand on Node < 23; really gone on Node ≥ 23), before and after the shim.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { removedUtilChecks, restoreNodeUtil } from "../../../lib/backend/node-util-shim";

const root = path.resolve(__dirname, "../../..");
const samples: unknown[] = [null, undefined, 0, 1.5, NaN, "", "s", true, false, Symbol("s"), [], [1], {}, new Date(0),
  /x/, new Error("e"), new TypeError("t"), () => 1, Buffer.from("b"), new Uint8Array(2), Object.create(null)];

test("the restored checks answer as Node's own did (compared where this Node still has them)", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const util = require("util") as Record<string, (x: unknown) => boolean>;
  const native = Object.keys(removedUtilChecks).filter((n) => typeof util[n] === "function" && !Object.values(removedUtilChecks).includes(util[n]));
  for (const name of native) {
    samples.forEach((x, i) => assert.equal(removedUtilChecks[name](x), util[name](x), `${name}(sample ${i})`));
  }
  const table: [string, unknown, boolean][] = [["isNullOrUndefined", null, true], ["isNullOrUndefined", 0, false],
    ["isArray", [1], true], ["isObject", null, false], ["isPrimitive", Symbol("s"), true], ["isPrimitive", () => 1, false],
    ["isError", new TypeError("t"), true], ["isRegExp", /x/, true], ["isDate", new Date(0), true], ["isBuffer", new Uint8Array(2), false]];
  table.forEach(([name, x, want], i) => assert.equal(removedUtilChecks[name](x), want, `${name} (row ${i})`));
});

test("a module calling util.isNullOrUndefined and util.isArray fails without the shim and works with it", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-util-"));
  try {
    // like tfjs-node's compiled TypeScript: `const util_1 = require("util"); (0, util_1.isNullOrUndefined)(x)`
    fs.writeFileSync(path.join(dir, "stub.js"), [
      'const util_1 = require("util");',
      'const util = require("node:util");',
      "exports.describe = (x) => (0, util_1.isNullOrUndefined)(x) ? 'none' : util.isArray(x) ? 'array' : util.isString(x) ? 'string' : 'other';",
    ].join("\n"));
    const script = `
      const util = require("util");
      for (const k of ${JSON.stringify(Object.keys(removedUtilChecks))}) delete util[k]; // as on Node >= 23 (isArray too, as a later Node may)
      const stub = require(${JSON.stringify(path.join(dir, "stub.js"))});
      let before; try { stub.describe(null); before = "ran"; } catch (e) { before = e.message; }
      const added = require(${JSON.stringify(path.join(root, "lib/backend/node-util-shim.ts"))}).restoreNodeUtil();
      const after = [null, undefined, [1], "s", 3].map(stub.describe);
      console.log(JSON.stringify({ before, added, after, again: require(${JSON.stringify(path.join(root, "lib/backend/node-util-shim.ts"))}).restoreNodeUtil() }));`;
    const r = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: root, encoding: "utf8" });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split("\n").pop() as string);
    assert.match(out.before, /isNullOrUndefined\)? is not a function/);
    assert.deepEqual(out.added.sort(), Object.keys(removedUtilChecks).sort());
    assert.deepEqual(out.after, ["none", "none", "array", "string", "other"]);
    assert.deepEqual(out.again, [], "a second call adds nothing");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("restoreNodeUtil leaves functions this Node still has untouched", () => {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const util = require("util") as Record<string, unknown>;
  const before = Object.fromEntries(Object.keys(removedUtilChecks).map((k) => [k, util[k]]));
  const added = restoreNodeUtil();
  for (const k of Object.keys(removedUtilChecks)) {
    if (!added.includes(k)) assert.equal(util[k], before[k], k);
    else assert.equal(before[k], undefined, k);
  }
});
