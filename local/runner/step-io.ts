import type { RunLog } from "./log.js";
import type { Masker } from "./masker.js";
import type { Annotation } from "./types.js";
import { CommandProcessor } from "./workflow-commands.js";

/**
 * Handles the output lines of one step process: workflow commands (masks, groups, debug,
 * annotations, stop-commands) and plain output, which goes to the live log indented under the
 * step. Masks registered here apply at once to this and every later line, in every job.
 */
export class StepIo {
  private readonly commands = new CommandProcessor();
  private depth = 0;
  /** the last lines, for the failure message of a step */
  readonly tail: string[] = [];

  constructor(
    private readonly job: string,
    private readonly step: string,
    private readonly log: RunLog,
    private readonly masker: Masker,
    private readonly annotations: Annotation[],
  ) {}

  line = (line: string): void => {
    const event = this.commands.process(line);
    switch (event.kind) {
      case "output":
        this.log.output(this.job, event.text, this.depth);
        this.tail.push(this.masker.mask(event.text));
        if (this.tail.length > 20) this.tail.shift();
        return;
      case "mask":
        this.masker.add(event.value);
        return;
      case "group":
        this.log.group(this.job, event.title, this.depth);
        this.depth = 1;
        return;
      case "endgroup":
        this.depth = 0;
        return;
      case "debug":
        this.log.debug(this.job, event.text, this.depth);
        return;
      case "annotation": {
        const annotation = toAnnotation(
          event.level,
          event.message,
          event.properties,
          this.job,
          this.step,
        );
        this.annotations.push(annotation);
        this.log.annotation(this.job, annotation, this.depth);
        return;
      }
      case "echo":
      case "none":
        return;
    }
  };

  /** Annotations raised by the runner itself (failures, file-command problems). */
  annotate(level: Annotation["level"], message: string): void {
    const annotation: Annotation = { level, message, job: this.job, step: this.step };
    this.annotations.push(annotation);
    this.log.annotation(this.job, annotation, 0);
  }
}

function toNumber(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number.parseInt(value, 10);
  return Number.isNaN(n) ? undefined : n;
}

export function toAnnotation(
  level: Annotation["level"],
  message: string,
  properties: Record<string, string>,
  job: string,
  step: string,
): Annotation {
  const annotation: Annotation = { level, message, job, step };
  if (properties.title) annotation.title = properties.title;
  if (properties.file) annotation.file = properties.file;
  const line = toNumber(properties.line);
  if (line !== undefined) annotation.line = line;
  const col = toNumber(properties.col ?? properties.column);
  if (col !== undefined) annotation.col = col;
  const endLine = toNumber(properties.endLine);
  if (endLine !== undefined) annotation.endLine = endLine;
  const endColumn = toNumber(properties.endColumn);
  if (endColumn !== undefined) annotation.endColumn = endColumn;
  return annotation;
}
