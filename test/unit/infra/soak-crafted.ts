// The workshop soak's crafted day (used by test/unit/infra/workshop-soak.test.ts): small notebooks, one
// per thing the soak must see, so scripts/workshop-soak.js is tested in minutes instead of hours.
// To look at it yourself: `node --import tsx test/unit/infra/soak-crafted.ts test-output/crafted` then
// `SOAK_NOTEBOOKS=test-output/crafted npm run test:workshop` (02-04 are made to fail).
import * as fs from "fs";
import * as path from "path";

/** A notebook with these code cells (no outputs, as committed). */
export function notebook(cells: string[]): object {
  return {
    nbformat: 4, nbformat_minor: 5,
    metadata: { kernelspec: { name: "mini-jepa", display_name: "TypeScript (mini-jepa)", language: "typescript" } },
    cells: cells.map((source, i) => ({ cell_type: "code", id: `c${i}`, execution_count: null, metadata: {}, source, outputs: [] })),
  };
}
export function writeNotebooks(dir: string, nbs: Record<string, string[]>): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const [name, cells] of Object.entries(nbs)) fs.writeFileSync(path.join(dir, name), JSON.stringify(notebook(cells), null, 1));
}

/** The crafted day: what each notebook's cells are. */
export const craftedDay: Record<string, string[]> = {
  "00-chart.ipynb": ['import { lineChart, show } from "./lib";\nawait show(lineChart([{ name: "up", y: [0, 1, 4, 9] }], { width: 320, height: 200 }))', "1 + 1"],
  "01-train.ipynb": [
    'import * as tf from "@tensorflow/tfjs";\nimport { initBackend, train } from "./lib";\nawait initBackend();\nconst w = tf.variable(tf.scalar(0));',
    "const slow = () => { const t = Date.now(); while (Date.now() - t < 40); return {}; };   // 40 ms a step\n" +
      'const model = { name: "selftest", forward: () => ({ loss: w.sub(3).square() as tf.Scalar }), variables: () => [w], dispose: () => w.dispose() };\n' +
      "const run = await train(model, { steps: 250, batch: slow, lr: 0.01, chart: false });\n({ status: run.status, steps: run.steps })",
    "({ w: w.dataSync()[0] })",
  ],
  "02-error.ipynb": ["const x = 1;\nx", 'throw new Error("made to fail")', "x + 1"],
  "03-dead.ipynb": ["const y = 1;\ny", 'process.kill(process.pid, "SIGKILL");\n1', "y + 1"],
  "04-undrawn.ipynb": ['import * as tslab from "tslab";\ntslab.display.html(\'<div class="mj-figure">a chart that never draws</div>\')', "2 + 2"],
};

if (require.main === module) {
  const dir = process.argv[2];
  if (!dir) throw new Error("usage: node --import tsx test/unit/infra/soak-crafted.ts <dir inside the package>");
  writeNotebooks(dir, craftedDay);
  console.log(`${Object.keys(craftedDay).join(", ")} written to ${dir}`);
}
