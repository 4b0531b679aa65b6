import { mkdtempSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it, test } from "vitest";
import {
  FileCommandError,
  createStepFiles,
  parseKeyValueFile,
  readStepFiles,
} from "../../../local/runner/file-commands.js";
import { MASK, Masker } from "../../../local/runner/masker.js";
import { CommandProcessor, parseWorkflowCommand } from "../../../local/runner/workflow-commands.js";

describe("workflow commands", () => {
  test.each([
    ["::add-mask::s3cr3t", { name: "add-mask", properties: {}, data: "s3cr3t" }],
    [
      "::warning file=a.yml,line=3,col=5,title=T%3A x::msg%0Atwo",
      {
        name: "warning",
        properties: { file: "a.yml", line: "3", col: "5", title: "T: x" },
        data: "msg\ntwo",
      },
    ],
    ["  ::group::Build %25 done", { name: "group", properties: {}, data: "Build % done" }],
    ["::endgroup::", { name: "endgroup", properties: {}, data: "" }],
    ["::error::a::b", { name: "error", properties: {}, data: "a::b" }],
  ])("parses %s", (line, expected) => {
    expect(parseWorkflowCommand(line)).toEqual(expected);
  });

  test.each(["plain output", ":: not a command", "::", "echo ::add-mask::x"])(
    "leaves %j as output",
    (line) => {
      expect(parseWorkflowCommand(line)).toBeUndefined();
    },
  );

  it("ignores commands between ::stop-commands::<token> and ::<token>::", () => {
    const processor = new CommandProcessor();
    expect(processor.process("::stop-commands::pause-1")).toEqual({ kind: "none" });
    expect(processor.process("::add-mask::not-a-mask")).toEqual({
      kind: "output",
      text: "::add-mask::not-a-mask",
    });
    expect(processor.process("::pause-1::")).toEqual({ kind: "none" });
    expect(processor.process("::add-mask::now")).toEqual({ kind: "mask", value: "now" });
  });

  it("prints retired and unknown commands as they are", () => {
    expect(new CommandProcessor().process("::set-output name=x::1")).toEqual({
      kind: "output",
      text: "::set-output name=x::1",
    });
  });
});

describe("masker", () => {
  it("masks a value and each of its lines, longest first, from the moment it is added", () => {
    const masker = new Masker();
    expect(masker.mask("token abc")).toBe("token abc");
    masker.add("abc");
    masker.add("first line\nsecond line");
    masker.add("abcdef");
    masker.add("   ");
    expect(masker.mask("abcdef abc first line / second line")).toBe(
      `${MASK} ${MASK} ${MASK} / ${MASK}`,
    );
    expect(masker.maskDeep({ a: ["x abc"], b: 1 })).toEqual({ a: [`x ${MASK}`], b: 1 });
    expect(masker.containsSecret("xx second line")).toBe(true);
    expect(masker.size).toBe(5);
  });
});

describe("file commands", () => {
  test.each([
    ["a=1\nb=two=2\n", { a: "1", b: "two=2" }],
    ["multi<<EOF\nline 1\nline 2\nEOF\nnext=x", { multi: "line 1\nline 2", next: "x" }],
    ["k<<ghadelimiter_1\nv=with=equals\nghadelimiter_1\n", { k: "v=with=equals" }],
    ["x=a<<b", { x: "a<<b" }],
    ["\n\nempty=\n", { empty: "" }],
  ])("parses %j", (content, expected) => {
    expect(parseKeyValueFile(content)).toEqual(expected);
  });

  test.each([
    ["k<<EOF\nnever closed", /matching delimiter 'EOF' not found/],
    ["=value", /empty name/],
    ["no separator", /expected 'name=value'/],
  ])("rejects %j", (content, message) => {
    expect(() => parseKeyValueFile(content)).toThrow(FileCommandError);
    expect(() => parseKeyValueFile(content)).toThrow(message);
  });

  it("creates fresh files per step and reads outputs, env, path, state and summary back", () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "files-"));
    const first = createStepFiles(dir);
    const second = createStepFiles(dir);
    expect(first.GITHUB_OUTPUT).not.toBe(second.GITHUB_OUTPUT);
    writeFileSync(first.GITHUB_OUTPUT, "out=1\n");
    writeFileSync(first.GITHUB_ENV, "A=b\nNODE_OPTIONS=--inspect\n");
    writeFileSync(first.GITHUB_PATH, "/opt/one\n\n/opt/two\n");
    writeFileSync(first.GITHUB_STATE, "pid<<X\n42\nX\n");
    writeFileSync(first.GITHUB_STEP_SUMMARY, "# hi\n");
    const read = readStepFiles(first);
    expect(read).toEqual({
      outputs: { out: "1" },
      env: { A: "b" },
      path: ["/opt/one", "/opt/two"],
      state: { pid: "42" },
      summary: "# hi\n",
      problems: ["GITHUB_ENV: setting NODE_OPTIONS is not allowed (blocked by the runner)"],
    });
    expect(readStepFiles(second).outputs).toEqual({});
  });

  it("drops a step summary over 1 MiB with a problem", () => {
    const files = createStepFiles(mkdtempSync(path.join(os.tmpdir(), "files-")));
    writeFileSync(files.GITHUB_STEP_SUMMARY, "x".repeat(1024 * 1024 + 1));
    const read = readStepFiles(files);
    expect(read.summary).toBe("");
    expect(read.problems[0]).toMatch(/over the 1 MiB limit/);
  });
});
