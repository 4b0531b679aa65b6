#!/usr/bin/env node
// Builds every action and the CLI as ONE esbuild build with code splitting:
//   actions/<name>/src/main.ts → dist/actions/<name>.mjs  (action.yml: main: ../../dist/actions/<name>.mjs)
//   cli/src/main.ts            → cli/dist/pve-kube.mjs    (package.json bin; the path every doc uses)
//   code used by more than one entry, or imported lazily → dist/chunks/*.mjs, each module once
// Actions are discovered: any actions/<name>/src/main.ts is an entry, there is no list to keep.
// Why one build: the per-action bundles each carried their own copy of every dependency (32 MB for
// four actions); split, a module is written once, and an entry loads only the chunks it imports
// statically — the rest when a lazy `await import()` asks for them.
// Why ESM: @actions/core 3, cache 6 and artifact 6 are ESM-only. The banner defines `require` in
// every file so bundled CommonJS dependencies (yaml, the Azure SDK) can still require Node builtins.
// Not minified, so diffs stay readable and names survive; chunk names carry a content hash, so the
// build is reproducible byte for byte.
//   node scripts/build.mjs [--out-root DIR]   (DIR mirrors the repository layout; for check-dist)
import { build } from "esbuild";
import { existsSync, mkdirSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The folders the build owns, relative to the repository root: it replaces them whole. */
export const OUTPUT_DIRS = ["dist", "cli/dist"];

/** Every entry: `file` is its output path from the repository root (what action.yml and bin name). */
export function bundleEntries(root = repo) {
  const entries = [];
  const actionsDir = path.join(root, "actions");
  for (const name of readdirSync(actionsDir).sort()) {
    const entry = path.join(actionsDir, name, "src", "main.ts");
    if (name !== "lib" && existsSync(entry)) {
      entries.push({ name, entry, file: `dist/actions/${name}.mjs` });
    }
  }
  const cli = path.join(root, "cli", "src", "main.ts");
  if (existsSync(cli)) {
    entries.push({ name: "pve-kube", entry: cli, file: "cli/dist/pve-kube.mjs", shebang: true });
  }
  return entries;
}

const banner = [
  "import { createRequire as __pveKubeCreateRequire } from 'node:module';",
  "const require = __pveKubeCreateRequire(import.meta.url);",
].join("\n");

/**
 * Packages whose modules have no side effects on import, though their package.json does not say
 * so. @actions/core imports @actions/http-client (and with it all of undici, 0.8 MB) only for
 * getIDToken's OIDC client; declared side-effect free, esbuild drops it from a start that never
 * asks for a token, and keeps it in the chunks of the artifact and cache clients that use it.
 */
const SIDE_EFFECT_FREE = /^@actions\/http-client(\/|$)|^\.\/oidc-utils\.js$/;

const sideEffectFree = {
  name: "side-effect-free",
  setup(build) {
    build.onResolve({ filter: SIDE_EFFECT_FREE }, async (args) => {
      if (args.pluginData?.resolving) return undefined;
      const { resolveDir, kind, importer } = args;
      const resolved = await build.resolve(args.path, {
        resolveDir,
        kind,
        importer,
        pluginData: { resolving: true },
      });
      return resolved.errors.length > 0 ? undefined : { ...resolved, sideEffects: false };
    });
  },
};

/** One build, in memory: repository-relative path (posix) → file contents. */
export async function buildOutputs(root = repo) {
  const entries = bundleEntries(root);
  const result = await build({
    absWorkingDir: root,
    entryPoints: entries.map((e) => ({ in: e.entry, out: e.file.replace(/\.mjs$/, "") })),
    outdir: root,
    bundle: true,
    splitting: true,
    chunkNames: "dist/chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    platform: "node",
    target: "node20",
    format: "esm",
    minify: false,
    keepNames: true,
    sourcemap: false,
    legalComments: "none",
    logLevel: "warning",
    write: false,
    banner: { js: banner },
    plugins: [sideEffectFree],
    // the JSON schema and versions pins are read at build time, so the output is self-contained
    loader: { ".json": "json" },
  });
  const shebangs = new Set(entries.filter((e) => e.shebang).map((e) => e.file));
  const files = new Map();
  for (const output of result.outputFiles) {
    const rel = path.relative(root, output.path).split(path.sep).join("/");
    const contents = Buffer.from(output.contents);
    files.set(
      rel,
      shebangs.has(rel)
        ? Buffer.concat([Buffer.from("#!/usr/bin/env node\n"), contents])
        : contents,
    );
  }
  return files;
}

/** Replaces the output folders under outRoot with the files of one build. */
export function writeOutputs(files, outRoot) {
  for (const dir of OUTPUT_DIRS) rmSync(path.join(outRoot, dir), { recursive: true, force: true });
  for (const [rel, contents] of files) {
    const file = path.join(outRoot, rel);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, contents);
  }
}

async function main() {
  const outRootArg = process.argv.indexOf("--out-root");
  const outRoot = outRootArg > 0 ? path.resolve(process.argv[outRootArg + 1]) : repo;
  const files = await buildOutputs();
  writeOutputs(files, outRoot);
  const entries = bundleEntries().map((e) => e.file);
  const bytes = [...files.values()].reduce((sum, b) => sum + b.length, 0);
  console.log(
    `built ${entries.join(", ")} and ${files.size - entries.length} shared chunks: ${(bytes / 1e6).toFixed(2)} MB`,
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  await main();
}
