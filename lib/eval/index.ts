// Re-exports of lib/eval. Each file adds its own line: export * from "./file";
export {};
