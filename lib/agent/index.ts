// Re-exports of lib/agent (notebook 08: the whole agent). Each file adds its own line: export * from "./file";
export * from "./intrinsic-cost";
export * from "./short-term-memory";
export * from "./critic";
export * from "./actor";
export * from "./configurator";
export * from "./run-agent";
