// Re-exports of lib/losses. Each file adds its own line: export * from "./file";
export {};
