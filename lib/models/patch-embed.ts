/**
 * Patch embedding: each image patch (flattened pixels) becomes a D-dimensional token, plus a learned
 * embedding of where the patch sits on the grid. The first layer of a ViT and of I-JEPA. Introduced
 * in notebooks/04-masked-image-jepa.ipynb.
 *
 *   const embed = patchEmbed({ grid: 7, patchDim: 16, embedDim: 64 });
 *   embed.apply(patches); // [B, 7, 7, 16] -> [B, 7, 7, 64]
 */
import * as tf from "@tensorflow/tfjs";
import { nextSeed } from "../random";
import { checkNumber, checkShape, withDefaults } from "../check";
import { linear, ownedVariable } from "./linear";
import { Module } from "./module";

/** Options of `patchEmbed`. */
export interface PatchEmbedOptions {
  /** Patches per side of the (square) grid: 7 for 28x28 images cut into 4x4 patches. Required. */
  grid: number;
  /** Values per patch (patch side² x channels): 16 for 4x4 grey patches. Required. */
  patchDim: number;
  /** Token width D. Default 64. */
  embedDim?: number;
  /** Add a learned positional embedding [grid, grid, D]. Default true. */
  positional?: boolean;
  /** Standard deviation of the positional embedding's initial values. Default 0.02 (as in ViT). */
  positionalStd?: number;
  /** Variable name prefix. Default "patchEmbed". */
  name?: string;
}

/** Default options of `patchEmbed` (grid and patchDim have none). */
export const patchEmbedDefaults = { embedDim: 64, positional: true, positionalStd: 0.02, name: "patchEmbed" };

/** The module, plus its sizes and positional embedding. */
export interface PatchEmbed extends Module {
  readonly grid: number;
  readonly patchDim: number;
  readonly embedDim: number;
  /** The learned positional embedding [grid, grid, D] (null when `positional` is false). */
  readonly positions: tf.Variable | null;
}

/** `apply(patches: [B, G, G, patchDim]) -> tokens [B, G, G, D]` (a dense layer per patch + position). */
export function patchEmbed(opts: PatchEmbedOptions): PatchEmbed {
  const where = "patchEmbed";
  if (!opts || typeof opts !== "object") throw new TypeError(`${where}: opts must be an object { grid, patchDim, embedDim? }, received ${typeof opts}`);
  const o = withDefaults(patchEmbedDefaults, opts, where);
  const G = checkNumber(where, "opts.grid", o.grid, { min: 1, integer: true });
  const P = checkNumber(where, "opts.patchDim", o.patchDim, { min: 1, integer: true });
  const D = checkNumber(where, "opts.embedDim", o.embedDim, { min: 1, integer: true });
  checkNumber(where, "opts.positionalStd", o.positionalStd, { min: 0 });
  const proj = linear(P, D, { name: `${o.name}/proj`, init: "glorot" });
  const positions = o.positional
    ? ownedVariable(tf.randomNormal([G, G, D], 0, o.positionalStd, "float32", nextSeed("init")), `${o.name}/pos`)
    : null;
  return {
    name: o.name,
    grid: G,
    patchDim: P,
    embedDim: D,
    positions,
    apply(patches: tf.Tensor) {
      const { B } = checkShape(o.name, "patches", patches, ["B", G, G, P]);
      const tokens = proj.apply(patches.reshape([B * G * G, P])).reshape([B, G, G, D]); // [B, G, G, D]
      return positions ? tf.add(tokens, positions) : tokens;
    },
    variables: () => (positions ? [...proj.variables(), positions] : proj.variables()),
    dispose() {
      proj.dispose();
      positions?.dispose();
    },
  };
}
