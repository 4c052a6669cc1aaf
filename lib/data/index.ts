// Re-exports of lib/data. Each file adds its own line: export * from "./file";
export * from "./two-rooms";
export * from "./moving-dot";
export * from "./corpus";
export * from "./batches";
export * from "./mnist";
export * from "./masks";
export * from "./frame-windows";
export * from "./fork";
