import { randomUUID } from "node:crypto";
import { mkdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * File commands: a fresh GITHUB_OUTPUT / GITHUB_ENV / GITHUB_PATH / GITHUB_STATE /
 * GITHUB_STEP_SUMMARY file per step, read back after the step exits (FileCommandManager).
 */
export interface StepFiles {
  GITHUB_OUTPUT: string;
  GITHUB_ENV: string;
  GITHUB_PATH: string;
  GITHUB_STATE: string;
  GITHUB_STEP_SUMMARY: string;
}

export interface StepFileResults {
  outputs: Record<string, string>;
  env: Record<string, string>;
  path: string[];
  state: Record<string, string>;
  summary: string;
  /** problems with a file (bad format, oversized summary): reported as error annotations */
  problems: string[];
}

/** GitHub refuses step summaries above 1 MiB. */
export const SUMMARY_LIMIT_BYTES = 1024 * 1024;

export class FileCommandError extends Error {
  override name = "FileCommandError";
}

export function createStepFiles(dir: string): StepFiles {
  mkdirSync(dir, { recursive: true });
  const id = randomUUID();
  const file = (name: string) => {
    const p = path.join(dir, `${name}_${id}`);
    writeFileSync(p, "");
    return p;
  };
  return {
    GITHUB_OUTPUT: file("set_output"),
    GITHUB_ENV: file("set_env"),
    GITHUB_PATH: file("add_path"),
    GITHUB_STATE: file("save_state"),
    GITHUB_STEP_SUMMARY: file("step_summary"),
  };
}

/** Parses `name=value` lines and `name<<DELIMITER` heredocs, whichever comes first on the line. */
export function parseKeyValueFile(content: string): Record<string, string> {
  const result: Record<string, string> = {};
  const lines = content.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? "";
    if (line === "") continue;
    const equals = line.indexOf("=");
    const heredoc = line.indexOf("<<");
    if (equals >= 0 && (heredoc < 0 || equals < heredoc)) {
      const key = line.slice(0, equals);
      if (key === "") throw new FileCommandError(`line ${i + 1}: empty name before '='`);
      result[key] = line.slice(equals + 1);
    } else if (heredoc >= 0) {
      const key = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      if (key === "" || delimiter === "")
        throw new FileCommandError(
          `line ${i + 1}: heredoc needs a name and a delimiter ('name<<EOF')`,
        );
      const value: string[] = [];
      let closed = false;
      for (i++; i < lines.length; i++) {
        const next = lines[i] ?? "";
        if (next === delimiter) {
          closed = true;
          break;
        }
        value.push(next);
      }
      if (!closed)
        throw new FileCommandError(`matching delimiter '${delimiter}' not found for '${key}'`);
      result[key] = value.join("\n");
    } else {
      throw new FileCommandError(
        `line ${i + 1}: expected 'name=value' or 'name<<DELIMITER', got '${line.slice(0, 40)}'`,
      );
    }
  }
  return result;
}

function readKeyValue(file: string, label: string, problems: string[]): Record<string, string> {
  try {
    return parseKeyValueFile(readFileSync(file, "utf8"));
  } catch (error) {
    if (error instanceof FileCommandError) {
      problems.push(`${label}: ${error.message}`);
      return {};
    }
    throw error;
  }
}

/** Variables a step may not set through GITHUB_ENV (the runner blocks these too). */
export const BLOCKED_ENV = new Set(["NODE_OPTIONS"]);

export function readStepFiles(files: StepFiles): StepFileResults {
  const problems: string[] = [];
  const env = readKeyValue(files.GITHUB_ENV, "GITHUB_ENV", problems);
  for (const name of Object.keys(env)) {
    if (BLOCKED_ENV.has(name.toUpperCase())) {
      problems.push(`GITHUB_ENV: setting ${name} is not allowed (blocked by the runner)`);
      delete env[name];
    }
  }
  let summary = "";
  const summarySize = statSync(files.GITHUB_STEP_SUMMARY).size;
  if (summarySize > SUMMARY_LIMIT_BYTES) {
    problems.push(
      `GITHUB_STEP_SUMMARY: ${summarySize} bytes is over the 1 MiB limit; the summary was dropped`,
    );
  } else {
    summary = readFileSync(files.GITHUB_STEP_SUMMARY, "utf8");
  }
  return {
    outputs: readKeyValue(files.GITHUB_OUTPUT, "GITHUB_OUTPUT", problems),
    env,
    path: readFileSync(files.GITHUB_PATH, "utf8")
      .split(/\r?\n/)
      .map((p) => p.trim())
      .filter((p) => p !== ""),
    state: readKeyValue(files.GITHUB_STATE, "GITHUB_STATE", problems),
    summary,
    problems,
  };
}
