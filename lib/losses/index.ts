// Re-exports of lib/losses. Each file adds its own line: export * from "./file";
export * from "./latent-distance";
export * from "./vicreg";
export * from "./sigreg";
export * from "./cross-entropy";
