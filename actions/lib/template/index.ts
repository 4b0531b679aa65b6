export * from "./recipe.js";
export * from "./virt-customize.js";
export * from "./description.js";
