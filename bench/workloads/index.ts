/** The three benchmark workloads (bench/run.ts), each also built in bench/torch_bench.py. */
export * from "./common";
export { mlpJepa, mlpJepaDefaults } from "./mlp-jepa";
export { convJepa, convJepaDefaults } from "./conv-jepa";
export { charAr, charArDefaults } from "./char-ar";
