/**
 * `showTable(rows | df)`: a results table as HTML in the notebook, as aligned text in a terminal.
 * Introduced in notebooks/00-setup.ipynb.
 */
import * as dfd from "danfojs-node";
import { displayBundle, inNotebook } from "../viz/notebook";
import { DataFrame, fromDataFrame } from "./dataframe";
import { Row } from "./row";

/** Options of `showTable`. */
export interface TableOptions {
  /** Caption above the table. */
  title?: string;
  /** Significant decimals for non-integer numbers (default 4). */
  digits?: number;
  /** Show at most this many rows (default 50; the rest are counted). */
  maxRows?: number;
}

const esc = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

/** Formats a cell: integers as is, other numbers to `digits` decimals. */
export function formatCell(v: unknown, digits = 4): string {
  if (typeof v === "number") return Number.isInteger(v) ? String(v) : v.toFixed(digits);
  return String(v);
}

/** Renders rows as an HTML table. */
export function tableHtml(rows: Row[], opts: TableOptions = {}): string {
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const shown = rows.slice(0, opts.maxRows ?? 50);
  const th = cols.map((c) => `<th style="text-align:right;padding:2px 10px">${esc(c)}</th>`).join("");
  const trs = shown.map((r) => "<tr>" + cols.map((c) =>
    `<td style="text-align:right;padding:2px 10px">${esc(formatCell(r[c], opts.digits))}</td>`).join("") + "</tr>").join("");
  const more = rows.length > shown.length ? `<div>… ${rows.length - shown.length} more rows</div>` : "";
  const cap = opts.title ? `<caption style="font-weight:bold;text-align:left">${esc(opts.title)}</caption>` : "";
  return `<table class="mj-table" style="border-collapse:collapse">${cap}<thead><tr>${th}</tr></thead><tbody>${trs}</tbody></table>${more}`;
}

/** Renders rows as aligned plain text. */
export function tableText(rows: Row[], opts: TableOptions = {}): string {
  const cols = rows.length ? Object.keys(rows[0]) : [];
  const cells = [cols, ...rows.slice(0, opts.maxRows ?? 50).map((r) => cols.map((c) => formatCell(r[c], opts.digits)))];
  const w = cols.map((_, i) => Math.max(...cells.map((r) => r[i].length)));
  const lines = cells.map((r) => r.map((s, i) => s.padStart(w[i])).join("  "));
  return (opts.title ? opts.title + "\n" : "") + lines.join("\n");
}

/** Shows a table of rows or a danfojs DataFrame. */
export function showTable(data: Row[] | DataFrame, opts: TableOptions = {}): void {
  const rows = data instanceof dfd.DataFrame ? fromDataFrame(data) : data;
  if (!Array.isArray(rows)) throw new TypeError("showTable: data must be an array of row objects or a danfojs DataFrame");
  if (inNotebook()) displayBundle({ "text/html": tableHtml(rows, opts), "text/plain": tableText(rows, opts) });
  else console.log(tableText(rows, opts));
}
