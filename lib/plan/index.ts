// Re-exports of lib/plan. Each file adds its own line: export * from "./file";
export {};
