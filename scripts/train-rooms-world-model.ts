/**
 * Trains the low-level world model of notebooks/09-hierarchical-planning.ipynb (the row of rooms)
 * with the full recipe of lib/recipes/rooms-world-model.ts and writes
 *   <out>/checkpoint.json      the training checkpoint (resumed when the command runs again)
 *   <out>/09-world-model.json  the model only, no optimiser state: what data/checkpoints/ ships
 *
 *   npx tsx scripts/train-rooms-world-model.ts [--out out/09-world-model] [--steps n] [--seed 1]
 */
import * as path from "path";
import { initBackend, setSeed, trainRoomsJepa, saveRoomsJepa, roomsRecipeDefaults } from "../lib";

async function main(): Promise<void> {
  const argv = process.argv.slice(2);
  const arg = (name: string, d: string) => (argv.includes(name) ? argv[argv.indexOf(name) + 1] : d);
  const out = arg("--out", path.join("out", "09-world-model"));
  const steps = Number(arg("--steps", String(roomsRecipeDefaults.steps)));
  const seed = Number(arg("--seed", "1"));
  const t0 = Date.now();
  await initBackend();
  setSeed(seed);
  const { model, run, metrics } = await trainRoomsJepa({ recipe: { steps }, checkpoint: path.join(out, "checkpoint.json"), progress: false });
  const file = path.join(out, "09-world-model.json");
  await saveRoomsJepa(model, file, { step: run.steps, history: run.history, meta: { metrics, seed, recipe: { ...roomsRecipeDefaults, steps } } });
  console.log(`[rooms] ${run.status} after ${run.steps} steps in ${((Date.now() - t0) / 60000).toFixed(1)} min: ${JSON.stringify(metrics)}; wrote ${file}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
