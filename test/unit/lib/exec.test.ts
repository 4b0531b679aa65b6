import { describe, expect, it } from "vitest";
import { CommandError } from "../../../actions/lib/errors.js";
import { redact, runTool, tailLines } from "../../../actions/lib/exec.js";
import { memoryLogger } from "../../../actions/lib/logger.js";

describe("runTool", () => {
  it("runs an argv array without a shell and returns its output", async () => {
    const logger = memoryLogger();
    const result = await runTool("printf", ["%s|", "a b", "$(echo no-shell)"], { logger });
    expect(result.stdout).toBe("a b|$(echo no-shell)|");
    expect(logger.lines[0]).toBe("$ printf '%s|' 'a b' '$(echo no-shell)'");
  });

  it("throws a CommandError with the exit code and the stderr tail", async () => {
    const script = 'for i in $(seq 1 30); do echo "line $i" >&2; done; exit 3';
    const error = await runTool("bash", ["-c", script], { logger: memoryLogger() }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CommandError);
    const commandError = error as CommandError;
    expect(commandError.exitCode).toBe(3);
    expect(commandError.stderrTail.split("\n")).toHaveLength(20);
    expect(commandError.stderrTail).toContain("line 30");
    expect(commandError.stderrTail).not.toContain("line 10\n");
  });

  it("accepts extra ok exit codes", async () => {
    const result = await runTool("bash", ["-c", "exit 2"], {
      logger: memoryLogger(),
      okExitCodes: [2],
    });
    expect(result.exitCode).toBe(2);
  });

  it("redacts secrets from the logged command, streamed output and errors", async () => {
    const secret = "s3cr3t-token-value";
    const logger = memoryLogger();
    const error = await runTool(
      "bash",
      ["-c", `echo "out ${secret}"; echo "err ${secret}" >&2; exit 1`, secret],
      {
        logger,
        streamOutput: true,
        secrets: [secret],
      },
    ).catch((e: unknown) => e as Error);
    const everything = [...logger.lines, (error as Error).message].join("\n");
    expect(everything).not.toContain(secret);
    expect(everything).toContain("out ***");
    expect(everything).toContain("err ***");
  });

  it("names a missing command", async () => {
    await expect(runTool("pve-kube-no-such-tool", [], { logger: memoryLogger() })).rejects.toThrow(
      /command not found/,
    );
  });

  it("feeds stdin", async () => {
    expect((await runTool("cat", [], { logger: memoryLogger(), input: "hello" })).stdout).toBe(
      "hello",
    );
  });
});

describe("helpers", () => {
  it.each([
    ["abc", ["b"], "a***c"],
    ["x", [""], "x"],
    ["tok tok", ["tok"], "*** ***"],
  ])("redact(%j, %j) = %j", (text, secrets, expected) => {
    expect(redact(text, secrets)).toBe(expected);
  });

  it("tailLines keeps the last lines", () => {
    expect(tailLines("1\n2\n3\n", 2)).toBe("2\n3");
  });
});
