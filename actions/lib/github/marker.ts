/**
 * The hidden, machine-readable first line of every comment and issue pve-kube writes:
 * `<!-- pve-kube {"v":1,"kind":"plan","cluster":"prod","environment":"production",...} -->`.
 * It is how the same comment is found again (together with the author's login), whatever the
 * visible text says; `v` lets later releases still recognise older comments.
 */
export interface Marker {
  v: 1;
  kind: "plan" | "drift" | "destroy";
  cluster: string;
  environment: string;
  [key: string]: unknown;
}

const PREFIX = "<!-- pve-kube ";

export function renderMarker(marker: Marker): string {
  // "--" would end the HTML comment early; JSON never needs it unescaped
  return `${PREFIX}${JSON.stringify(marker).replace(/--/g, "\\u002d\\u002d")} -->`;
}

export function parseMarker(body: string | null | undefined): Marker | undefined {
  if (!body?.startsWith(PREFIX)) return undefined;
  const end = body.indexOf(" -->");
  if (end < 0) return undefined;
  try {
    const value = JSON.parse(body.slice(PREFIX.length, end)) as Partial<Marker>;
    if (value.v !== 1 || typeof value.kind !== "string" || typeof value.cluster !== "string")
      return undefined;
    return value as Marker;
  } catch {
    return undefined;
  }
}

/** Same comment or issue: same kind, cluster and environment. */
export function sameSubject(a: Marker, b: Marker): boolean {
  return a.kind === b.kind && a.cluster === b.cluster && a.environment === b.environment;
}
