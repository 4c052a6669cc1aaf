/**
 * Pieces of the control loops shared by runMpc, runPolicy and runHierarchicalMpc (not re-exported
 * from lib/).
 */
import * as tf from "@tensorflow/tfjs";
import { checkNumber, checkShape } from "../check";
import { Env } from "./episode";

/** Throws unless `env` has state(), observe() and step(). */
export function checkEnv(where: string, env: unknown): Env {
  const e = env as Env | null;
  if (!e || typeof e.state !== "function" || typeof e.observe !== "function" || typeof e.step !== "function") {
    throw new TypeError(`${where}: opts.env must be an Env with state(), observe() and step(action) methods, received ${e === null ? "null" : typeof e}`);
  }
  return e;
}

/** Actions executed per plan (`replanEvery`), checked. */
export function actionsPerPlan(where: string, replanEvery: number | undefined): number {
  if (replanEvery !== undefined) checkNumber(where, "opts.replanEvery", replanEvery, { min: 1, integer: true });
  return replanEvery ?? 1;
}

/** Encodes the current observation; checks the latent is [1, D]. Disposes the observation (unless encode returned it). */
export function encodeObservation(where: string, env: Env, encode: (obs: tf.Tensor) => tf.Tensor2D, dim: number): tf.Tensor2D {
  const obs = env.observe();
  let z: tf.Tensor2D;
  try {
    z = encode(obs);
  } catch (err) {
    tf.dispose(obs);
    throw err;
  }
  if ((z as unknown) !== obs) tf.dispose(obs);
  try {
    checkShape(where, "encode(obs)", z, [1, dim]);
  } catch (err) {
    if (z instanceof tf.Tensor) z.dispose();
    throw err;
  }
  return z;
}

/** Milliseconds taken by f, and its value. */
export function timed<T>(f: () => T): { value: T; ms: number } {
  const t0 = performance.now();
  const value = f();
  return { value, ms: performance.now() - t0 };
}
