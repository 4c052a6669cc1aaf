/**
 * mini-jepa: the public face. Notebooks import from here: `import { vicregLoss, show } from "./lib"`
 * (the kernel starts in the package root). Each area re-exports its own files.
 */
export * from "./backend";
export * from "./random";
export * from "./check";
export * from "./quick";
export * from "./assert-close";
export * from "./losses";
export * from "./eval";
export * from "./models";
export * from "./train";
export * from "./data";
export * from "./plan";
export * from "./agent";
export * from "./viz";
export * from "./table";
export * from "./recipes";
