/**
 * Node 23 removed the old `util.is*` type checks (DEP0044–DEP0058). @tensorflow/tfjs-node 4.22, the
 * last release, still calls `util.isNullOrUndefined` and friends when it runs ops, so on Node ≥ 23
 * its first op throws "isNullOrUndefined is not a function". `restoreNodeUtil()` puts back the ones
 * that are missing, with the definitions Node had; where they still exist nothing is touched.
 * lib/backend.ts calls it before requiring tfjs-node. Introduced with the backend in
 * notebooks/00-setup.ipynb.
 */
import * as nodeTypes from "util/types";

/** The removed checks, as Node defined them before removing them. */
export const removedUtilChecks: Record<string, (x: unknown) => boolean> = {
  isArray: (x) => Array.isArray(x),
  isBoolean: (x) => typeof x === "boolean",
  isBuffer: (x) => Buffer.isBuffer(x),
  isDate: (x) => nodeTypes.isDate(x),
  isError: (x) => nodeTypes.isNativeError(x) || x instanceof Error,
  isFunction: (x) => typeof x === "function",
  isNull: (x) => x === null,
  isNullOrUndefined: (x) => x === null || x === undefined,
  isNumber: (x) => typeof x === "number",
  isObject: (x) => x !== null && typeof x === "object",
  isPrimitive: (x) => x === null || (typeof x !== "object" && typeof x !== "function"),
  isRegExp: (x) => nodeTypes.isRegExp(x),
  isString: (x) => typeof x === "string",
  isSymbol: (x) => typeof x === "symbol",
  isUndefined: (x) => x === undefined,
};

/** Adds the missing `util.is*` functions to Node's `util` module; returns the names it added. */
export function restoreNodeUtil(): string[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const util = require("util") as Record<string, unknown>;
  const added = Object.keys(removedUtilChecks).filter((name) => typeof util[name] !== "function");
  for (const name of added) util[name] = removedUtilChecks[name];
  return added;
}
