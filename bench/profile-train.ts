/**
 * `npx tsx bench/profile-train.ts [steps]`: the per-kernel profile (bench/profile.ts) of notebook
 * 03's training step as `npm run train` runs it (lib/train/mini-jepa-recipe.ts: full-size model and
 * batch; fewer generated episodes, no evaluation), after a few warm-up steps.
 */
import * as tf from "@tensorflow/tfjs";
import { initBackend, miniJepa, miniJepaBatches, miniJepaData, miniJepaLr, miniJepaRecipe, setSeed, train } from "../lib";
import { profileRun, profileTable } from "./profile";

async function main(): Promise<void> {
  const steps = Number(process.argv[2] ?? 40);
  const info = await initBackend();
  setSeed(1);
  const recipe = miniJepaRecipe({ episodes: 400 });
  const data = miniJepaData(recipe);
  const model = miniJepa(recipe.model);
  const run = (n: number) => train(model, { steps: n, batch: miniJepaBatches(data), lr: miniJepaLr(recipe), chart: false, progress: false });
  await run(5); // warm-up: primitives built, optimiser state made
  const p = await profileRun(tf.getBackend(), () => run(steps), steps);
  const threads = `${info.threads} thread${info.threads > 1 ? "s" : ""}`;
  console.log(profileTable(`notebook 03's training step on ${info.label} (${threads}), mean of ${steps} steps`, p, Number(process.env.TOP ?? 12)));
  console.log(`${(1000 / p.stepMs).toFixed(1)} steps/s`);
  data.dispose();
  model.dispose();
}

main();
