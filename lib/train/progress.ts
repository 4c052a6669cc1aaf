/**
 * A progress bar for long runs: live in a notebook (updated in place), one line in a terminal.
 * Used by `train` (first in notebooks/02-energy-and-collapse.ipynb).
 */
import { inNotebook, NotebookDisplay } from "../viz/notebook";

/** Options of `progressBar`. */
export interface ProgressOptions {
  /** Text before the bar. Default "training". */
  label?: string;
  /** Redraw at most this often, in milliseconds. Default 250. */
  throttleMs?: number;
  /** Where terminal output goes. Default process.stderr. */
  stream?: NodeJS.WriteStream;
}

/** A progress bar handle. */
export interface ProgressBar {
  /** Moves to `done` of `total` with a short status text (e.g. "loss 0.123"). */
  update(done: number, status?: string): void;
  /** Final state with a closing message. */
  finish(message: string): void;
}

/** Creates a bar for `total` units of work. */
export function progressBar(total: number, opts: ProgressOptions = {}): ProgressBar {
  const label = opts.label ?? "training";
  const throttle = opts.throttleMs ?? 250;
  const stream = opts.stream ?? process.stderr;
  const notebook = inNotebook();
  const display = new NotebookDisplay();
  const t0 = Date.now();
  let last = 0;
  let lastPct = -1;
  const render = (done: number, status: string, final = false) => {
    const secs = (Date.now() - t0) / 1000;
    const rate = done / Math.max(secs, 1e-9);
    const eta = done > 0 && !final ? ` · ETA ${formatTime((total - done) / rate)}` : "";
    const text = `${label} ${done}/${total} · ${formatTime(secs)} · ${rate.toFixed(1)} it/s${eta}${status ? " · " + status : ""}`;
    if (notebook) {
      display.send({
        "text/html": `<div class="mj-progress"><progress value="${done}" max="${total}" style="width:40%"></progress> <code>${escapeHtml(text)}</code></div>`,
        "text/plain": text,
      });
    } else if (stream.isTTY) {
      stream.write(`\r${bar(done / total)} ${text}`.padEnd(100) + (final ? "\n" : ""));
    } else {
      const pct = Math.floor((10 * done) / total);
      if (pct !== lastPct || final) stream.write(`${bar(done / total)} ${text}\n`);
      lastPct = pct;
    }
  };
  return {
    update(done, status = "") {
      const now = Date.now();
      if (now - last < throttle && done < total) return;
      last = now;
      render(done, status);
    },
    finish: (message) => render(total, message, true),
  };
}

/** "1:05" for 65 seconds, "1:01:05" past an hour. */
export function formatTime(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, "0");
  return h ? `${h}:${String(m).padStart(2, "0")}:${ss}` : `${m}:${ss}`;
}

function bar(f: number, width = 24): string {
  const n = Math.round(Math.min(1, Math.max(0, f)) * width);
  return `[${"#".repeat(n)}${".".repeat(width - n)}]`;
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
