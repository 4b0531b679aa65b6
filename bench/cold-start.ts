/**
 * What the built bundles cost: bytes on disk, bytes each entry loads before it runs, how long each
 * action takes to start (median of --runs starts, interleaved with `node -e 0` in the same rounds so
 * both see the same machine load) and how long the dist freshness gate takes.
 *
 *   npx vite-node bench/bench-cli.ts cold-start [--runs 21] [--gate-runs 1] [--no-gate] [--baseline DIR]
 *
 * The entries are found the way a runner finds them: each `actions/<name>/action.yml`'s `runs.main`
 * resolved against the action's directory, and the CLI from package.json's `bin`. So the same
 * script measures any bundle layout. An action is started with a fresh runner environment and no
 * inputs: it must fail fast on the missing input — that is the cold-start path (load the code,
 * parse the inputs), not a whole run. Bytes "loaded" follow the static imports of an entry;
 * bytes "on disk" are every file reachable from any entry, static or dynamic import, counted once.
 */
import { spawn } from "node:child_process";
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { parse } from "yaml";
import { machineLine } from "./machine.js";

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

interface Entry {
  name: string;
  file: string;
  args: string[];
}

/** Every action entry (runs.main against the action dir) and the CLI entry (package.json bin). */
export function bundleEntries(root = repo): Entry[] {
  const entries: Entry[] = [];
  const actionsDir = path.join(root, "actions");
  for (const name of readdirSync(actionsDir).sort()) {
    const manifest = path.join(actionsDir, name, "action.yml");
    if (!existsSync(manifest)) continue;
    const runs = (parse(readFileSync(manifest, "utf8")) as { runs?: { main?: string } } | null)
      ?.runs;
    if (typeof runs?.main === "string")
      entries.push({ name, file: path.resolve(actionsDir, name, runs.main), args: [] });
  }
  const bin =
    (
      JSON.parse(readFileSync(path.join(root, "package.json"), "utf8")) as {
        bin?: Record<string, string>;
      }
    ).bin ?? {};
  for (const [name, file] of Object.entries(bin))
    entries.push({ name: `${name} --help`, file: path.resolve(root, file), args: ["--help"] });
  return entries;
}

// esbuild writes relative imports as `from "./x.mjs"` / `import("./x.mjs")`; only files that exist count
const RELATIVE_IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
const STATIC_IMPORT = /(?:\bfrom\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;

/** The files an entry reaches through relative imports: static ones only, or dynamic ones too. */
export function importClosure(entry: string, withDynamic: boolean): Set<string> {
  const seen = new Set<string>();
  const pending = [entry];
  while (pending.length > 0) {
    const file = pending.pop();
    if (file === undefined || seen.has(file) || !existsSync(file)) continue;
    seen.add(file);
    const source = readFileSync(file, "utf8");
    for (const match of source.matchAll(withDynamic ? RELATIVE_IMPORT : STATIC_IMPORT)) {
      const target = path.resolve(path.dirname(file), match[1] ?? "");
      if (existsSync(target) && statSync(target).isFile()) pending.push(target);
    }
  }
  return seen;
}

const bytes = (files: Iterable<string>): number =>
  [...files].reduce((sum, f) => sum + statSync(f).size, 0);
const mb = (n: number): string => `${(n / 1e6).toFixed(2)} MB`;

/** Wall time of one process from spawn to exit, in ms. */
function timeProcess(
  args: string[],
  env: NodeJS.ProcessEnv,
  cwd: string,
): Promise<{ ms: number; code: number | null }> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { env, cwd, stdio: "ignore" });
    child.on("error", reject);
    child.on("exit", (code) =>
      resolve({ ms: Number(process.hrtime.bigint() - started) / 1e6, code }),
    );
  });
}

/** A fresh runner environment without inputs: the file commands exist, nothing else. */
function runnerEnv(dir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? "",
    RUNNER_TEMP: dir,
    GITHUB_WORKSPACE: dir,
  };
  for (const key of [
    "GITHUB_OUTPUT",
    "GITHUB_ENV",
    "GITHUB_STATE",
    "GITHUB_STEP_SUMMARY",
    "GITHUB_PATH",
  ]) {
    const file = path.join(dir, key.toLowerCase());
    writeFileSync(file, "");
    env[key] = file;
  }
  return env;
}

const median = (values: number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
};

interface Tree {
  /** "" for the repository itself, "baseline " for --baseline */
  label: string;
  root: string;
  entries: Entry[];
}

function describeTree(tree: Tree): void {
  const onDisk = new Set<string>();
  for (const e of tree.entries) for (const f of importClosure(e.file, true)) onDisk.add(f);
  const actionFiles = new Set<string>();
  for (const e of tree.entries.filter((x) => x.args.length === 0))
    for (const f of importClosure(e.file, true)) actionFiles.add(f);
  console.log(
    `${tree.label || "this tree "}(${tree.root}): bundles on disk ${mb(bytes(onDisk))} in ${onDisk.size} files (actions alone ${mb(bytes(actionFiles))})`,
  );
}

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      runs: { type: "string", default: "21" },
      "gate-runs": { type: "string", default: "1" },
      "no-gate": { type: "boolean", default: false },
      // another checkout with its own built bundles (e.g. `git archive <commit>` + node_modules),
      // measured in the same interleaved rounds, so before/after come from one run
      baseline: { type: "string" },
    },
    allowPositionals: true,
  });
  const runs = Number(values.runs);
  const gateRuns = Number(values["gate-runs"]);
  console.log(machineLine());
  const trees: Tree[] = [{ label: "", root: repo, entries: bundleEntries(repo) }];
  if (values.baseline) {
    const root = path.resolve(values.baseline);
    trees.unshift({ label: "baseline ", root, entries: bundleEntries(root) });
  }
  for (const tree of trees) {
    const missing = tree.entries.filter((e) => !existsSync(e.file));
    if (missing.length)
      throw new Error(
        `not built: ${missing.map((e) => path.relative(tree.root, e.file)).join(", ")} in ${tree.root} — run npm run build`,
      );
    describeTree(tree);
  }

  const dir = mkdtempSync(path.join(os.tmpdir(), "pve-kube-cold-start-"));
  try {
    const env = runnerEnv(dir);
    const subjects = [
      { name: "node -e 0", args: ["-e", "0"], file: "" },
      ...trees.flatMap((t) =>
        t.entries.map((e) => ({
          name: `${t.label}${e.name}`,
          args: [e.file, ...e.args],
          file: e.file,
        })),
      ),
    ];
    const times = new Map<string, number[]>(subjects.map((s) => [s.name, []]));
    const codes = new Map<string, Set<number | null>>(subjects.map((s) => [s.name, new Set()]));
    // one warm-up round (page cache), then interleaved rounds: every subject once per round
    for (const s of subjects) await timeProcess(s.args, env, dir);
    for (let round = 0; round < runs; round++) {
      for (const s of subjects) {
        const { ms, code } = await timeProcess(s.args, env, dir);
        times.get(s.name)?.push(ms);
        codes.get(s.name)?.add(code);
      }
    }
    const baseline = median(times.get("node -e 0") ?? []);
    console.log(`cold start, median of ${runs} interleaved runs (exit codes in brackets):`);
    console.log(`  ${"node -e 0".padEnd(34)} ${baseline.toFixed(0).padStart(5)} ms   1.00x`);
    for (const s of subjects.slice(1)) {
      const m = median(times.get(s.name) ?? []);
      const loaded = bytes(importClosure(s.file, false));
      const exit = [...(codes.get(s.name) ?? [])].join(",");
      console.log(
        `  ${s.name.padEnd(34)} ${m.toFixed(0).padStart(5)} ms   ${(m / baseline).toFixed(2)}x   +${(m - baseline).toFixed(0)} ms over node   entry + static imports ${mb(loaded)} [exit ${exit}]`,
      );
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  if (!values["no-gate"]) {
    for (const tree of trees) {
      const gate: number[] = [];
      let code: number | null = 0;
      for (let i = 0; i < gateRuns; i++) {
        const script = path.join(tree.root, "scripts", "check-dist.mjs");
        const result = await timeProcess([script], process.env, tree.root);
        gate.push(result.ms);
        code = result.code;
      }
      console.log(
        `${tree.label}freshness gate (scripts/check-dist.mjs), median of ${gateRuns}: ${(median(gate) / 1000).toFixed(2)} s [exit ${code}]`,
      );
    }
  }
}
