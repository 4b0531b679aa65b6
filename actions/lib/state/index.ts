export * from "./seal.js";
export * from "./phases.js";
export * from "./phase-state.js";
export * from "./phase-state-artifacts.js";
export * from "./selection.js";
export * from "./finish-phase.js";
