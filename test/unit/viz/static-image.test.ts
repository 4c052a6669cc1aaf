import { test, after } from "node:test";
import assert from "node:assert/strict";
import { closeChromium, figureToPng, findChromium, interactiveHtml, lineChart } from "../../../lib/viz";

after(() => closeChromium());

test("figureToPng draws a real chart with headless Chromium (pixels, not just bytes)", { skip: !findChromium() && "no Chromium here" }, async () => {
  const fig = lineChart([{ name: "up", y: [0, 1, 2, 3, 4] }], { width: 300, height: 200 });
  const png = await figureToPng(fig);
  assert.equal(png.subarray(1, 4).toString(), "PNG");
  assert.equal(png.readUInt32BE(16), 300); // IHDR width
  assert.equal(png.readUInt32BE(20), 200); // IHDR height
  const blank = await figureToPng({ data: [], layout: { width: 300, height: 200, xaxis: { visible: false }, yaxis: { visible: false } } });
  assert.ok(png.length > blank.length * 1.5, `a chart with a line (${png.length} B) should hold more than a blank one (${blank.length} B)`);
});

test("interactiveHtml loads plotly from the Jupyter server, never inlines the bundle, keeps the PNG fallback", () => {
  const html = interactiveHtml(lineChart([{ name: "a", y: [1, 2] }]), "AAAA");
  assert.ok(html.includes("files/node_modules/plotly.js-dist/plotly.js"));
  assert.ok(html.includes('src="data:image/png;base64,AAAA"'));
  assert.ok(html.length < 10_000, `html is ${html.length} characters`);
});
