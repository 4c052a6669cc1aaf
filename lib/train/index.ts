// Re-exports of lib/train. Each file adds its own line: export * from "./file";
export * from "./schedule";
export * from "./progress";
export * from "./checkpoint";
export * from "./train";
export * from "./pretrained";
