// npm run add-helper: a loss (vicregLoss), a planner with a deep import list (cem) and a figure builder
// (lineChart) copied into a fresh folder outside the package run there with only the npm packages
// add-helper printed (symlinked from this package's node_modules: nothing else resolves there), and
// give the same numbers as the package's own files; they also import in a plain tslab kernel (the
// way they are used: in one's own notebook). Unknown names list close matches.
import { test } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

const root = path.resolve(__dirname, "../../..");
const cli = path.join(root, "scripts", "add-helper.js");
const tsx = path.join(root, "node_modules", "tsx", "dist", "cli.mjs");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const helper = require("../../../scripts/add-helper.js");
// eslint-disable-next-line @typescript-eslint/no-var-requires
const found: { python: string } | null = require("../../../scripts/jupyter.js").findJupyterPython();

function addHelper(args: string[], cwd: string) {
  const env = { ...process.env, INIT_CWD: cwd };
  return spawnSync(process.execPath, [cli, ...args], { cwd: root, encoding: "utf8", env });
}

/** From add-helper's output: the packages of its "npm install ..." line and each name's import path. */
function parse(out: string): { packages: string[]; from: Record<string, string> } {
  const install = /npm install (.+)/.exec(out);
  const from = Object.fromEntries([...out.matchAll(/import \{ (\w+) \} from "([^"]+)"/g)].map((m) => [m[1], m[2]]));
  // "@scope/name@1.2.3" -> "@scope/name"
  const packages = install ? install[1].trim().split(/\s+/).map((p) => p.replace(/(.)@[^@/]*$/, "$1")) : [];
  return { packages, from };
}

// The run, written once: each helper called on fixed inputs; tensors turned into plain numbers.
const runner = (paths: Record<string, string>) => `
import * as tf from "@tensorflow/tfjs";
import { vicregLoss } from "${paths.vicregLoss}";
import { cem } from "${paths.cem}";
import { lineChart } from "${paths.lineChart}";
import { setSeed } from "${paths.setSeed}";
const plain = (v: any): any => v instanceof tf.Tensor ? v.arraySync() : Array.isArray(v) ? v.map(plain)
  : v && typeof v === "object" ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)])) : v;
(async () => {
  await tf.setBackend("cpu");
  setSeed(7);
  const x = tf.tensor2d(Array.from({ length: 32 }, (_, i) => Math.sin(i * 1.7)), [8, 4]);
  const y = x.mul(0.9).add(0.1);
  const loss = plain(vicregLoss(x, y));
  const step = (z: tf.Tensor2D, a: tf.Tensor2D) => z.add(a) as tf.Tensor2D; // a linear world: z' = z + a
  const z0 = tf.tensor1d([0, 0]);
  const goal = tf.tensor1d([0.6, -0.4]);
  const plan = plain(cem({ step, z0, goal, horizon: 2, actionDim: 2, samples: 64, iterations: 4 }));
  const chart = plain(lineChart([{ name: "loss", y: [3, 2, 1.5] }], { title: "t" }));
  console.log(JSON.stringify({ loss, plan, chart, numTensors: tf.memory().numTensors }));
})();
`;

function runIn(dir: string, file: string): any {
  const r = spawnSync(process.execPath, [tsx, file], { cwd: dir, encoding: "utf8", env: { ...process.env, NODE_PATH: "" }, timeout: 120_000 });
  assert.equal(r.status, 0, `${file} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop() as string);
}

test("add-helper: vicregLoss, cem and lineChart run outside the package with only the printed packages", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-add-helper-"));
  try {
    const r = addHelper(["vicregLoss", "cem", "lineChart", "setSeed", "helpers"], dir);
    assert.equal(r.status, 0, r.stderr);
    const { packages, from: paths } = parse(r.stdout);
    assert.deepEqual(Object.keys(paths), ["vicregLoss", "cem", "lineChart", "setSeed"], r.stdout);
    assert.deepEqual([...packages], ["@tensorflow/tfjs"], "a loss, a planner and a line chart need tfjs and nothing else");
    assert.ok(fs.readdirSync(path.join(dir, "helpers"), { recursive: true }).length >= 5, "cem brings the files it imports");
    // node_modules with exactly the printed packages: anything else the copy imported would not resolve
    for (const pkg of packages) {
      fs.mkdirSync(path.dirname(path.join(dir, "node_modules", pkg)), { recursive: true });
      fs.symlinkSync(path.join(root, "node_modules", pkg), path.join(dir, "node_modules", pkg));
    }
    fs.writeFileSync(path.join(dir, "probe.ts"), 'try { require("ml-matrix"); console.log("resolves"); } catch { console.log("isolated"); }\n');
    assert.equal(spawnSync(process.execPath, [tsx, "probe.ts"], { cwd: dir, encoding: "utf8" }).stdout.trim(), "isolated");

    fs.writeFileSync(path.join(dir, "copy.ts"), runner(paths));
    const lib = Object.fromEntries(Object.entries(paths).map(([k, v]) => [k, path.join(root, "lib", v.replace(/^\.\/helpers\//, ""))]));
    fs.writeFileSync(path.join(dir, "package-lib.ts"), runner(lib));
    const copy = runIn(dir, "copy.ts");
    const pkg = runIn(dir, "package-lib.ts");
    assert.deepEqual(copy, pkg, "the copies compute what the package's own files compute");

    // and what they compute makes sense
    const values = Object.values(copy.loss) as number[];
    assert.ok(values.length >= 1 && values.every(Number.isFinite) && copy.loss.loss > 0, JSON.stringify(copy.loss));
    const plan = Object.values(copy.plan).find((v) => Array.isArray(v) && v.length === 2 && Array.isArray(v[0])) as number[][];
    const end = plan.reduce((z, a) => [z[0] + a[0], z[1] + a[1]], [0, 0]);
    assert.ok(Math.hypot(end[0] - 0.6, end[1] + 0.4) < 0.25 * Math.hypot(0.6, 0.4), `cem's plan ends near the goal: ${end}`);
    assert.deepEqual(copy.chart.data[0].y, [3, 2, 1.5]);
    assert.ok(copy.chart.layout && typeof copy.chart.layout === "object");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("add-helper: an unknown name fails and lists close matches; a clash is refused; lib/ is not a destination", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-add-helper-"));
  try {
    const r = addHelper(["lineChart", "vicreg", "helpers"], dir);
    assert.equal(r.status, 1);
    assert.match(r.stderr, /no export named "vicreg" in lib\/\. Close matches: .*vicregLoss \(lib\/losses\//);
    assert.equal(fs.existsSync(path.join(dir, "helpers")), false, "nothing copied, not even the known name");
    // in-process from here (the CLI above is the same function)
    const first = helper.addHelper("lineChart", path.join(dir, "helpers"));
    assert.equal(helper.addHelper("lineChart", path.join(dir, "helpers")).copied.length, 0, "a second copy of the same files changes nothing");
    const copied = path.join(dir, "helpers", first.entry);
    fs.appendFileSync(copied, "// my edit\n");
    assert.throws(() => helper.addHelper("lineChart", path.join(dir, "helpers")), /already exist with other contents .*--force overwrites/);
    assert.match(fs.readFileSync(copied, "utf8"), /my edit/, "the edited copy is kept");
    assert.throws(() => helper.addHelper("lineChart", path.join(root, "lib", "copy")), /is inside lib\//);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("add-helper: the copies import in a plain tslab kernel (no tsx), folder imports included", { skip: !found && "no Jupyter here" }, () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mj-add-helper-"));
  try {
    // a helper whose closure imports a folder (an index.ts), if lib/ has one: the copy points it at the index file
    const index = helper.exportIndex() as Map<string, string[]>;
    const withFolder = [...index].find(([, files]) => helper.closure(files[0]).folderImports.length)?.[0];
    const names = ["vicregLoss", "cem", ...(withFolder ? [withFolder] : [])];
    const r = addHelper([...names, "helpers"], dir);
    assert.equal(r.status, 0, r.stderr);
    const { packages, from } = parse(r.stdout);
    for (const pkg of packages) {
      fs.mkdirSync(path.dirname(path.join(dir, "node_modules", pkg)), { recursive: true });
      fs.symlinkSync(path.join(root, "node_modules", pkg), path.join(dir, "node_modules", pkg));
    }
    const spec = path.join(dir, ".jupyter", "kernels", "mini-jepa-test");
    fs.mkdirSync(spec, { recursive: true });
    fs.writeFileSync(path.join(spec, "kernel.json"), JSON.stringify({ display_name: "plain tslab", language: "typescript",
      argv: [process.execPath, path.join(root, "node_modules", "tslab", "bin", "tslab"), "kernel", "--config-path", "{connection_file}"] }));
    const steps = names.map((n, i) => ({ code: `import * as m${i} from "${from[n]}";\n${n === withFolder ? `Object.keys(m${i}).length` : `typeof m${i}.${n}`}` }));
    const d = spawnSync(found!.python, [path.join(__dirname, "kernel_driver.py"), dir, JSON.stringify(steps)], {
      encoding: "utf8", env: { ...process.env, JUPYTER_PATH: path.join(dir, ".jupyter") }, timeout: 180_000 });
    assert.equal(d.status, 0, d.stderr);
    const out = JSON.parse(d.stdout.trim().split("\n").pop() as string) as { stdout: string; stderr: string; status: string }[];
    out.forEach((o, i) => assert.equal(o.status, "ok", `${names[i]}: ${o.stderr}`));
    assert.match(out[0].stdout + out[1].stdout, /function[\s\S]*function/);
    if (withFolder) assert.match(out[2].stdout, /^[1-9]\d*\s*$/, `${withFolder}'s module loaded: ${JSON.stringify(out[2])}`);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
