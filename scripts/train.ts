/**
 * `npm run train`: trains the mini JEPA of notebooks/03-mini-jepa.ipynb from a terminal, with the
 * same recipe (lib/recipes/mini-jepa-recipe.ts), and writes into an output folder:
 *   checkpoint.json   the training checkpoint (with optimiser state; a crashed run resumes from it)
 *   mini-jepa.json    the trained model only (what data/checkpoints/mini-jepa.json ships; loadMiniJepa)
 *   metrics.csv       the logged rows (loss, parts, probe R², effective rank, lr, seconds)
 *   rollout.csv       rollout probe error per horizon; targets.csv the three targets
 *   report.html       the targets and every figure, interactive (plotly.js inlined once: opens offline)
 *   *.png             the figures as pictures: loss, eval (probe R², rank), latent-x, latent-y (PCA maps
 *                     coloured by the true position), rollout-paths (imagined vs true), rollout-error
 * and prints its wall time and the three target metrics.
 *
 *   npm run train                      full run (~20 minutes on 2 CPU cores, wasm) into runs/<timestamp>
 *   npm run train -- --quick           a short run (about a minute)
 *   npm run train -- --out dir --steps 3000 --seed 7
 * Running the same command again with the same --out resumes from its checkpoint.json.
 */
import * as fs from "fs";
import * as path from "path";
import * as tf from "@tensorflow/tfjs";
import {
  initBackend, setSeed, miniJepa, saveMiniJepa, train, miniJepaRecipe, miniJepaQuick, miniJepaData, miniJepaBatches,
  miniJepaLr, miniJepaEvaluator, miniJepaMetrics, probedRollout, heldOutEmbeddings, saveCsv, figureToPng, findChromium,
  plotlyBundlePath, closeChromium, lineChart, latentMap, rolloutPathChart, formatTime,
} from "../lib";
import type { Figure, MiniJepa, MiniJepaData, MiniJepaMetrics, Row } from "../lib";

interface Args {
  out: string;
  quick: boolean;
  steps?: number;
  seed: number;
  figures: boolean;
}

const usage = `usage: npm run train -- [--quick] [--out <dir>] [--steps <n>] [--seed <n>] [--no-figures]
  --quick        a short run (the notebook's QUICK size)
  --out <dir>    output folder (default runs/<timestamp>); an existing checkpoint.json there is resumed
  --steps <n>    optimiser steps (default: the recipe's)
  --seed <n>     seed of data and initialisation (default 1)
  --no-figures   skip the HTML/PNG figures`;

function parseArgs(argv: string[]): Args {
  const a: Args = { out: "", quick: false, seed: 1, figures: true };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`train: ${k} needs a value\n${usage}`);
      return v;
    };
    const int = (v: string) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new Error(`train: ${k} must be a positive integer, received ${v}`);
      return n;
    };
    if (k === "--quick") a.quick = true;
    else if (k === "--out") a.out = value();
    else if (k === "--steps") a.steps = int(value());
    else if (k === "--seed") a.seed = int(value());
    else if (k === "--no-figures") a.figures = false;
    else if (k === "--help" || k === "-h") { console.log(usage); process.exit(0); }
    else throw new Error(`train: unknown argument ${k}\n${usage}`);
  }
  if (!a.out) a.out = path.join("runs", new Date().toISOString().replace(/[:.]/g, "-").slice(0, 19));
  return a;
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  const t0 = Date.now();
  const backend = await initBackend();
  setSeed(args.seed);
  const recipe = miniJepaRecipe({ ...(args.quick ? miniJepaQuick : {}), steps: args.steps ?? (args.quick ? miniJepaQuick.steps : undefined) });
  fs.mkdirSync(args.out, { recursive: true });
  console.log(`[train] ${args.quick ? "quick" : "full"} run, ${recipe.steps} steps, out ${args.out}`);
  console.log(`[train] recipe ${JSON.stringify(recipe)}`);

  const data = miniJepaData(recipe);
  const model = miniJepa(recipe.model);
  const result = await train(model, {
    steps: recipe.steps,
    batch: miniJepaBatches(data),
    lr: miniJepaLr(recipe),
    clipNorm: recipe.clipNorm || undefined,
    evaluate: miniJepaEvaluator(model, data),
    checkpoint: path.join(args.out, "checkpoint.json"),
    title: "mini JEPA (npm run train)",
  });
  const trainSeconds = result.seconds;
  const metrics = miniJepaMetrics(model, data);
  await saveMiniJepa(model, path.join(args.out, "mini-jepa.json"), {
    step: result.steps, history: result.history,
    meta: { recipe, seed: args.seed, backend: backend.name, trainSeconds, metrics: { probeR2: metrics.probeR2, effectiveRank: metrics.effectiveRank, rolloutRatio: metrics.rolloutRatio, rollout: metrics.rollout } },
  });
  saveCsv(result.history, path.join(args.out, "metrics.csv"));
  saveCsv(metrics.rollout as unknown as Row[], path.join(args.out, "rollout.csv"));
  saveCsv(metrics.targets as unknown as Row[], path.join(args.out, "targets.csv"));
  if (args.figures) await writeFigures(args.out, model, data, result.history, metrics);
  data.dispose();
  model.dispose();

  const wall = (Date.now() - t0) / 1000;
  console.log(`\n[train] status ${result.status}, ${result.steps} steps; training ${formatTime(trainSeconds)} (${trainSeconds.toFixed(0)} s), wall time ${formatTime(wall)} (${wall.toFixed(0)} s), backend ${backend.name}`);
  console.log(`[train] rollout probe error: ${metrics.rollout.map((r) => `${r.horizon} steps ${r.error.toFixed(4)} (probe of real frame ${r.encodedError.toFixed(4)})`).join(", ")}`);
  for (const t of metrics.targets) console.log(`[train] ${t.met ? "MET " : "MISS"} ${t.metric} = ${t.value} (target ${t.target})`);
  console.log(`[train] wrote ${fs.readdirSync(args.out).sort().join(", ")} in ${args.out}`);
}

/** The run's figures: a PNG each (where Chromium exists) and one report.html holding them all (plotly.js inlined once). */
async function writeFigures(out: string, model: MiniJepa, data: MiniJepaData, history: Row[], metrics: MiniJepaMetrics): Promise<void> {
  const rows = history.filter((r) => typeof r.probeR2 === "number");
  const col = (rs: Row[], k: string) => rs.map((r) => r[k] as number);
  const figures: [string, Figure][] = [];
  figures.push(["loss", lineChart([{ name: "loss", x: col(history, "step"), y: col(history, "loss") }], { title: "Training loss", xLabel: "step", logY: true })]);
  figures.push(["eval", lineChart([
    { name: "probe R²", x: col(rows, "step"), y: col(rows, "probeR2") },
    { name: "effective rank / latent size", x: col(rows, "step"), y: rows.map((r) => (r.effectiveRank as number) / model.options.embedDim), dash: true },
  ], { title: "Held-out probe R² and effective rank", xLabel: "step" })]);
  const h = heldOutEmbeddings(model, data);
  const n = Math.min(1500, h.z.length);
  figures.push(["latent-x", latentMap(h.z.slice(0, n), h.states.slice(0, n).map((s) => s[0]), { title: "Latent map (PCA) coloured by true x", colorLabel: "x" })]);
  figures.push(["latent-y", latentMap(h.z.slice(0, n), h.states.slice(0, n).map((s) => s[1]), { title: "Latent map (PCA) coloured by true y", colorLabel: "y" })]);
  const M = data.test.obs.shape[0];
  const half = Math.floor(M / 2); // rollouts on held-out episodes the probe was not fitted on
  const [obs, actions, states] = [data.test.obs.slice([half], [4]), data.test.actions.slice([half], [4]), data.test.states.slice([half], [4])];
  const paths = probedRollout({ encode: model.encode, predict: model.predict, probe: metrics.probe, obs, actions, states: states as tf.Tensor3D });
  tf.dispose([obs, actions, states]);
  figures.push(["rollout-paths", rolloutPathChart(paths, { wall: data.world, title: `Imagined (dashed) vs true paths, ${data.recipe.evalLength} steps` })]);
  figures.push(["rollout-error", lineChart([
    { name: "rollout", x: metrics.rollout.map((r) => r.horizon), y: metrics.rollout.map((r) => r.error) },
    { name: "probe of the real frame", x: metrics.rollout.map((r) => r.horizon), y: metrics.rollout.map((r) => r.encodedError), dash: true },
  ], { title: "Rollout probe error", xLabel: "steps ahead", yLabel: "mean distance to true position" })]);
  if (findChromium()) {
    for (const [name, fig] of figures) fs.writeFileSync(path.join(out, `${name}.png`), await figureToPng(fig));
    await closeChromium();
  }
  const targets = metrics.targets.map((t) => `<tr><td>${t.metric}</td><td>${t.value}</td><td>${t.target}</td><td>${t.met ? "met" : "missed"}</td></tr>`).join("");
  const divs = figures.map(([name]) => `<div id="${name}"></div>`).join("\n");
  const plots = figures.map(([name, fig]) => `Plotly.newPlot(${JSON.stringify(name)}, ${JSON.stringify(fig.data)}, ${JSON.stringify(fig.layout)});`).join("\n");
  fs.writeFileSync(path.join(out, "report.html"), `<!doctype html><html><head><meta charset="utf-8"><title>mini JEPA run ${out}</title>` +
    `<script>${fs.readFileSync(plotlyBundlePath(), "utf8")}</script></head><body style="font-family:sans-serif">` +
    `<h2>mini JEPA run: ${out}</h2><table border="1" cellpadding="4"><tr><th>metric</th><th>value</th><th>target</th><th></th></tr>${targets}</table>` +
    `${divs}<script>${plots}</script></body></html>`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
