/**
 * Parses the body of an Azure "Put Block List" request:
 * `<BlockList><Latest>id</Latest><Uncommitted>id</Uncommitted>…</BlockList>`. Order matters: the
 * blob is the blocks concatenated in exactly this order, whatever order they arrived in.
 */
export type BlockListKind = "Latest" | "Uncommitted" | "Committed";

export interface BlockListEntry {
  kind: BlockListKind;
  id: string;
}

const XML_ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decodeXmlText(text: string): string {
  return text.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, entity: string) => {
    if (entity.startsWith("#x")) return String.fromCodePoint(Number.parseInt(entity.slice(2), 16));
    if (entity.startsWith("#")) return String.fromCodePoint(Number.parseInt(entity.slice(1), 10));
    return XML_ENTITIES[entity] ?? whole;
  });
}

export class BlockListError extends Error {
  override name = "BlockListError";
}

export function parseBlockList(xml: string): BlockListEntry[] {
  const body = /<BlockList\s*>([\s\S]*)<\/BlockList\s*>/.exec(xml)?.[1];
  if (body === undefined) {
    if (/<BlockList\s*\/>/.test(xml)) return [];
    throw new BlockListError("the request body is not a <BlockList> document");
  }
  const entries: BlockListEntry[] = [];
  const element = /<(Latest|Uncommitted|Committed)\s*>([^<]*)<\/\1\s*>|(<[^>]*>)|([^<\s]+)/g;
  for (const match of body.matchAll(element)) {
    const [, kind, id, stray, text] = match;
    if (kind !== undefined && id !== undefined) {
      const decoded = decodeXmlText(id.trim());
      if (decoded === "") throw new BlockListError(`an empty <${kind}> block id`);
      entries.push({ kind: kind as BlockListKind, id: decoded });
    } else {
      throw new BlockListError(`unexpected ${stray ?? `text '${text ?? ""}'`} in <BlockList>`);
    }
  }
  return entries;
}

/** The XML the Azure SDK would send; used by tests that speak the wire protocol directly. */
export function renderBlockList(ids: string[]): string {
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?><BlockList>${ids.map((id) => `<Latest>${id}</Latest>`).join("")}</BlockList>`;
}
