/**
 * The short-term memory: a bounded buffer of (latent, action, cost) triples, one per step the agent
 * really took, grouped into episodes (with each episode's goal latent, where it ended and whether it
 * reached the goal). The critic learns from it. Written out in notebooks/08-the-whole-agent.ipynb.
 *
 *   const memory = new ShortTermMemory({ capacity: 5000 });
 *   memory.beginEpisode(goalLatent);
 *   memory.push(latent, action, cost);          // every step
 *   memory.endEpisode(finalLatent, reached);
 *
 * Bounded: beyond `capacity` triples the oldest are forgotten (first whole finished episodes, then
 * the oldest steps of the episode under way). An episode keeps its length, so the number of steps
 * that followed a remembered triple is still known after its first steps were forgotten.
 */
import { checkNumber, withDefaults } from "../check";

/** One remembered step. */
export interface Triple {
  /** The perceived latent z_t, [D]. */
  latent: number[];
  /** The action a_t taken from there, [A]. */
  action: number[];
  /** The intrinsic cost felt for that step. */
  cost: number;
  /** Index of the step in its episode (0-based). */
  t: number;
}

/** One remembered episode. */
export interface MemoryEpisode {
  /** The goal latent g, [D]. */
  goal: number[];
  /** Its remembered steps, oldest first (the first ones may have been forgotten). */
  triples: Triple[];
  /** Steps the episode took (remembered or not); grows while it runs. */
  steps: number;
  /** The latent where it ended, [D] (undefined while it runs). */
  final?: number[];
  /** Whether it reached the goal (undefined while it runs). */
  reached?: boolean;
}

/** Options of `ShortTermMemory`. */
export interface ShortTermMemoryOptions {
  /** Triples kept at most (>= 1). Default 10000. */
  capacity?: number;
}

/** Default options of `ShortTermMemory`. */
export const shortTermMemoryDefaults: Required<ShortTermMemoryOptions> = { capacity: 10000 };

/** A bounded memory of the agent's (latent, action, cost) triples, episode by episode. */
export class ShortTermMemory {
  /** Triples kept at most. */
  readonly capacity: number;
  private readonly kept: MemoryEpisode[] = [];
  private count = 0;

  constructor(opts: ShortTermMemoryOptions = {}) {
    const o = withDefaults(shortTermMemoryDefaults, opts, "ShortTermMemory");
    this.capacity = checkNumber("ShortTermMemory", "opts.capacity", o.capacity, { min: 1, integer: true });
  }

  /** Triples remembered now (never more than `capacity`). */
  get size(): number {
    return this.count;
  }

  /** The remembered episodes, oldest first (the last one may still be running). */
  episodes(): readonly MemoryEpisode[] {
    return this.kept;
  }

  /** The episodes that ended (reached the goal or ran out of steps). */
  finishedEpisodes(): MemoryEpisode[] {
    return this.kept.filter((e) => e.reached !== undefined);
  }

  /** Starts an episode towards the goal latent [D] (an episode still running is ended as not reached, where it was). */
  beginEpisode(goal: number[]): void {
    checkVector("ShortTermMemory.beginEpisode", "goal", goal);
    const running = this.running();
    if (running) this.endEpisode(running.triples.length ? running.triples[running.triples.length - 1].latent : goal, false);
    this.kept.push({ goal: goal.slice(), triples: [], steps: 0 });
  }

  /** Remembers one step of the running episode: latent [D], action [A], cost. */
  push(latent: number[], action: number[], cost: number): void {
    const where = "ShortTermMemory.push";
    const ep = this.running();
    if (!ep) throw new Error(`${where}: no episode is running; call beginEpisode(goal) first`);
    checkVector(where, "latent", latent, ep.goal.length);
    checkVector(where, "action", action);
    checkNumber(where, "cost", cost);
    ep.triples.push({ latent: latent.slice(), action: action.slice(), cost, t: ep.steps });
    ep.steps++;
    this.count++;
    this.forget();
  }

  /** Ends the running episode where it is (latent [D]) and says whether it reached the goal. */
  endEpisode(final: number[], reached: boolean): void {
    const where = "ShortTermMemory.endEpisode";
    const ep = this.running();
    if (!ep) throw new Error(`${where}: no episode is running; call beginEpisode(goal) first`);
    checkVector(where, "final", final, ep.goal.length);
    if (typeof reached !== "boolean") throw new TypeError(`${where}: reached must be true or false, received ${typeof reached}`);
    ep.final = final.slice();
    ep.reached = reached;
  }

  /** Forgets everything. */
  clear(): void {
    this.kept.length = 0;
    this.count = 0;
  }

  private running(): MemoryEpisode | undefined {
    const last = this.kept[this.kept.length - 1];
    return last && last.reached === undefined ? last : undefined;
  }

  /** Drops the oldest finished episodes, then the oldest steps of the running one, until within capacity. */
  private forget(): void {
    while (this.count > this.capacity) {
      const oldest = this.kept[0];
      if (oldest.reached !== undefined && this.kept.length > 1) {
        this.count -= oldest.triples.length;
        this.kept.shift();
      } else {
        oldest.triples.shift();
        this.count--;
      }
    }
  }
}

function checkVector(where: string, arg: string, v: unknown, length?: number): void {
  if (!Array.isArray(v) || v.length === 0 || !v.every((x) => typeof x === "number" && Number.isFinite(x))) {
    throw new TypeError(`${where}: ${arg} must be a non-empty array of finite numbers, received ${Array.isArray(v) ? `an array of length ${v.length}` : typeof v}`);
  }
  if (length !== undefined && v.length !== length) throw new Error(`${where}: ${arg} must have ${length} numbers (the goal's D), received ${v.length}`);
}
