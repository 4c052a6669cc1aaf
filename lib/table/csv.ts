/** CSV in and out for result tables (metrics of a run, probe tables). Introduced in notebooks/00-setup.ipynb. */
import * as fs from "fs";
import * as path from "path";
import * as dfd from "danfojs-node";
import { DataFrame, fromDataFrame, toDataFrame } from "./dataframe";
import { Row } from "./row";

/** Writes rows or a DataFrame to a CSV file (creating the folder). */
export function saveCsv(data: Row[] | DataFrame, file: string): void {
  const rows = data instanceof dfd.DataFrame ? fromDataFrame(data) : data;
  if (!rows.length) throw new Error(`saveCsv: nothing to write to ${file}`);
  const cols = Object.keys(rows[0]);
  const q = (v: unknown) => {
    const s = String(v);
    return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
  fs.writeFileSync(file, [cols.join(","), ...rows.map((r) => cols.map((c) => q(r[c])).join(","))].join("\n") + "\n");
}

/** Reads a CSV file written by `saveCsv` (numbers parsed) into a DataFrame. */
export function loadCsv(file: string): DataFrame {
  const lines = fs.readFileSync(file, "utf8").trim().split(/\r?\n/);
  const cols = splitCsvLine(lines[0]);
  const rows = lines.slice(1).map((l) => {
    const cells = splitCsvLine(l);
    return Object.fromEntries(cols.map((c, i) => {
      const s = cells[i] ?? "";
      return [c, s !== "" && !Number.isNaN(Number(s)) ? Number(s) : s];
    })) as Row;
  });
  return toDataFrame(rows);
}

function splitCsvLine(line: string): string[] {
  const out: string[] = [];
  let cur = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') (cur += '"'), i++;
      else if (ch === '"') quoted = false;
      else cur += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") out.push(cur), (cur = "");
    else cur += ch;
  }
  out.push(cur);
  return out;
}
