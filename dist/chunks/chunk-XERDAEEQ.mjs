import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  CommandError
} from "./chunk-SAJHUJQG.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/exec.ts
import { spawn } from "node:child_process";
var STDERR_CAP = 2e4;
var STDERR_TAIL_LINES = 20;
function redact(text, secrets = []) {
  let out = text;
  for (const s of secrets) if (s.length > 0) out = out.split(s).join("***");
  return out;
}
__name(redact, "redact");
function tailLines(text, count = STDERR_TAIL_LINES) {
  const lines = text.trimEnd().split("\n");
  return lines.slice(-count).join("\n");
}
__name(tailLines, "tailLines");
async function runTool(command, args, options) {
  const { logger, secrets = [] } = options;
  const shown = redact([command, ...args.map(quoteForLog)].join(" "), secrets);
  logger.info(`$ ${shown}`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, [...args], {
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs
    });
    let stdout = "";
    let stderr = "";
    let pending = "";
    child.stdout.setEncoding("utf8");
    child.stderr.setEncoding("utf8");
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      if (options.streamOutput) {
        pending += chunk;
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) logger.info(redact(line, secrets));
      }
    });
    child.stderr.on("data", (chunk) => {
      stderr += chunk;
      if (stderr.length > STDERR_CAP * 2) stderr = stderr.slice(-STDERR_CAP);
    });
    child.on("error", (error) => {
      if (error.code === "ENOENT")
        reject(new CommandError(shown, null, `${command}: command not found`));
      else reject(error);
    });
    child.on("close", (code, signal) => {
      if (options.streamOutput && pending) logger.info(redact(pending, secrets));
      const exitCode = code ?? -1;
      const ok = code === 0 || code !== null && (options.okExitCodes ?? []).includes(code);
      if (ok) resolve({ exitCode, stdout, stderr: stderr.slice(-STDERR_CAP) });
      else reject(new CommandError(shown, code, redact(tailLines(stderr), secrets), signal));
    });
    if (options.input !== void 0) child.stdin.end(options.input);
    else child.stdin.end();
  });
}
__name(runTool, "runTool");
function quoteForLog(arg) {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}
__name(quoteForLog, "quoteForLog");

export {
  runTool
};
