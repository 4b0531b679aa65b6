import { buildImages } from "./build-images.js";

// The command line of build-images.ts (run by build-image.sh through vite-node, which leaves the
// script's own path out of process.argv: the arguments start at index 2).
buildImages(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`test/tools: lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
