// Re-exports of lib/recipes: the notebooks' particular set-ups. Each file adds its own line.
export * from "./mini-jepa";
export * from "./mini-jepa-recipe";
export * from "./mini-jepa-data";
export * from "./mini-jepa-metrics";
export * from "./mini-jepa-world-model";
export * from "./surprise-report";
export * from "./last-frame-baseline";
export * from "./video-jepa-recipe";
export * from "./rooms-world-model";
export * from "./rooms-high-level";
export * from "./rooms-planning";
