// Notebook 08's critic experiments outside the notebook (the numbers its prose quotes as measured
// "outside the notebook"): the whole agent's success on the notebook's 100 held-out tasks with a
// critic trained on different experience. Same code path as the notebook (lib/agent, the shipped
// world model, CEM 128 x 4, horizon 10).
//   npx tsx scripts/experiments/agent-experience.ts
// Environment: ROUND1 = episodes of the intrinsic cost alone (default 80); ROUND2 = comma-separated
// episode counts of later rounds gathered by the whole agent, the critic retrained after each
// (default 0: none; R2CRITIC=continue keeps training the same critic instead of a fresh one);
// STEPS = critic Adam steps (300, the notebook's); FAILCOST (20); SEED = seed of the training tasks
// (808, the notebook's); EVAL = how many of the 100 held-out tasks (100); INIT=k = another
// initialisation of the critic; ENSEMBLE=n = the mean of n critics; HINDSIGHT=1 = also every
// episode relabelled with its end as the goal; VALCURVE=1 = only the critic's loss on the last 20%
// of the episodes every 50 steps (trained on the rest); DIAG=1 = print the failed held-out tasks.
// Measured (2-core machine, native tier, ROUND1=200, about a minute a run):
//   STEPS=1500 (the notebook's until 2026-12): SEED 808/909/1010/1111/1212 99/90/97/99/98%,
//     with INIT=1 99/84/96/95/95%: mean 95.2%, worst 84%. The failures on 909 (DIAG=1) end at rest
//     above the door, away from the wall (e.g. (0.68, 0.71) for a goal at (0.41, 0.93)): a false
//     minimum of the critic.
//   STEPS=300: 99/97/97/99/99%, with INIT=1 99/98/95/100/97%: mean 98.0%, worst 95%.
//   STEPS=500: 97/94/96/99/97%. SEED 909 with 1500 steps: 800 steps 93%, FAILCOST 40 77%, 10 91%,
//     ENSEMBLE=3 91%, 5 93%, HINDSIGHT=1 91% (with ENSEMBLE=3 94%), 300 episodes 91%, 4000
//     steps 88%; ROUND2=80 (SEED 808) 92%, 80,80 91%, 80,80,80 89%.
//   VALCURVE=1 STEPS=1500: the held-out loss is lowest at step 100/350/600/100/550 (SEED
//     909/808/1010/1111/1212) and grows after (909: 373 at step 100, 458 at 1500; 808: 202 at 350,
//     297 at 1500): the critic overfits its episodes.
import * as tf from "@tensorflow/tfjs";
import {
  initBackend, setSeed, TwoRooms, miniJepaWorldModel, measureLatentSpeed, ShortTermMemory, runAgent,
  touchEnv, critic, criticExamples, criticBatch, train, rng, configurator, summarizeEpisodes,
  AgentConfig, ConfiguratorDecision, Critic, CriticExamples,
} from "../../lib";

const num = (k: string, d: number) => Number(process.env[k] ?? d);
const R1 = num("ROUND1", 80), STEPS = num("STEPS", 300), EVAL = num("EVAL", 100);
const FAIL = num("FAILCOST", 20), SEED = num("SEED", 808);
const ENS = num("ENSEMBLE", 1), HINDSIGHT = num("HINDSIGHT", 0);
const R2s = (process.env.ROUND2 ?? "0").split(",").map(Number).filter((n) => n > 0);
const R2 = R2s.reduce((a, b) => a + b, 0), R2CRITIC = process.env.R2CRITIC ?? "fresh";
type Configure = (image: tf.Tensor, goalImage: tf.Tensor) => ConfiguratorDecision;

async function main() {
  await initBackend();
  setSeed(8);
  const world = new TwoRooms();
  const { model } = await miniJepaWorldModel();
  const perceive = (obs: tf.Tensor) => tf.tidy(() => model.encode(obs)) as tf.Tensor2D;
  const worldModel = (z: tf.Tensor2D, a: tf.Tensor2D) => model.predict(z, a);
  const m = world.opts.maxStep, D = model.options.embedDim;
  setSeed(81);
  const encodeAll = (o: tf.Tensor) => model.encode(o) as tf.Tensor2D;
  const latentSpeed = measureLatentSpeed(encodeAll, world, { length: m });
  const plannerOptions = { actionDim: 2, low: -m, high: m, samples: 128, elites: 12, iterations: 4,
    initStd: m };
  const near = (g: number[]) => (s: number[]) => Math.hypot(s[0] - g[0], s[1] - g[1]) < 0.1;
  const fixed = (config: AgentConfig): Configure => () =>
    ({ config, otherSide: true, startX: NaN, goalX: NaN, reason: "fixed" });
  const intrinsicWeights = { goalDistance: 1, effort: 10, pain: 5 };
  const intrinsicAlone: AgentConfig = { horizon: 10, planner: "cem", weights: intrinsicWeights };
  const otherSide: AgentConfig = { horizon: 10, planner: "cem",
    weights: { ...intrinsicWeights, critic: 10 } };
  const configure = configurator({ sameSide: intrinsicAlone, otherSide });
  if (process.env.INIT) setSeed(7000 + num("INIT", 0));   // another initialisation of the critic
  let V = critic({ embedDim: D });
  const runTask = (s: number[], g: number[], c: Configure, cr: Critic, into = new ShortTermMemory()) => {
    const goalImage = world.render([g]);
    try {
      return runAgent({ env: touchEnv(world, s), goalObservation: goalImage, perceive, step: worldModel,
        configure: c, critic: cr, memory: into, latentSpeed, plannerOptions, success: near(g) });
    } finally { goalImage.dispose(); }
  };
  const minutes = (t0: number) => ((performance.now() - t0) / 60000).toFixed(1);
  const acrossTheWall = { differentRooms: true, minDistance: 0.2 };
  setSeed(SEED);
  const training = world.sampleStartGoal(R1 + R2, acrossTheWall);
  const memory = new ShortTermMemory({ capacity: 50000 });
  let t0 = performance.now();
  setSeed(100);
  const first = training.starts.slice(0, R1).map((s, i) =>
    runTask(s, training.goals[i], fixed(intrinsicAlone), V, memory));
  console.log(`round 1: ${R1} episodes, success ${summarizeEpisodes(first).successRate.toFixed(3)}, ${minutes(t0)} min`);
  const batchesOf = (ex: CriticExamples, stream = "batches:critic") => {   // 256 random rows a batch
    const r = rng(stream);
    return () => criticBatch(ex, Array.from({ length: 256 }, () => Math.floor(r() * ex.z.length)));
  };
  const fit = async (c: Critic, tag: string, stream = "batches:critic") => {
    const eps = memory.finishedEpisodes();
    const ex = criticExamples(eps, { failCost: FAIL });
    if (HINDSIGHT) {                                     // + each episode with its end as the goal
      const h = criticExamples(eps.map((ep) => ({ ...ep, goal: ep.final!, reached: true })));
      ex.z.push(...h.z); ex.goal.push(...h.goal); ex.target.push(...h.target);
    }
    const run = await train(c, { steps: STEPS, lr: 1e-3, progress: false, chart: false,
      batch: batchesOf(ex, stream) });
    console.log(`${tag}: ${ex.z.length} examples, loss ${Number(run.last.loss).toFixed(1)}, ${Math.round(run.seconds)} s`);
  };
  if (process.env.VALCURVE) {            // validation loss on the last 20% of the episodes, by step
    const eps = memory.finishedEpisodes(), cut = Math.floor(0.8 * eps.length);
    const [tr, va] = [criticExamples(eps.slice(0, cut), { failCost: FAIL }),
      criticExamples(eps.slice(cut), { failCost: FAIL })];
    const vb = criticBatch(va, va.z.map((_, i) => i));
    const run = await train(V, { steps: STEPS, lr: 1e-3, progress: false, chart: false, evalEvery: 50,
      batch: batchesOf(tr), evaluate: () => ({ val: tf.tidy(() => V.forward(vb).loss.dataSync()[0]) }) });
    const rows = run.history.filter((x) => x.val !== undefined);
    const best = rows.reduce((a, b) => ((b.val as number) < (a.val as number) ? b : a));
    console.log(`SEED=${SEED} INIT=${process.env.INIT ?? "-"} val loss by step: ` + rows.map((x) => `${x.step}:${Number(x.val).toFixed(0)}`).join(" ") + ` | best step ${best.step}`);
    tf.dispose([vb.z, vb.goal, vb.target]);
    V.dispose();
    model.dispose();
    return;
  }
  await fit(V, "critic, round 1");
  if (ENS > 1) {
    const members = [V];
    for (let j = 1; j < ENS; j++) {
      setSeed(500 + j);
      const c = critic({ embedDim: D, name: `critic${j}` });
      await fit(c, `critic ${j + 1} of ${ENS}`, `batches:critic${j}`);
      members.push(c);
    }
    V = { ...V, value: (z, g) => tf.tidy(() =>
      tf.div(tf.addN(members.map((c) => c.value(z, g))), ENS) as tf.Tensor1D),
    dispose: () => members.forEach((c) => c.dispose()) };
  }
  let done = R1;
  for (const [k, n] of R2s.entries()) {
    t0 = performance.now();
    setSeed(101 + k);
    const more = training.starts.slice(done, done + n).map((s, j) =>
      runTask(s, training.goals[done + j], configure, V, memory));
    done += n;
    console.log(`round ${k + 2}: ${n} episodes of the whole agent, success ${summarizeEpisodes(more).successRate.toFixed(3)}, ${minutes(t0)} min`);
    if (R2CRITIC === "fresh") { V.dispose(); V = critic({ embedDim: D }); }
    await fit(V, `critic, round ${k + 2}`);
  }
  setSeed(2026);
  const heldOut = world.sampleStartGoal(100, acrossTheWall);
  setSeed(100);
  t0 = performance.now();
  const eps = heldOut.starts.slice(0, EVAL).map((s, i) => runTask(s, heldOut.goals[i], configure, V));
  const r = summarizeEpisodes(eps);
  if (process.env.DIAG) eps.forEach((e, i) => { if (!e.success) {
    const f = (v: number[]) => `(${v.map((x) => x.toFixed(2)).join(", ")})`;
    const crossed = e.states.some((st) => (st[0] - 0.5) * (heldOut.starts[i][0] - 0.5) < 0);
    console.log(`failed task ${i}: start ${f(heldOut.starts[i])} goal ${f(heldOut.goals[i])} end ${f(e.states[e.states.length - 1])} crossed ${crossed} bumps ${e.bumps}`);
  } });
  console.log(`SEED=${SEED} ENSEMBLE=${ENS} HINDSIGHT=${HINDSIGHT} INIT=${process.env.INIT ?? "-"} ROUND1=${R1} ROUND2=${R2s.join(",") || 0} STEPS=${STEPS} FAILCOST=${FAIL}: `
    + `whole agent ${(100 * r.successRate).toFixed(1)}% on ${EVAL} held-out tasks, ${r.meanSteps.toFixed(1)} steps, ${minutes(t0)} min`);
  V.dispose();
  model.dispose();
}

main();
