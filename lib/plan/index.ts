// Re-exports of lib/plan. Each file adds its own line: export * from "./file";
export * from "./types";
export * from "./cost";
export * from "./rollout";
export * from "./cem";
export * from "./mppi";
