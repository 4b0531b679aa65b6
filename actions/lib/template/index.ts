export * from "./recipe.js";
export * from "./virt-customize.js";
export * from "./description.js";
export * from "./virt-customize-check.js";
