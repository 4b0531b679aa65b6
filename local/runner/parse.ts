import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  NoOperationTraceWriter,
  convertWorkflowTemplate,
  isString,
  parseWorkflow,
} from "@actions/workflow-parser";
import type { WorkflowTemplate } from "@actions/workflow-parser/model/workflow-template";
import type { MappingToken } from "@actions/workflow-parser/templates/tokens/mapping-token";
import type { TemplateToken } from "@actions/workflow-parser/templates/tokens/template-token";
import type { FileReference } from "@actions/workflow-parser/workflows/file-reference";
import { ConfigurationError, ConfigurationErrors } from "../../actions/lib/errors.js";
import { SUPPORTED_WORKFLOW_USES, classifyWorkflowUses } from "./refs.js";
import { findKey, rawJobs } from "./tokens.js";

/**
 * Loads a workflow file with @actions/workflow-parser: schema validation and the converted model
 * (jobs, needs, if conditions, reusable workflow calls checked against the callee's
 * `on.workflow_call`). Every problem is reported as `file:line:col: message`.
 */
export interface LoadedWorkflow {
  /** absolute path */
  file: string;
  /** path relative to the checkout, used in messages */
  display: string;
  name: string;
  template: WorkflowTemplate;
  root: TemplateToken;
  jobs: Map<string, MappingToken>;
}

export interface LoadOptions {
  /** the checkout that `./` and `<owner>/pve-kube/...@ref` references resolve in */
  checkout: string;
}

const PREFIX = /^(.*?) \(Line: (\d+), Col: (\d+)\)$/;

function displayPath(file: string, checkout: string): string {
  const relative = path.relative(checkout, file);
  return relative.startsWith("..") ? file : relative;
}

function toConfigurationErrors(
  errors: readonly {
    rawMessage: string;
    prefix: string | undefined;
    range: { start: { line: number; column: number } } | undefined;
  }[],
  fallbackFile: string,
): ConfigurationErrors {
  return new ConfigurationErrors(
    errors.map((e) => {
      const prefix = e.prefix ? PREFIX.exec(e.prefix) : null;
      const file = prefix?.[1] ?? e.prefix ?? fallbackFile;
      const line = e.range?.start.line ?? Number(prefix?.[2] ?? 1);
      const col = e.range?.start.column ?? Number(prefix?.[3] ?? 1);
      return new ConfigurationError(e.rawMessage.trim(), undefined, { file, line, col });
    }),
  );
}

/** Reusable-workflow references that cannot run here, reported before the parser's vaguer message. */
function checkWorkflowRefs(
  root: TemplateToken,
  display: string,
  checkout: string,
): ConfigurationError[] {
  const problems: ConfigurationError[] = [];
  for (const [id, job] of rawJobs(root)) {
    const uses = findKey(job, "uses");
    if (!uses || !isString(uses)) continue;
    const location = {
      file: display,
      line: uses.line ?? 1,
      col: uses.col ?? 1,
      path: `jobs.${id}.uses`,
    };
    const target = classifyWorkflowUses(uses.value, checkout);
    if (target.kind === "unsupported") {
      problems.push(
        new ConfigurationError(
          `reusable workflow '${uses.value}' cannot run locally: ${target.reason}`,
          `use ${SUPPORTED_WORKFLOW_USES}`,
          location,
        ),
      );
    } else if (!existsSync(target.file)) {
      problems.push(
        new ConfigurationError(
          `reusable workflow '${uses.value}' not found at ${displayPath(target.file, checkout)}`,
          "check the path",
          location,
        ),
      );
    }
  }
  return problems;
}

export async function loadWorkflow(file: string, options: LoadOptions): Promise<LoadedWorkflow> {
  const absolute = path.resolve(options.checkout, file);
  const display = displayPath(absolute, options.checkout);
  let content: string;
  try {
    content = readFileSync(absolute, "utf8");
  } catch {
    throw new ConfigurationError(
      `workflow file ${display} cannot be read`,
      "check the path (relative to the current directory)",
    );
  }
  const parsed = parseWorkflow({ name: display, content }, new NoOperationTraceWriter());
  const root = parsed.value;
  if (parsed.context.errors.count > 0 || !root)
    throw toConfigurationErrors(parsed.context.errors.getErrors(), display);

  const refProblems = checkWorkflowRefs(root, display, options.checkout);
  if (refProblems.length > 0) throw new ConfigurationErrors(refProblems);

  const fileProvider = {
    getFileContent(ref: FileReference) {
      const uses =
        "repository" in ref
          ? `${ref.owner}/${ref.repository}/${ref.path}@${ref.version}`
          : `./${ref.path}`;
      const target = classifyWorkflowUses(uses, options.checkout);
      if (target.kind === "unsupported") return Promise.reject(new Error(target.reason));
      return Promise.resolve({
        name: displayPath(target.file, options.checkout),
        content: readFileSync(target.file, "utf8"),
      });
    },
  };
  const template = await convertWorkflowTemplate(parsed.context, root, fileProvider, {
    fetchReusableWorkflowDepth: 1,
  });
  if (parsed.context.errors.count > 0)
    throw toConfigurationErrors(parsed.context.errors.getErrors(), display);

  const nameToken = findKey(root, "name");
  return {
    file: absolute,
    display,
    name: nameToken && isString(nameToken) ? nameToken.value : display,
    template,
    root,
    jobs: rawJobs(root),
  };
}

/** The checkout a workflow belongs to: the folder above its `.github/workflows/`, else `fallback`. */
export function checkoutOf(workflowFile: string, fallback: string): string {
  const dir = path.dirname(path.resolve(fallback, workflowFile));
  if (path.basename(dir) === "workflows" && path.basename(path.dirname(dir)) === ".github")
    return path.dirname(path.dirname(dir));
  return fallback;
}

/** Caches loaded workflows for a run (a reusable workflow may be called by several jobs). */
export class WorkflowCache {
  private readonly loaded = new Map<string, Promise<LoadedWorkflow>>();
  constructor(private readonly options: LoadOptions) {}

  load(file: string): Promise<LoadedWorkflow> {
    const key = path.resolve(this.options.checkout, file);
    let entry = this.loaded.get(key);
    if (!entry) {
      entry = loadWorkflow(key, this.options);
      this.loaded.set(key, entry);
    }
    return entry;
  }
}
