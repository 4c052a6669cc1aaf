import { test } from "node:test";
import assert from "node:assert/strict";
import { roomPathChart } from "../../../lib/viz";

test("roomPathChart: a line and a start marker per path, marked points, the wall as two rectangles", () => {
  const wall = { wallLeft: 0.48, wallRight: 0.52, doorLow: 0.4, doorHigh: 0.6 };
  const fig = roomPathChart(
    [{ name: "executed", points: [[0.1, 0.1], [0.2, 0.2]] }, { name: "plan", points: [[0.1, 0.1], [0.3, 0.2]], dash: "dash", markStart: false }],
    { wall, points: [{ name: "goal", points: [[0.9, 0.9]] }], title: "t" },
  );
  assert.equal(fig.data.length, 4); // path 0 + its start, path 1, goal
  assert.deepEqual(fig.data[0].x, [0.1, 0.2]);
  assert.equal((fig.data[2].line as { dash: string }).dash, "dash");
  assert.equal((fig.data[3].marker as { symbol: string }).symbol, "star");
  const shapes = fig.layout.shapes as { y0: number; y1: number }[];
  assert.deepEqual(shapes.map((s) => [s.y0, s.y1]), [[0, 0.4], [0.6, 1]]);
  assert.equal((fig.layout.yaxis as { scaleanchor: string }).scaleanchor, "x");
});

test("roomPathChart: bad points are named", () => {
  assert.throws(() => roomPathChart([{ name: "a", points: [[0.1]] }]), /roomPathChart: paths\[0\]\.points must be an array of \[x, y\] points/);
  assert.throws(() => roomPathChart([], { points: [{ name: "g", points: 3 as any }] }), /roomPathChart: opts\.points\[0\]\.points must be/);
});
