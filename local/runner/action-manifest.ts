import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { ConfigurationError } from "../../actions/lib/errors.js";

/**
 * The parts of an action.yml the runner needs: inputs (defaults, required), and how it runs.
 * Only JavaScript actions run locally; composite and docker actions get a clear error.
 */
export interface ActionInput {
  default?: string;
  required: boolean;
}

export interface ActionManifest {
  dir: string;
  file: string;
  name: string;
  inputs: Record<string, ActionInput>;
  using: string;
  main: string;
  post?: string;
  postIf: string;
}

export const NODE_RUNTIMES = new Set(["node12", "node16", "node20", "node24"]);

export function loadActionManifest(dir: string, display: string): ActionManifest {
  const file = ["action.yml", "action.yaml"]
    .map((f) => path.join(dir, f))
    .find((f) => existsSync(f));
  if (!file)
    throw new ConfigurationError(
      `action '${display}' has no action.yml in ${dir}`,
      "check the path in uses:",
    );
  const doc = parse(readFileSync(file, "utf8")) as Record<string, unknown> | null;
  const runs = (doc?.runs ?? {}) as Record<string, unknown>;
  const using = typeof runs.using === "string" ? runs.using : "";
  if (!NODE_RUNTIMES.has(using)) {
    throw new ConfigurationError(
      `action '${display}' uses runs.using '${using || "(none)"}', which the local runner does not run`,
      "only JavaScript actions (runs.using: node20/node24) run locally",
    );
  }
  if (typeof runs.main !== "string")
    throw new ConfigurationError(`action '${display}' has no runs.main in ${file}`);
  if (runs.pre !== undefined)
    throw new ConfigurationError(
      `action '${display}' has a runs.pre entry point, which the local runner does not support`,
    );
  const inputs: Record<string, ActionInput> = {};
  for (const [name, spec] of Object.entries(
    (doc?.inputs ?? {}) as Record<string, Record<string, unknown> | null>,
  )) {
    const value = spec?.default;
    inputs[name] = {
      default:
        typeof value === "string"
          ? value
          : typeof value === "number" || typeof value === "boolean"
            ? String(value)
            : undefined,
      required: spec?.required === true || spec?.required === "true",
    };
  }
  const main = path.join(dir, runs.main);
  if (!existsSync(main)) {
    throw new ConfigurationError(
      `action '${display}' is not built: ${path.relative(process.cwd(), main) || main} does not exist`,
      "run `npm run build` first",
    );
  }
  return {
    dir,
    file,
    name: typeof doc?.name === "string" ? doc.name : display,
    inputs,
    using,
    main,
    post: typeof runs.post === "string" ? path.join(dir, runs.post) : undefined,
    postIf: typeof runs["post-if"] === "string" ? runs["post-if"] : "always()",
  };
}

/** `INPUT_<NAME>`: spaces become underscores, upper-cased, hyphens kept (Handler.cs). */
export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, "_").toUpperCase()}`;
}
