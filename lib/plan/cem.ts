/**
 * The cross-entropy method (CEM): search for an action sequence by sampling from a Gaussian, keeping
 * the best few (the elites) and refitting the Gaussian to them. Written out by hand in
 * notebooks/06-planning.ipynb, then imported from here.
 *
 * For `iterations` rounds, with mean μ and std σ of shape [H, A] (μ = 0 or a warm start, σ = initStd):
 *   a_i  = clip(μ + σ ⊙ ε_i, low, high),   ε_i ~ N(0, I)           i = 1..samples  (a_0 = clip(μ))
 *   c_i  = cost(rollout(step, z0, a_i), goal)                        imagine, then score
 *   E    = the `elites` indices of smallest c_i
 *   μ    = mean_{i ∈ E} a_i,   σ = std_{i ∈ E} a_i                   refit, per step and dimension
 * After the last round the mean itself is scored too; the result is the cheapest sequence ever scored.
 *
 * The noise ε comes from the seeded stream `rng(stream + ":cem")`, optionally correlated over time
 * (`noiseCorrelation`), so the same seed gives the same plan on every backend.
 */
import { randn, rng } from "../random";
import { checkInt, checkNumber } from "../check";
import { BestPlan, Candidates, cheapest, planCosts, PlanResult, sampleCandidates, scoreMean } from "./candidates";
import { plannerInputs, samplingPlannerDefaults, SamplingPlannerOptions } from "./inputs";

/** Plans `horizon` actions from z0 towards goal with CEM. Returns the cheapest plan found. */
export function cem(opts: CemOptions): PlanResult {
  const { o, p } = plannerInputs("cem", opts, cemDefaults, checkCemOptions);
  const elites = o.elites;
  const noise = rng(`${p.stream}:cem`);
  let mean: Float32Array = Float32Array.from(p.initMean.flat()); // μ [H * A]
  let std: Float32Array = new Float32Array(p.H * p.A).fill(o.initStd); // σ [H * A]
  const best = new BestPlan();
  try {
    for (let it = 0; it < p.iterations; it++) {
      const a = sampleCandidates(p.samples, p.H, p.A, mean, std, () => randn(noise), p.low, p.high, p.noiseCorrelation); // [S, H, A]
      const c = planCosts("cem", p.step, p.cost, p.z0, p.goal, a); // [S]
      best.offer(a, c);
      [mean, std] = eliteMoments(a, cheapest(c, elites));
      if (it === p.iterations - 1) scoreMean("cem", p, p.z0, mean, p.H, p.A, p.low, p.high, best);
      best.endIteration();
    }
    return best.result(p.initMean);
  } finally {
    p.done();
  }
}

/** Mean and standard deviation over the chosen candidates, per step and action component: [H * A] each. */
export function eliteMoments(c: Candidates, elites: number[]): [Float32Array, Float32Array] {
  const HA = c.horizon * c.actionDim;
  const mean = new Float32Array(HA);
  const std = new Float32Array(HA);
  for (const i of elites) for (let j = 0; j < HA; j++) mean[j] += c.data[i * HA + j] / elites.length;
  for (const i of elites) for (let j = 0; j < HA; j++) std[j] += (c.data[i * HA + j] - mean[j]) ** 2 / elites.length;
  for (let j = 0; j < HA; j++) std[j] = Math.sqrt(std[j]);
  return [mean, std];
}

/** The checks of `cem`'s own options (the shared ones are in ./inputs.ts). */
function checkCemOptions(o: typeof cemDefaults, samples: number): void {
  const elites = checkInt("cem", "opts.elites", o.elites, 1);
  if (elites > samples) throw new RangeError(`cem: opts.elites must be at most opts.samples (${samples}), received ${elites}`);
  checkNumber("cem", "opts.initStd", o.initStd, { min: 0 });
}

/** Options for `cem`: the shared ones of every sampling planner (./inputs.ts), and its own. */
export interface CemOptions extends SamplingPlannerOptions {
  /** Cheapest sequences the Gaussian is refitted to, in [1, samples]. Default 32. */
  elites?: number;
  /** Starting standard deviation of every action component. Default 0.5. */
  initStd?: number;
}

/** Default values of `cem`'s optional fields. */
export const cemDefaults = { ...samplingPlannerDefaults, elites: 32, initStd: 0.5 };
