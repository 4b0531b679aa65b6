export * from "./seal.js";
export * from "./phases.js";
export * from "./phase-state.js";
export * from "./transport.js";
export * from "./selection.js";
