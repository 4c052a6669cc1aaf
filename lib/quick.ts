/**
 * QUICK mode: `QUICK=1` shrinks every run so CI executes all notebooks in minutes. Introduced in
 * notebooks/00-setup.ipynb. Full mode (QUICK unset or 0) is the real lesson.
 */

/** True when the QUICK environment variable is set to anything but "" or "0". */
export const QUICK: boolean = !!process.env.QUICK && process.env.QUICK !== "0";

/** `quick` in QUICK mode, else `full`: `const steps = pick(50, 3000)`. */
export function pick<T>(quick: T, full: T): T {
  return QUICK ? quick : full;
}
