// Re-exports of lib/table.
export * from "./row";
export * from "./dataframe";
export * from "./show-table";
export * from "./csv";
