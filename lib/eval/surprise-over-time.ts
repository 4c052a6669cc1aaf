/**
 * Surprise along whole clips: the video model's prediction error at every frame. Introduced in
 * notebooks/07-video-jepa-and-surprise.ipynb, where it spikes at teleports and vanishings.
 */
import * as tf from "@tensorflow/tfjs";
import { frameWindows } from "../data/frame-windows";
import { checkShape } from "../check";

/** A model that scores a window against the next one (e.g. `videoJepa`). */
export interface SurpriseModel {
  options: { frames: number };
  surprise(context: tf.Tensor4D, next: tf.Tensor4D): tf.Tensor1D;
}

/**
 * Surprise per clip and frame: [N][T], entry t is the error of predicting the window that ends at
 * frame t from the window before it (NaN for the first k frames, which have no full context).
 */
export function surpriseOverTime(model: SurpriseModel, clips: tf.Tensor5D, batch = 256): number[][] {
  checkShape("surpriseOverTime", "clips", clips, [null, null, null, null, 1]);
  const [N, T] = clips.shape;
  const k = model.options.frames;
  const w = frameWindows(clips, k);
  const values: number[] = [];
  try {
    for (let i = 0; i < w.time.length; i += batch) {
      const n = Math.min(batch, w.time.length - i);
      const s = tf.tidy(() => model.surprise(w.context.slice(i, n), w.next.slice(i, n)).dataSync());
      values.push(...Array.from(s));
    }
  } finally {
    tf.dispose([w.context, w.next]);
  }
  const out = Array.from({ length: N }, () => new Array<number>(T).fill(NaN));
  values.forEach((v, j) => { out[w.clip[j]][w.time[j]] = v; });
  return out;
}
