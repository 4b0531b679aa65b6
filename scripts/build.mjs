#!/usr/bin/env node
// Bundles every action (actions/<name>/src/main.ts → actions/<name>/dist/index.mjs) and the CLI
// (cli/src/main.ts → cli/dist/pve-kube.mjs) with esbuild.
// Why esbuild and ESM: @actions/core 3, cache 6 and artifact 6 are ESM-only; a CommonJS ncc bundle
// fails at runtime. The banner defines `require` so bundled CommonJS dependencies (yaml, the Azure
// SDK) can still require Node builtins. Output is not minified, so diffs stay readable and
// names survive.
//   node scripts/build.mjs [--out-root DIR]   (DIR mirrors the repo layout; used by check-dist)
import { build } from "esbuild";
import { existsSync, readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const outRootArg = process.argv.indexOf("--out-root");
const outRoot = outRootArg > 0 ? path.resolve(process.argv[outRootArg + 1]) : repo;

export function bundleTargets(root = repo) {
  const targets = [];
  const actionsDir = path.join(root, "actions");
  for (const name of readdirSync(actionsDir).sort()) {
    const entry = path.join(actionsDir, name, "src", "main.ts");
    if (name !== "lib" && existsSync(entry)) {
      targets.push({ entry, outfile: path.join("actions", name, "dist", "index.mjs") });
    }
  }
  const cli = path.join(root, "cli", "src", "main.ts");
  if (existsSync(cli)) targets.push({ entry: cli, outfile: path.join("cli", "dist", "pve-kube.mjs"), shebang: true });
  return targets;
}

const banner = [
  "import { createRequire as __pveKubeCreateRequire } from 'node:module';",
  "const require = __pveKubeCreateRequire(import.meta.url);",
].join("\n");

async function main() {
  const targets = bundleTargets();
  for (const target of targets) {
    const outfile = path.join(outRoot, target.outfile);
    rmSync(path.dirname(outfile), { recursive: true, force: true });
    await build({
      entryPoints: [target.entry],
      outfile,
      bundle: true,
      platform: "node",
      target: "node20",
      format: "esm",
      minify: false,
      keepNames: true,
      sourcemap: false,
      legalComments: "none",
      logLevel: "warning",
      banner: { js: (target.shebang ? "#!/usr/bin/env node\n" : "") + banner },
      // the JSON schema and versions pins are read at build time, so the bundle is self-contained
      loader: { ".json": "json" },
    });
    console.log(`built ${target.outfile}`);
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
