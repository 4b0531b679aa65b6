/** Plain-text tables with aligned columns, for terminal output (the CLI's `plan`). */

export interface TextTableOptions {
  /** indentation in front of every row */
  indent?: string;
  /** column indexes whose values are right-aligned (numbers read better that way) */
  alignRight?: readonly number[];
}

export function textTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  options: TextTableOptions = {},
): string {
  const indent = options.indent ?? "";
  const right = new Set(options.alignRight ?? []);
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? "").length)),
  );
  const line = (cells: readonly string[]) =>
    indent +
    widths
      .map((width, i) => {
        const value = cells[i] ?? "";
        return right.has(i) ? value.padStart(width) : value.padEnd(width);
      })
      .join("  ")
      .trimEnd();
  return [line(headers), ...rows.map(line)].join("\n");
}

/** `label  value` lines with the labels padded to one width. */
export function keyValueLines(
  entries: readonly (readonly [string, string])[],
  indent = "  ",
): string {
  const width = Math.max(0, ...entries.map(([key]) => key.length));
  return entries
    .map(([key, value]) => `${indent}${key.padEnd(width)}  ${value}`.trimEnd())
    .join("\n");
}
