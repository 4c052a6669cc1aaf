/**
 * Talking to the notebook: are we inside the tslab kernel, and send a display (several MIME types at
 * once, optionally updating an earlier one). Used by `show`, `showTable` and the live chart.
 */
import { randomBytes } from "crypto";

type WriteDisplay = (data: { data: Record<string, string>; metadata: object; transient: { display_id?: string } }, update: boolean) => void;

function writer(): WriteDisplay | null {
  try {
    // eslint-disable-next-line @typescript-eslint/no-var-requires
    const jupyter = require("tslab/dist/jupyter");
    return (jupyter.lastWriteDisplayData as WriteDisplay) ?? null;
  } catch {
    return null;
  }
}

/** True inside a running tslab notebook cell (so displays reach Jupyter). */
export function inNotebook(): boolean {
  return writer() !== null;
}

/** A display that can be shown once and then updated in place (progress bars, live charts). */
export class NotebookDisplay {
  private readonly id = randomBytes(8).toString("hex");
  private shown = false;

  /** Shows (first call) or replaces (later calls) this display with a MIME bundle. No-op outside a notebook. */
  send(bundle: Record<string, string>): void {
    const write = writer();
    if (!write) return;
    write({ data: bundle, metadata: {}, transient: { display_id: this.id } }, this.shown);
    this.shown = true;
  }
}

/** Sends a MIME bundle once, e.g. `{ "text/html": ..., "image/png": base64, "text/plain": ... }`. */
export function displayBundle(bundle: Record<string, string>): void {
  new NotebookDisplay().send(bundle);
}
