// Re-exports of lib/train. Each file adds its own line: export * from "./file";
export {};
