// Re-exports of lib/viz. Each file adds its own line: export * from "./file";
export {};
