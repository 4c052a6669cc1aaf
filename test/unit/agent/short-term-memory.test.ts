import { test } from "node:test";
import assert from "node:assert/strict";
import { ShortTermMemory } from "../../../lib/agent";

test("ShortTermMemory: bounded; forgets whole old episodes first, then the oldest steps of the running one; keeps step counts", () => {
  const mem = new ShortTermMemory({ capacity: 5 });
  mem.beginEpisode([0, 0]);
  for (let t = 0; t < 3; t++) mem.push([t, 0], [1, 0], t);
  mem.endEpisode([3, 0], true);
  mem.beginEpisode([9, 9]);
  for (let t = 0; t < 2; t++) mem.push([t, 1], [0, 1], 10 + t);
  assert.equal(mem.size, 5);
  mem.push([2, 1], [0, 1], 12); // 6 > 5: the whole first episode goes
  assert.equal(mem.size, 3);
  assert.equal(mem.episodes().length, 1);
  for (let t = 3; t < 9; t++) {
    mem.push([t, 1], [0, 1], 10 + t);
    assert.ok(mem.size <= 5, `size ${mem.size} after step ${t}`);
  }
  const [ep] = mem.episodes();
  assert.equal(ep.steps, 9, "the episode keeps its length");
  assert.deepEqual(ep.triples.map((x) => x.t), [4, 5, 6, 7, 8], "the oldest steps were forgotten");
  assert.deepEqual(ep.triples[0], { latent: [4, 1], action: [0, 1], cost: 14, t: 4 });
  assert.equal(mem.finishedEpisodes().length, 0);
  mem.endEpisode([9, 1], false);
  assert.equal(mem.finishedEpisodes().length, 1);
  for (let e = 0; e < 50; e++) {
    mem.beginEpisode([e, e]);
    for (let t = 0; t < 1 + (e % 4); t++) mem.push([e, t], [0, 0], 0);
    mem.endEpisode([e, 0], e % 2 === 0);
    assert.ok(mem.size <= 5);
  }
  assert.ok(mem.size > 5 - 4, `whole episodes (at most 4 steps) are forgotten: size ${mem.size}`);
  assert.equal(mem.episodes().at(-1)!.triples.length, 1 + (49 % 4), "the newest episode is kept whole");
  mem.clear();
  assert.equal(mem.size, 0);
  assert.equal(mem.episodes().length, 0);
});

test("ShortTermMemory: copies what it is given; a new episode ends a running one; clear errors", () => {
  const mem = new ShortTermMemory();
  assert.equal(mem.capacity, 10000);
  const latent = [1, 2];
  mem.beginEpisode([0, 0]);
  mem.push(latent, [0.1, 0], 5);
  latent[0] = 99;
  assert.deepEqual(mem.episodes()[0].triples[0].latent, [1, 2]);
  mem.beginEpisode([1, 1]);
  assert.equal(mem.episodes()[0].reached, false, "the running episode was ended as not reached");
  assert.deepEqual(mem.episodes()[0].final, [1, 2]);
  assert.throws(() => mem.push([1, 2, 3], [0, 0], 1), /ShortTermMemory.push: latent must have 2 numbers/);
  assert.throws(() => mem.push([1, 2], [0, 0], NaN), /ShortTermMemory.push: cost/);
  mem.endEpisode([0, 0], true);
  assert.throws(() => mem.push([1, 2], [0, 0], 1), /no episode is running; call beginEpisode/);
  assert.throws(() => new ShortTermMemory({ capacity: 0 }), /ShortTermMemory: opts.capacity/);
});
