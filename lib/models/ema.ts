/**
 * The EMA target network (BYOL, I-JEPA, V-JEPA): a slow copy of the online encoder that gives the
 * targets, with no gradient through it. Written out in notebooks/02-energy-and-collapse.ipynb (the
 * update, and a stop-gradient that lets no gradient reach the target), then imported from here. In
 * a model the stop-gradient is that the target's variables are not among `model.variables()`.
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber } from "../check";

/** target <- momentum * target + (1 - momentum) * online, variable by variable (no gradient). */
export function updateEma(target: tf.Variable[], online: tf.Variable[], momentum: number): void {
  checkNumber("updateEma", "momentum", momentum, { min: 0, max: 1 });
  checkPairs("updateEma", target, online);
  tf.tidy(() => {
    target.forEach((t, i) => t.assign(tf.add(tf.mul(momentum, t), tf.mul(1 - momentum, online[i]))));
  });
}

/** target <- online (start the EMA copy equal to the online network). */
export function copyVariables(target: tf.Variable[], online: tf.Variable[]): void {
  checkPairs("copyVariables", target, online);
  target.forEach((t, i) => t.assign(online[i]));
}

/** Momentum schedule of I-JEPA: rises linearly from `start` to `end` over `steps`. */
export function emaMomentum(step: number, steps: number, start = 0.996, end = 1.0): number {
  const f = steps <= 1 ? 1 : Math.min(1, Math.max(0, step / (steps - 1)));
  return start + (end - start) * f;
}

function checkPairs(where: string, target: tf.Variable[], online: tf.Variable[]): void {
  if (!Array.isArray(target) || !Array.isArray(online)) throw new TypeError(`${where}: target and online must be arrays of tf.Variable`);
  if (target.length !== online.length) throw new Error(`${where}: target has ${target.length} variables but online has ${online.length}`);
  target.forEach((t, i) => {
    if (t.shape.join() !== online[i].shape.join()) {
      throw new Error(`${where}: variable ${i} shapes differ: target [${t.shape.join(", ")}] vs online [${online[i].shape.join(", ")}]`);
    }
  });
}
