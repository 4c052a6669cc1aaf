import { test } from "node:test";
import assert from "node:assert/strict";
import { barChart, heatmap, histogram, imageGrid, lineChart, scatterChart } from "../../../lib/viz";

test("lineChart: one trace per series, x defaults to 0..n-1, log axis", () => {
  const fig = lineChart([{ name: "a", y: [3, 2, 1] }, { name: "b", x: [1, 2], y: [5, 6], dash: true }], { logY: true, title: "t" });
  assert.equal(fig.data.length, 2);
  assert.deepEqual(fig.data[0].x, [0, 1, 2]);
  assert.deepEqual((fig.layout.yaxis as { type: string }).type, "log");
  assert.deepEqual((fig.layout.title as { text: string }).text, "t");
});

test("scatterChart: numeric colours get a colour scale; mismatched lengths are named", () => {
  const fig = scatterChart([{ x: [0, 1], y: [1, 0], color: [0.1, 0.9] }], { colorLabel: "x" });
  assert.equal((fig.data[0].marker as { colorscale: string }).colorscale, "Viridis");
  assert.throws(() => scatterChart([{ x: [0, 1], y: [1] }]), /scatterChart: series\[0\]\.x and \.y must have the same length, received 2 and 1/);
});

test("heatmap, histogram, barChart validate their inputs", () => {
  assert.equal(heatmap([[1, 2], [3, 4]]).data[0].type, "heatmap");
  assert.throws(() => heatmap([[1, 2], [3]]), /heatmap: z rows must have equal length, row 1 has 1, expected 2/);
  assert.equal(histogram([{ name: "h", values: [1, 2, 2] }]).data[0].type, "histogram");
  assert.throws(() => barChart(["a", "b"], [{ name: "s", y: [1] }]), /barChart: series\[0\]\.y must have one value per category \(2\), received 1/);
});

test("imageGrid: one heatmap and axis pair per image, titles as annotations", () => {
  const img = [[0, 1], [1, 0]];
  const fig = imageGrid([img, img, img], { cols: 2, titles: ["a", "b", "c"] });
  assert.equal(fig.data.length, 3);
  assert.ok(fig.layout.xaxis3 && fig.layout.yaxis3);
  assert.equal((fig.layout.annotations as unknown[]).length, 3);
  assert.throws(() => imageGrid([]), /imageGrid: images must hold at least one image/);
});
