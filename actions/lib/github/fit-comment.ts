/**
 * GitHub refuses a comment or issue body over 65536 characters (422 "body is too long"). The
 * body is cut at a line boundary to fit a budget below that limit, every code fence and
 * <details> still open at the cut is closed so the Markdown after it still renders, and a note
 * says how much was cut and where the full text is. Characters are counted as GitHub counts
 * them (UTF-16 code units, JavaScript's string length), never bytes.
 */
export const GITHUB_BODY_LIMIT = 65536;

export interface FitResult {
  body: string;
  truncated: boolean;
  /** lines of the original that were left out */
  omittedLines: number;
}

interface OpenBlocks {
  fence?: string;
  details: number;
}

/** The blocks still open after `line`, given those open before it. */
function step(open: OpenBlocks, line: string): OpenBlocks {
  const fence = /^\s{0,3}(`{3,}|~{3,})/.exec(line);
  if (open.fence) {
    const closes = fence && fence[1]!.startsWith(open.fence) && line.trim() === fence[1];
    return closes ? { details: open.details } : open;
  }
  if (fence) return { fence: fence[1]!, details: open.details };
  const opened = (line.match(/<details\b/gi) ?? []).length;
  const closed = (line.match(/<\/details>/gi) ?? []).length;
  return { details: Math.max(0, open.details + opened - closed) };
}

function closing(open: OpenBlocks): string[] {
  return [
    ...(open.fence ? [open.fence] : []),
    ...Array.from({ length: open.details }, () => "</details>"),
  ];
}

/**
 * Fits `body` into `limit` characters. `note(omitted)` is the line that explains the cut (it
 * should link to the job summary and the artifact with the full rendering).
 */
export function fitComment(
  body: string,
  note: (omittedLines: number) => string,
  limit = 60000,
): FitResult {
  if (body.length <= limit) return { body, truncated: false, omittedLines: 0 };
  const lines = body.split("\n");
  const tail = (open: OpenBlocks, kept: number) =>
    ["", ...closing(open), "", note(lines.length - kept)].join("\n");
  let kept = 0;
  let length = 0;
  let open: OpenBlocks = { details: 0 };
  while (kept < lines.length) {
    const line = lines[kept]!;
    const after = step(open, line);
    const next = length + line.length + 1;
    if (next + tail(after, kept + 1).length > limit) break;
    length = next;
    open = after;
    kept++;
  }
  const out = lines.slice(0, kept).join("\n") + tail(open, kept);
  return { body: out, truncated: true, omittedLines: lines.length - kept };
}
