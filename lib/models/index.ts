// Re-exports of lib/models. Each file adds its own line: export * from "./file";
export * from "./model";
