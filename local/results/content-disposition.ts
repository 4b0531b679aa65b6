/**
 * `Content-Disposition` for a blob download. @actions/artifact names a non-zip download after
 * `filename*` (RFC 5987), then `filename`, and falls back to a file called `artifact`, so a
 * `skipArchive` artifact keeps its name only if this header is right.
 */
export function contentDisposition(fileName: string): string {
  // the plain parameter is for old clients: printable ASCII only, no quotes or backslashes
  // (the toolkit's regex for it stops at quotes)
  const ascii = fileName.replace(/[^\x20-\x7e]|["'\\;]/g, "_");
  // RFC 5987 attr-char: encodeURIComponent leaves !'()* alone, which are not allowed there
  const extended = encodeURIComponent(fileName).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${extended}`;
}
