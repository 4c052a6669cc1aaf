/**
 * A row of a metrics table: named numbers (and the odd label). What `train` logs and checkpoints
 * keep; `toDataFrame` turns rows into a danfojs DataFrame. Used by `train` and `showTable`.
 */

/** One row: column name -> value. */
export type Row = Record<string, number | string | boolean>;
