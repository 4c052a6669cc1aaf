/**
 * A world model that knows nothing: it predicts that the newest frame is the frame before it,
 * compared patch by patch in pixels. The floor notebook 07 measures the video JEPA's surprise
 * against. Introduced in notebooks/07-video-jepa-and-surprise.ipynb.
 */
import * as tf from "@tensorflow/tfjs";
import { patchify } from "../data/masks";
import { checkNumber, checkShape } from "../check";

/** The baseline: `predictNext(clips [B, k, S, S, 1])` -> prediction (frame k-2) and target (frame k-1) as patches [B, G^2, patch^2]. */
export function lastFrameBaseline(opts: { frames: number; patch: number }) {
  const where = "lastFrameBaseline";
  const k = checkNumber(where, "opts.frames", opts?.frames, { min: 2, integer: true });
  const p = checkNumber(where, "opts.patch", opts?.patch, { min: 1, integer: true });
  return {
    options: { frames: k, patch: p },
    predictNext(clips: tf.Tensor) {
      const { B, S } = checkShape(where, "clips", clips, ["B", k, "S", "S", 1]);
      return tf.tidy(() => {
        const frame = (t: number) => patchify(clips.slice([0, t], [B, 1]).reshape([B, S, S, 1]) as tf.Tensor4D, p).reshape([B, -1, p * p]) as tf.Tensor3D;
        return { prediction: frame(k - 2), target: frame(k - 1) }; // [B, G^2, p^2] each
      });
    },
  };
}
