/**
 * A chart that grows while a run trains: `push(step, { loss, std })`, then `done()` leaves a static
 * picture behind. Introduced in notebooks/00-setup.ipynb.
 */
import { lineChart, LineOptions } from "./line";
import { Figure } from "./figure";
import { inNotebook, NotebookDisplay } from "./notebook";
import { describeFigure, interactiveHtml, showIn } from "./show";

/** Options of `liveChart`. */
export interface LiveChartOptions extends LineOptions {
  /** Redraw at most this often, in milliseconds (default 1000). */
  throttleMs?: number;
}

/** A live line chart handle. */
export interface LiveChart {
  /** Adds one point per named value at `step`; redraws when the throttle allows. */
  push(step: number, values: Record<string, number>): void;
  /** The series so far, by name. */
  series(): Record<string, { x: number[]; y: number[] }>;
  /** The current figure. */
  figure(): Figure;
  /** Final redraw with a static PNG (survives saving). Outside a notebook prints a summary. */
  done(): Promise<void>;
}

/** Creates a live chart; in a notebook it shows immediately and updates in place. */
export function liveChart(opts: LiveChartOptions = {}): LiveChart {
  const data: Record<string, { x: number[]; y: number[] }> = {};
  const display = new NotebookDisplay();
  const throttle = opts.throttleMs ?? 1000;
  let last = 0;
  const figure = () => lineChart(Object.entries(data).map(([name, s]) => ({ name, x: s.x, y: s.y })), { markers: false, ...opts });
  const redraw = () => {
    const fig = figure();
    display.send({ "text/html": interactiveHtml(fig), "text/plain": describeFigure(fig) });
  };
  if (inNotebook()) redraw();
  return {
    push(step, values) {
      for (const [k, v] of Object.entries(values)) {
        if (!data[k]) data[k] = { x: [], y: [] };
        data[k].x.push(step);
        data[k].y.push(v);
      }
      const now = Date.now();
      if (inNotebook() && now - last >= throttle) {
        last = now;
        redraw();
      }
    },
    series: () => data,
    figure,
    done: () => showIn(display, figure()),
  };
}
