import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import ts from "typescript";
import { repoRoot } from "./repo.js";

/** One import of a source file, resolved when it is relative. */
export interface ImportEdge {
  /** repo-relative path of the importing file */
  from: string;
  /** the specifier as written */
  specifier: string;
  /** repo-relative path of the imported file, for relative specifiers */
  to?: string;
  /** true when the import brings only types (erased at build time, no load-order effect) */
  typeOnly: boolean;
}

const SOURCE = /\.(ts|mts|mjs|js)$/;

/** Every TypeScript/JavaScript source under the given top-level folders, repo-relative. */
export function sourceFiles(folders: readonly string[]): string[] {
  return folders.flatMap((folder) =>
    readdirSync(path.join(repoRoot, folder), { recursive: true, encoding: "utf8" })
      .map((f) => path.posix.join(folder, f.split(path.sep).join("/")))
      .filter(
        (f) =>
          SOURCE.test(f) && !f.endsWith(".d.ts") && !/(^|\/)(dist|node_modules|fixtures)\//.test(f),
      ),
  );
}

function isTypeOnlyImport(node: ts.ImportDeclaration): boolean {
  const clause = node.importClause;
  if (!clause) return false; // `import "x"` runs x
  if (clause.isTypeOnly) return true;
  if (clause.name) return false; // default import
  const bindings = clause.namedBindings;
  if (!bindings || ts.isNamespaceImport(bindings)) return false;
  return bindings.elements.length > 0 && bindings.elements.every((e) => e.isTypeOnly);
}

function isTypeOnlyExport(node: ts.ExportDeclaration): boolean {
  if (node.isTypeOnly) return true;
  const clause = node.exportClause;
  return (
    !!clause &&
    ts.isNamedExports(clause) &&
    clause.elements.length > 0 &&
    clause.elements.every((e) => e.isTypeOnly)
  );
}

/** The file a relative specifier names (`./x.js` is `./x.ts` in the sources). */
function resolveRelative(from: string, specifier: string): string {
  const joined = path.posix.normalize(path.posix.join(path.posix.dirname(from), specifier));
  const candidates = [joined, joined.replace(/\.js$/, ".ts"), `${joined}.ts`, `${joined}/index.ts`];
  for (const candidate of candidates) {
    try {
      readFileSync(path.join(repoRoot, candidate));
      return candidate;
    } catch {
      // try the next spelling
    }
  }
  return joined;
}

/** The static imports, re-exports and literal dynamic imports of one file. */
export function importsOf(file: string): ImportEdge[] {
  const text = readFileSync(path.join(repoRoot, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false);
  const edges: ImportEdge[] = [];
  const add = (specifier: string, typeOnly: boolean) =>
    edges.push({
      from: file,
      specifier,
      typeOnly,
      ...(specifier.startsWith(".") ? { to: resolveRelative(file, specifier) } : {}),
    });
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      add(node.moduleSpecifier.text, isTypeOnlyImport(node));
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      add(node.moduleSpecifier.text, isTypeOnlyExport(node));
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      add(node.arguments[0].text, false);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg) && ts.isStringLiteral(arg.literal)) add(arg.literal.text, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return edges;
}

/** Every cycle of the graph (one per strongly connected component with more than one file). */
export function cycles(edges: readonly ImportEdge[]): string[][] {
  const graph = new Map<string, Set<string>>();
  for (const e of edges) {
    if (!e.to) continue;
    if (!graph.has(e.from)) graph.set(e.from, new Set());
    graph.get(e.from)!.add(e.to);
  }
  // Tarjan's strongly connected components
  let index = 0;
  const indices = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (v: string): void => {
    indices.set(v, index);
    low.set(v, index);
    index++;
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!indices.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) {
        low.set(v, Math.min(low.get(v)!, indices.get(w)!));
      }
    }
    if (low.get(v) === indices.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || graph.get(v)?.has(v)) components.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!indices.has(v)) connect(v);
  return components;
}
