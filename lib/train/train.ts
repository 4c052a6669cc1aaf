/**
 * The training loop every notebook uses: progress bar, live curves, metrics table, learning-rate
 * schedule, stop on interrupt, a NaN/Inf guard that keeps the last good weights, and atomic
 * checkpoints that resume to the same numbers. Introduced in notebooks/02-energy-and-collapse.ipynb.
 *
 *   const result = await train(model, { steps: 2000, batch: (step) => makeBatch(step), lr: 1e-3 });
 *   showTable(result.history);
 *
 * One step is `tf.variableGrads(() => model.forward(batch).loss, model.variables())`, then
 * `optimizer.applyGradients(grads)`, then `model.afterStep(step)`: notebook 03 writes it out by hand.
 * The live chart (lib/viz) is loaded only when a chart is drawn, so a copy of this file without
 * lib/viz still trains (without a chart). The history is plain rows: `showTable(result.history)` or
 * `toDataFrame(result.history)` for a danfojs DataFrame.
 */
import * as fs from "fs";
import * as tf from "@tensorflow/tfjs";
import { fusedAdam } from "../backend/fused-adam";
import { Model } from "../models/model";
import { checkNumber } from "../check";
import { Row } from "../table/row";
import { loadCheckpoint, saveCheckpoint } from "./checkpoint";
import { progressBar } from "./progress";
import { Schedule, toSchedule } from "./schedule";

/** Options of `train`. */
export interface TrainOptions<B> {
  /** Total optimiser steps (a resumed run continues up to this number). Required. */
  steps: number;
  /** The batch for a step. Tensors it returns are freed after the step. Required. */
  batch: (step: number) => B;
  /** Learning rate or schedule. Default 1e-3. */
  lr?: number | Schedule;
  /** "adam" (default), "sgd", or your own tf.Optimizer (its learning rate is then yours). */
  optimizer?: "adam" | "sgd" | tf.Optimizer;
  /** Rescale gradients whose global norm exceeds this. Default: no clipping. */
  clipNorm?: number;
  /** Record loss and parts every this many steps. Default: about 100 rows per run. */
  logEvery?: number;
  /** Extra metrics (probe score, rank, ...) computed every `evalEvery` steps and at the end. */
  evaluate?: (step: number) => Record<string, number> | Promise<Record<string, number>>;
  /** Steps between `evaluate` calls. Default: about 10 per run. */
  evalEvery?: number;
  /** Metrics drawn in the live chart, one panel each (false: no chart). Default ["loss"] plus every evaluate metric. */
  chart?: string[] | false;
  /** Chart title. Default the model's name. */
  title?: string;
  /** Log-scale y axis in the live chart. Default false. */
  logY?: boolean;
  /** Show a progress bar. Default true. */
  progress?: boolean;
  /** Checkpoint file written every `checkpointEvery` steps and at the end. Default: none. */
  checkpoint?: string;
  /** Steps between checkpoints. Default: about 10 per run. */
  checkpointEvery?: number;
  /** Continue from `checkpoint` when that file exists. Default true. */
  resume?: boolean;
  /**
   * A finished run's checkpoint (e.g. `pretrainedCheckpoint("04-masked-image-jepa")`): its weights are
   * loaded, its logged history is drawn and returned, and no step is trained (status "loaded").
   * Undefined or "": train as usual. Default: none.
   */
  pretrained?: string;
  /** Stop early when this returns true for a logged row. */
  stopWhen?: (row: Row) => boolean;
  /** Called after every logged row (e.g. to print or plot something of your own). */
  onLog?: (row: Row) => void;
}

/** How a run ended. */
export type TrainStatus = "done" | "stopped" | "diverged" | "loaded";

/** What `train` returns. */
export interface TrainResult {
  status: TrainStatus;
  /** Steps completed (counting a resumed checkpoint's). */
  steps: number;
  /** Wall time of this call, in seconds. */
  seconds: number;
  /** Logged rows: step, loss, parts, lr, seconds and evaluate metrics (`showTable` or `toDataFrame` them). */
  history: Row[];
  /** The last logged row. */
  last: Row;
  /** Why the run stopped early (status "stopped" or "diverged"). */
  message?: string;
}

/** A run in progress: `stop()` ends it after the current step; `done` resolves with the result. */
export interface TrainRun {
  stop(reason?: string): void;
  done: Promise<TrainResult>;
}

/** Trains `model` and resolves when finished (see `startTraining` to keep a stop handle). */
export function train<B>(model: Model<B>, opts: TrainOptions<B>): Promise<TrainResult> {
  return startTraining(model, opts).done;
}

/** Starts training; Ctrl-C / the notebook's interrupt button stops it cleanly after the current step. */
export function startTraining<B>(model: Model<B>, opts: TrainOptions<B>): TrainRun {
  checkOptions(model, opts);
  let stopReason: string | null = null;
  const stop = (reason = "stopped by request") => { stopReason = reason; };
  const onSigint = () => stop("interrupted (SIGINT)");
  process.on("SIGINT", onSigint);
  const done = loop(model, opts, () => stopReason).finally(() => process.off("SIGINT", onSigint));
  return { stop, done };
}

async function loop<B>(model: Model<B>, opts: TrainOptions<B>, stopped: () => string | null): Promise<TrainResult> {
  const t0 = Date.now();
  const vars = model.variables();
  const state = model.stateVariables ? model.stateVariables() : vars;
  if (opts.pretrained) return loadPretrained(model, opts, state, t0);
  const schedule = toSchedule(opts.lr ?? 1e-3);
  const optimizer = makeOptimizer(opts.optimizer ?? "adam", schedule(0));
  const every = (n: number | undefined, parts: number) => n ?? Math.max(1, Math.round(opts.steps / parts));
  const logEvery = every(opts.logEvery, 100);
  const evalEvery = every(opts.evalEvery, 10);
  const ckptEvery = every(opts.checkpointEvery, 10);
  let history: Row[] = [];
  let start = 0;
  if (opts.checkpoint && (opts.resume ?? true) && fs.existsSync(opts.checkpoint)) {
    const ck = await loadCheckpoint(opts.checkpoint, state, { optimizer });
    start = ck.step;
    history = ck.history as Row[];
    console.log(`${model.name}: resumed from ${opts.checkpoint} at step ${start} of ${opts.steps}`);
  }
  const guard = new WeightGuard(state);
  const chart = opts.chart === false ? null : openChart(opts.title ?? model.name, opts.logY);
  const bar = opts.progress === false ? null : progressBar(opts.steps, { label: model.name });
  let status: TrainStatus = "done";
  let message: string | undefined;
  let step = start;
  const evalKeys: string[] = [];
  try {
    for (; step < opts.steps; step++) {
      const why = stopped();
      if (why) { status = "stopped"; message = `${why} at step ${step}; the model keeps the weights of step ${step}`; break; }
      const lr = schedule(step);
      if (typeof opts.optimizer !== "object") (optimizer as unknown as { learningRate: number }).learningRate = lr;
      const evalNow = !!opts.evaluate && ((step + 1) % evalEvery === 0 || step + 1 === opts.steps);
      const log = (step + 1) % logEvery === 0 || step === start || step + 1 === opts.steps || evalNow; // an evaluation is always logged
      const out = trainStep(model, opts, optimizer, vars, step, log);
      if (!out) {
        status = "diverged";
        message = guard.restoreMessage(step, lr);
        break;
      }
      model.afterStep?.(step);
      if (log) {
        guard.save(step + 1, out.loss);
        const row: Row = { step: step + 1, ...out, lr, seconds: round((Date.now() - t0) / 1000) };
        if (evalNow) {
          const metrics = await opts.evaluate!(step + 1);
          Object.keys(metrics).forEach((k) => evalKeys.includes(k) || evalKeys.push(k));
          Object.assign(row, metrics);
        }
        history.push(row);
        chart?.push(step + 1, chartValues(row, opts.chart, evalKeys));
        opts.onLog?.(row);
        if (opts.stopWhen?.(row)) { status = "stopped"; message = `stopWhen at step ${step + 1}`; step++; break; }
      }
      bar?.update(step + 1, `loss ${history.length ? fmt(history[history.length - 1].loss) : "…"}`);
      if (opts.checkpoint && (step + 1) % ckptEvery === 0) await saveCheckpoint(opts.checkpoint, { model: model.name, step: step + 1, variables: state, optimizer, history });
      await new Promise((r) => setImmediate(r)); // lets the notebook draw and an interrupt arrive
    }
    if (opts.checkpoint && status !== "diverged") await saveCheckpoint(opts.checkpoint, { model: model.name, step, variables: state, optimizer, history });
  } finally {
    guard.dispose();
    if (typeof opts.optimizer !== "object") optimizer.dispose();
  }
  const last = history[history.length - 1] ?? { step };
  bar?.finish(message ?? `done · loss ${fmt(last.loss)}`);
  if (message) console.log(`[train] ${message}`);
  await chart?.done();
  return { status, steps: step, seconds: (Date.now() - t0) / 1000, history, last, message };
}

/** The `pretrained` path of `train`: weights and history from a finished run, no training. */
async function loadPretrained<B>(model: Model<B>, opts: TrainOptions<B>, state: tf.Variable[], t0: number): Promise<TrainResult> {
  const ck = await loadCheckpoint(opts.pretrained!, state, { restoreRandom: false });
  const history = ck.history as Row[];
  const evalKeys = [...new Set(history.flatMap((r) => Object.keys(r)))].filter((k) => history.some((r) => typeof r[k] !== "number")); // logged at evaluations only
  const chart = opts.chart === false ? null : openChart(`${opts.title ?? model.name} (loaded: ${opts.pretrained})`, opts.logY);
  for (const row of history) chart?.push(row.step as number, chartValues(row, opts.chart, evalKeys));
  await chart?.done();
  const last = history[history.length - 1] ?? { step: ck.step };
  const took = typeof last.seconds === "number" ? ` in ${Math.round(last.seconds)} s` : "";
  console.log(`[train] loaded ${opts.pretrained}: ${model.name} trained for ${ck.step} steps${took}; nothing trained now`);
  return { status: "loaded", steps: ck.step, seconds: (Date.now() - t0) / 1000, history, last };
}

/** One optimiser step. Returns the logged scalars (loss, parts) or null when loss/gradients are not finite. */
function trainStep<B>(model: Model<B>, opts: TrainOptions<B>, optimizer: tf.Optimizer, vars: tf.Variable[], step: number, log: boolean): Record<string, number> | null {
  let result: Record<string, number> | null = null;
  tf.tidy(() => {
    const batch = opts.batch(step);
    let parts: Record<string, tf.Tensor> = {};
    const { value, grads } = tf.variableGrads(() => {
      const r = model.forward(batch);
      if (log) for (const [k, t] of Object.entries(r)) if (k !== "loss" && t.size === 1) parts[k] = tf.keep(t);
      return r.loss;
    }, vars);
    const names = Object.keys(grads);
    const norm = tf.sqrt(tf.addN(names.map((n) => tf.sum(tf.square(grads[n])))));
    const [loss, gnorm] = [value.dataSync()[0], norm.dataSync()[0]];
    if (!Number.isFinite(loss) || !Number.isFinite(gnorm)) {
      Object.values(parts).forEach((t) => t.dispose());
      return;
    }
    if (opts.clipNorm && gnorm > opts.clipNorm) for (const n of names) grads[n] = tf.mul(grads[n], opts.clipNorm / gnorm);
    optimizer.applyGradients(grads);
    const out: Record<string, number> = { loss: round(loss), gradNorm: round(gnorm) };
    for (const [k, t] of Object.entries(parts)) {
      out[k] = round(t.dataSync()[0]);
      t.dispose();
    }
    parts = {};
    result = out;
  });
  return result;
}

/** A copy of the weights at the last logged step with a finite loss, restored if a later step diverges. */
class WeightGuard {
  private copies: tf.Tensor[];
  private step = 0;
  private loss = NaN;
  constructor(private readonly vars: tf.Variable[]) {
    this.copies = vars.map((v) => tf.clone(v));
  }
  save(step: number, loss: number): void {
    this.copies.forEach((c) => c.dispose());
    this.copies = this.vars.map((v) => tf.clone(v));
    this.step = step;
    this.loss = loss;
  }
  restoreMessage(step: number, lr: number): string {
    this.vars.forEach((v, i) => v.assign(this.copies[i]));
    const from = this.step ? `the weights of step ${this.step} (loss ${fmt(this.loss)})` : "the initial weights";
    return `loss or gradient became NaN/Infinity at step ${step + 1}; restored ${from}. Try a lower learning rate (was ${lr}) or clipNorm.`;
  }
  dispose(): void {
    this.copies.forEach((c) => c.dispose());
  }
}

function makeOptimizer(kind: "adam" | "sgd" | tf.Optimizer, lr: number): tf.Optimizer {
  if (typeof kind === "object") return kind;
  if (kind === "sgd") return tf.train.sgd(lr);
  if (kind === "adam") return fusedAdam(lr); // tf.train.adam with one update per variable (lib/backend/fused-adam.ts)
  throw new Error(`train: opts.optimizer must be "adam", "sgd" or a tf.Optimizer, received ${JSON.stringify(kind)}`);
}

function checkOptions<B>(model: Model<B>, opts: TrainOptions<B>): void {
  if (!model || typeof model.forward !== "function" || typeof model.variables !== "function") {
    throw new TypeError("train: model must implement Model (forward(batch) -> { loss }, variables())");
  }
  if (!opts || typeof opts.batch !== "function") throw new TypeError("train: opts.batch must be a function (step) => batch");
  checkNumber("train", "opts.steps", opts.steps, { min: 1, integer: true });
  for (const k of ["logEvery", "evalEvery", "checkpointEvery"] as const) {
    if (opts[k] !== undefined) checkNumber("train", `opts.${k}`, opts[k], { min: 1, integer: true });
  }
  if (opts.clipNorm !== undefined) checkNumber("train", "opts.clipNorm", opts.clipNorm, { min: 0, exclusiveMin: true });
  if (typeof opts.lr === "number") checkNumber("train", "opts.lr", opts.lr, { min: 0, exclusiveMin: true });
  if (model.variables().length === 0) throw new Error(`train: model ${model.name} has no trainable variables`);
}

/** What `train` needs of a live chart (lib/viz/live-chart.ts has it). */
interface ChartSink {
  push(step: number, values: Record<string, number>): void;
  done(): Promise<void>;
}

/** A live chart with one panel per metric, or null (no chart) when lib/viz is not beside this file. */
function openChart(title: string, logY?: boolean): ChartSink | null {
  let viz: { liveChart(o: Record<string, unknown>): ChartSink };
  try {
    viz = require("../viz/live-chart");
  } catch {
    return null;
  }
  return viz.liveChart({ title, xLabel: "step", logY, panels: true });
}

/** The charted values of a row: the chosen metrics, else the loss and every evaluate metric. */
function chartValues(row: Row, chart: string[] | false | undefined, evalKeys: string[]): Record<string, number> {
  const keys = chart || ["loss", ...evalKeys];
  return Object.fromEntries(keys.filter((k) => typeof row[k] === "number").map((k) => [k, row[k] as number]));
}

function round(x: number): number {
  return Math.abs(x) >= 1e-3 || x === 0 ? Number(x.toPrecision(6)) : x;
}

function fmt(x: unknown): string {
  return typeof x === "number" ? (Math.abs(x) >= 1e-3 ? x.toFixed(4) : x.toExponential(2)) : String(x);
}
