import { buildCiliumImages } from "./build-cilium-images.js";

// The command line of build-cilium-images.ts (run by build-cilium.sh through vite-node, which
// leaves the script's own path out of process.argv: the arguments start at index 2).
buildCiliumImages(process.argv.slice(2)).catch((error: unknown) => {
  console.error(`test/tools: lab: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
