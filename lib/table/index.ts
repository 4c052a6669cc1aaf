// Re-exports of lib/table.
export * from "./dataframe";
export * from "./show-table";
export * from "./csv";
