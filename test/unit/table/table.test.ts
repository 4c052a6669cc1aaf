import { test } from "node:test";
import assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fromDataFrame, loadCsv, saveCsv, tableHtml, tableText, toDataFrame } from "../../../lib/table";

const rows = [{ model: "JEPA, small", r2: 0.96123, steps: 100 }, { model: 'pixel "baseline"', r2: 0.5, steps: 200 }];

test("toDataFrame keeps columns and values; missing columns are named", () => {
  const df = toDataFrame(rows);
  assert.deepEqual(df.columns, ["model", "r2", "steps"]);
  assert.deepEqual(fromDataFrame(df), rows);
  assert.throws(() => toDataFrame([{ a: 1 }, { b: 2 } as never]), /toDataFrame: row 1 lacks column\(s\) a/);
});

test("CSV round trip keeps quoted text and numbers", () => {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "mj-")), "r.csv");
  saveCsv(toDataFrame(rows), file);
  assert.deepEqual(fromDataFrame(loadCsv(file)), rows);
});

test("tables render as HTML and aligned text with fixed decimals", () => {
  assert.ok(tableHtml(rows, { digits: 2 }).includes("<td style=\"text-align:right;padding:2px 10px\">0.96</td>"));
  assert.ok(tableHtml(rows).includes("pixel &quot;baseline&quot;") || tableHtml(rows).includes('pixel "baseline"'));
  const text = tableText(rows, { digits: 3 }).split("\n");
  assert.equal(text.length, 3);
  assert.ok(text[1].includes("0.961"));
});
