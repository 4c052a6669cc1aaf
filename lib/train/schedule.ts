/**
 * Learning-rate schedules: a function from step to learning rate. Introduced in
 * notebooks/02-energy-and-collapse.ipynb (`cosineLr`); the mini JEPA's recipe of notebook 03 uses it.
 */
import { checkNumber, checkOptions } from "../check";

/** A learning-rate schedule: step (0-based) -> learning rate. */
export type Schedule = (step: number) => number;

/** The same learning rate at every step. */
export function constantLr(lr: number): Schedule {
  checkNumber("constantLr", "lr", lr, { min: 0, exclusiveMin: true });
  return () => lr;
}

/** Options of `cosineLr`. */
export interface CosineOptions {
  /** Peak learning rate. Required. */
  lr: number;
  /** Total steps of the run. Required. */
  steps: number;
  /** Linear warm-up steps from 0 to `lr`. Default 0. */
  warmup?: number;
  /** Final learning rate, as a fraction of `lr`. Default 0.05. */
  minFraction?: number;
}

/** Linear warm-up, then cosine decay to `minFraction * lr` at the last step. */
export function cosineLr(opts: CosineOptions): Schedule {
  checkOptions("cosineLr", opts);
  const { lr, steps, warmup = 0, minFraction = 0.05 } = opts ?? ({} as CosineOptions);
  checkNumber("cosineLr", "opts.lr", lr, { min: 0, exclusiveMin: true });
  checkNumber("cosineLr", "opts.steps", steps, { min: 1, integer: true });
  checkNumber("cosineLr", "opts.warmup", warmup, { min: 0, max: steps, integer: true });
  checkNumber("cosineLr", "opts.minFraction", minFraction, { min: 0, max: 1 });
  return (step) => {
    if (step < warmup) return (lr * (step + 1)) / warmup;
    const f = Math.min(1, (step - warmup) / Math.max(1, steps - warmup - 1));
    return lr * (minFraction + (1 - minFraction) * 0.5 * (1 + Math.cos(Math.PI * f)));
  };
}

/** A schedule from a number (constant) or a schedule function. */
export function toSchedule(lr: number | Schedule): Schedule {
  return typeof lr === "function" ? lr : constantLr(lr);
}
