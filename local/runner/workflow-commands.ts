/**
 * Stdout workflow commands (`::name key=value,...::data`), parsed the way the Actions runner does
 * (ActionCommandManager): data is unescaped from %25/%0D/%0A, properties additionally from %3A/%2C.
 */
export interface WorkflowCommand {
  name: string;
  properties: Record<string, string>;
  data: string;
}

const COMMAND_LINE = /^::([A-Za-z][\w-]*)(?:\s+([^:]*?))?\s*::(.*)$/s;

export function unescapeData(value: string): string {
  return value.replace(/%0D/gi, "\r").replace(/%0A/gi, "\n").replace(/%25/g, "%");
}

export function unescapeProperty(value: string): string {
  return value
    .replace(/%0D/gi, "\r")
    .replace(/%0A/gi, "\n")
    .replace(/%3A/gi, ":")
    .replace(/%2C/gi, ",")
    .replace(/%25/g, "%");
}

/** Returns the command a line carries, or undefined for ordinary output. */
export function parseWorkflowCommand(line: string): WorkflowCommand | undefined {
  const match = COMMAND_LINE.exec(line.trimStart());
  if (!match) return undefined;
  const [, name = "", props = "", data = ""] = match;
  const properties: Record<string, string> = {};
  for (const part of props.split(",")) {
    const eq = part.indexOf("=");
    if (eq <= 0) continue;
    properties[part.slice(0, eq).trim()] = unescapeProperty(part.slice(eq + 1));
  }
  return { name: name.toLowerCase(), properties, data: unescapeData(data) };
}

export type AnnotationLevel = "error" | "warning" | "notice";

export type CommandEvent =
  | { kind: "output"; text: string }
  | { kind: "mask"; value: string }
  | { kind: "group"; title: string }
  | { kind: "endgroup" }
  | { kind: "debug"; text: string }
  | {
      kind: "annotation";
      level: AnnotationLevel;
      message: string;
      properties: Record<string, string>;
    }
  | { kind: "echo"; on: boolean }
  /** a command line that produces nothing visible (stop-commands and its resume token) */
  | { kind: "none" };

/**
 * Turns one process's output lines into events. Stateful because of `::stop-commands::<token>`,
 * after which every line is plain output until `::<token>::`.
 */
export class CommandProcessor {
  private stopToken: string | undefined;

  process(line: string): CommandEvent {
    if (this.stopToken !== undefined) {
      if (line.trim() === `::${this.stopToken}::`) {
        this.stopToken = undefined;
        return { kind: "none" };
      }
      return { kind: "output", text: line };
    }
    const command = parseWorkflowCommand(line);
    if (!command) return { kind: "output", text: line };
    switch (command.name) {
      case "add-mask":
        return { kind: "mask", value: command.data };
      case "group":
        return { kind: "group", title: command.data };
      case "endgroup":
        return { kind: "endgroup" };
      case "debug":
        return { kind: "debug", text: command.data };
      case "error":
      case "warning":
      case "notice":
        return {
          kind: "annotation",
          level: command.name,
          message: command.data,
          properties: command.properties,
        };
      case "stop-commands":
        this.stopToken = command.data;
        return { kind: "none" };
      case "echo":
        return { kind: "echo", on: command.data.trim().toLowerCase() === "on" };
      default:
        // unknown (or retired, like set-output) commands are printed as they are, as GitHub does
        return { kind: "output", text: line };
    }
  }
}
