import { describe, expect, test } from "vitest";
import { cycles, importsOf, sourceFiles, type ImportEdge } from "../../helpers/imports.js";

// The layering of docs/architecture.md, enforced: a rule broken here is a design decision to
// make on purpose (and to write down there), not an import that slipped in.
const FOLDERS = ["actions", "sim", "cli", "local", "bench", "testkit", "test", "scripts"];
const edges = sourceFiles(FOLDERS).flatMap(importsOf);
const relative = edges.filter((e): e is ImportEdge & { to: string } => e.to !== undefined);

const under = (file: string, folder: string) => file.startsWith(`${folder}/`);
/** the action a file belongs to (actions/<name>/…), undefined for actions/lib and elsewhere */
const actionOf = (file: string) =>
  under(file, "actions") && !under(file, "actions/lib") ? file.split("/")[1] : undefined;
const show = (list: readonly ImportEdge[]) => list.map((e) => `${e.from} → ${e.specifier}`);

describe("import boundaries", () => {
  test("the walk sees the whole tree", () => {
    expect(relative.length).toBeGreaterThan(500);
    expect(relative.some((e) => under(e.from, "sim"))).toBe(true);
  });

  test("sim/ imports nothing of the repository outside sim/ (pve-sim stands alone)", () => {
    expect(show(relative.filter((e) => under(e.from, "sim") && !under(e.to, "sim")))).toEqual([]);
  });

  test("actions/ never imports sim/, local/ or cli/ (what runs on a runner carries no test double)", () => {
    const outside = relative.filter(
      (e) =>
        under(e.from, "actions") && ["sim", "local", "cli"].some((folder) => under(e.to, folder)),
    );
    expect(show(outside)).toEqual([]);
  });

  test("actions/lib never imports an action", () => {
    expect(
      show(relative.filter((e) => under(e.from, "actions/lib") && actionOf(e.to) !== undefined)),
    ).toEqual([]);
  });

  test("an action never imports another action (what they share belongs in actions/lib)", () => {
    const crossing = relative.filter((e) => {
      const from = actionOf(e.from);
      const to = actionOf(e.to);
      return from !== undefined && to !== undefined && from !== to;
    });
    expect(show(crossing)).toEqual([]);
  });

  test("bench/ never imports test/ (what both need lives in testkit/)", () => {
    expect(show(relative.filter((e) => under(e.from, "bench") && under(e.to, "test")))).toEqual([]);
  });

  test("testkit/ never imports test/ either (bench/ would reach test/ through it)", () => {
    expect(show(relative.filter((e) => under(e.from, "testkit") && under(e.to, "test")))).toEqual(
      [],
    );
  });

  test("no value-import cycle (module load order stays well defined)", () => {
    expect(cycles(relative.filter((e) => !e.typeOnly)).map((c) => c.join(" ⇄ "))).toEqual([]);
  });

  test("no type-import cycle either (shared types live in their own module)", () => {
    expect(
      cycles(relative).map((c) => c.join(" ⇄ ")),
      "a type one module imports from its importer: give the shared types a module of their own (as local/runner/job-types.ts)",
    ).toEqual([]);
  });
});

describe("the import walk itself", () => {
  test("tells type-only imports from value imports and resolves .js to the .ts source", () => {
    const runner = relative.filter((e) => e.from === "local/runner/job-runner.ts");
    expect(runner).toContainEqual(
      expect.objectContaining({ to: "local/runner/job-types.ts", typeOnly: true }),
    );
    expect(runner).toContainEqual(
      expect.objectContaining({ to: "local/runner/step-runner.ts", typeOnly: false }),
    );
  });

  test("finds a cycle when there is one", () => {
    const edge = (from: string, to: string): ImportEdge => ({
      from,
      to,
      specifier: to,
      typeOnly: false,
    });
    expect(cycles([edge("a", "b"), edge("b", "c"), edge("c", "a"), edge("c", "d")])).toEqual([
      ["a", "b", "c"],
    ]);
  });
});
