import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Document } from "yaml";
import { ConfigurationError, type SourceLocation } from "../errors.js";

export type FieldPath = readonly (string | number)[];

/** A parsed YAML document that remembers where every key and value stands in the file. */
export interface YamlSource {
  file: string;
  document: Document.Parsed;
  lineCounter: LineCounter;
  data: unknown;
  syntaxErrors: ConfigurationError[];
}

export function parseYamlSource(text: string, file: string): YamlSource {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const syntaxErrors = [...document.errors, ...document.warnings].map((error) => {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    const message = error.message.split("\n")[0] ?? error.message;
    return new ConfigurationError(
      `YAML ${error.code === "DUPLICATE_KEY" ? "duplicate key" : "syntax error"}: ${message}`,
      "fix the YAML syntax at this position",
      {
        file,
        line,
        col,
      },
    );
  });
  return {
    file,
    document,
    lineCounter,
    data: syntaxErrors.length ? undefined : document.toJS(),
    syntaxErrors,
  };
}

export function formatPath(path: FieldPath): string {
  return path.reduce<string>(
    (text, segment) =>
      typeof segment === "number" ? `${text}[${segment}]` : text ? `${text}.${segment}` : segment,
    "",
  );
}

/**
 * Where a field stands: its key (for unknown or misplaced keys), or its value (for wrong values).
 * A field that does not exist is reported at the deepest key that does, i.e. the mapping it is
 * missing from.
 */
export function locate(
  source: YamlSource,
  path: FieldPath,
  target: "key" | "value" = "value",
): SourceLocation {
  let node: unknown = source.document.contents;
  let offset = rangeStart(node) ?? 0;
  for (let i = 0; i < path.length; i++) {
    const segment = path[i];
    const last = i === path.length - 1;
    if (isMap(node)) {
      const pair = node.items.find(
        (item) => isScalar(item.key) && String(item.key.value) === String(segment),
      );
      if (!pair) break;
      const keyStart = rangeStart(pair.key);
      if (last && target === "key" && keyStart !== undefined) {
        offset = keyStart;
        break;
      }
      node = pair.value;
      offset = (last ? rangeStart(pair.value) : undefined) ?? keyStart ?? offset;
    } else if (isSeq(node) && typeof segment === "number") {
      const item = node.items[segment];
      if (item === undefined) break;
      node = item;
      offset = rangeStart(item) ?? offset;
    } else {
      break;
    }
  }
  const { line, col } = source.lineCounter.linePos(offset);
  return { file: source.file, line, col, path: formatPath(path) || "(document)" };
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as { range?: [number, number, number] } | null | undefined)?.range;
  return range?.[0];
}
