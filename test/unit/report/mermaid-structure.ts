/**
 * A small structural reader for the flowcharts topologyMermaid writes: which boxes exist, which
 * subgraph holds them, which edges connect them. It checks what a mermaid parser would reject
 * (unbalanced subgraphs, edges to undefined ids, raw quotes inside labels, reused ids) so the
 * tests can assert the picture rather than the text.
 */
export interface MermaidGraph {
  direction: string;
  boxes: Map<string, { label: string; subgraph?: string }>;
  subgraphs: Map<string, string>;
  edges: { from: string; to: string; style: "solid" | "dotted" }[];
  classes: Map<string, string[]>;
}

const BOX = /^([A-Za-z][A-Za-z0-9_]*)(\["|\(\["|\{\{")(.*?)("\]|"\]\)|"\}\})$/;
const SUBGRAPH = /^subgraph ([A-Za-z][A-Za-z0-9_]*)\["(.*)"\]$/;
const EDGE = /^([A-Za-z][A-Za-z0-9_]*) (-->|-\.->) ([A-Za-z][A-Za-z0-9_]*)$/;
const CLASS = /^class ([A-Za-z0-9_,]+) ([A-Za-z]+)$/;

export function readMermaid(source: string): MermaidGraph {
  const [header, ...lines] = source.split("\n").map((l) => l.trim());
  const direction = /^flowchart (TB|LR)$/.exec(header ?? "")?.[1];
  if (!direction) throw new Error(`not a flowchart header: ${header}`);
  const graph: MermaidGraph = {
    direction,
    boxes: new Map(),
    subgraphs: new Map(),
    edges: [],
    classes: new Map(),
  };
  const ids = new Set<string>();
  const claim = (id: string) => {
    if (ids.has(id)) throw new Error(`id used twice: ${id}`);
    ids.add(id);
  };
  let open: string | undefined;
  for (const line of lines) {
    if (line === "" || line === "direction TB" || line.startsWith("classDef ")) continue;
    let m: RegExpExecArray | null;
    if ((m = SUBGRAPH.exec(line))) {
      if (open) throw new Error(`nested subgraph ${m[1]} inside ${open}`);
      claim(m[1] ?? "");
      graph.subgraphs.set(m[1] ?? "", checkLabel(m[2] ?? ""));
      open = m[1];
    } else if (line === "end") {
      if (!open) throw new Error("'end' without subgraph");
      open = undefined;
    } else if ((m = EDGE.exec(line))) {
      for (const id of [m[1], m[3]])
        if (!ids.has(id ?? "")) throw new Error(`edge to undefined id ${id}`);
      graph.edges.push({
        from: m[1] ?? "",
        to: m[3] ?? "",
        style: m[2] === "-->" ? "solid" : "dotted",
      });
    } else if ((m = CLASS.exec(line))) {
      const members = (m[1] ?? "").split(",");
      for (const id of members) if (!ids.has(id)) throw new Error(`class on undefined id ${id}`);
      graph.classes.set(m[2] ?? "", members);
    } else if ((m = BOX.exec(line))) {
      claim(m[1] ?? "");
      graph.boxes.set(m[1] ?? "", {
        label: checkLabel(m[3] ?? ""),
        ...(open ? { subgraph: open } : {}),
      });
    } else {
      throw new Error(`unexpected mermaid line: ${line}`);
    }
  }
  if (open) throw new Error(`subgraph ${open} is not closed`);
  return graph;
}

function checkLabel(label: string): string {
  if (/["<>]/.test(label.replace(/<br\/>/g, "")))
    throw new Error(`raw quote or markup in label: ${label}`);
  return label;
}
