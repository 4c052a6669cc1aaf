/**
 * The world model the planning notebooks act with: the shipped mini JEPA of
 * notebooks/03-mini-jepa.ipynb (or the file named by `MINI_JEPA_CHECKPOINT`, e.g. from `npm run train`),
 * or, when that file is missing, one trained on the spot with notebook 03's recipe (small in QUICK
 * mode, so QUICK results are not the lesson). Introduced in notebooks/06-planning.ipynb; used again
 * by 09-hierarchical-planning.ipynb and the solutions.
 *
 *   const { model, source } = await miniJepaWorldModel();
 */
import * as fs from "fs";
import { loadMiniJepa, miniJepa, MiniJepa, miniJepaCheckpoint } from "./mini-jepa";
import { pick } from "../quick";
import { train } from "../train/train";
import { miniJepaBatches, miniJepaData } from "./mini-jepa-data";
import { miniJepaLr, miniJepaRecipe } from "./mini-jepa-recipe";

/** Options of `miniJepaWorldModel`. */
export interface MiniJepaWorldModelOptions {
  /** Checkpoint to load. Default: `MINI_JEPA_CHECKPOINT`, else data/checkpoints/mini-jepa.json. */
  file?: string;
}

/** Loads the world model, or trains one when the checkpoint is missing; `source` says which. */
export async function miniJepaWorldModel(opts: MiniJepaWorldModelOptions = {}): Promise<{ model: MiniJepa; source: string }> {
  const file = opts.file ?? process.env.MINI_JEPA_CHECKPOINT ?? miniJepaCheckpoint;
  if (fs.existsSync(file)) return { model: await loadMiniJepa(file), source: `loaded ${file}` };
  const recipe = miniJepaRecipe(pick({ episodes: 300, steps: 60, window: 4, batchSize: 32, warmup: 10, evalEpisodes: 20 }, {}));
  const data = miniJepaData(recipe);
  const model = miniJepa(recipe.model);
  try {
    await train(model, { steps: recipe.steps, batch: miniJepaBatches(data), lr: miniJepaLr(recipe), title: `Training the world model (${file} is missing)` });
  } finally {
    data.dispose();
  }
  return { model, source: `trained here (${recipe.steps} steps; ${file} is missing)` };
}
