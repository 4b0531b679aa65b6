import { spawn } from "node:child_process";
import path from "node:path";

/**
 * kubeadm-bootstrap's orchestration overhead on the lab's real guests, in one run: a fresh lab
 * (`npm run lab -- --down`, then `npm run lab`: the ha profile, 3 control planes + 3 workers)
 * and, from that run's kubeadm-bootstrap log, the phase's wall time against the time kubeadm
 * itself spent on the critical path — `kubeadm init` + the control-plane joins one after another
 * + the slowest of the parallel worker joins (the action measures both; see critical-path.ts) —
 * and a second deploy of the same lab (nothing to do) against that first one. Needs root and the
 * lab image. Leaves the lab up (`--down` after it to remove it).
 *
 *   npx vite-node bench/bench-cli.ts kubeadm-bootstrap [--down]
 */
const repo = path.resolve(import.meta.dirname, "..");

function lab(args: string[]): Promise<{ code: number | null; output: string; seconds: number }> {
  const started = Date.now();
  return new Promise((resolve, reject) => {
    const child = spawn("bash", ["scripts/lab.sh", ...args], { cwd: repo, env: process.env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, output, seconds: (Date.now() - started) / 1000 }));
  });
}

export async function main(args: string[]): Promise<void> {
  const down = await lab(["--down"]);
  if (down.code !== 0)
    throw new Error(`npm run lab -- --down failed:\n${down.output.slice(-3000)}`);
  const up = await lab([]);
  if (up.code !== 0) throw new Error(`npm run lab failed:\n${up.output.slice(-6000)}`);
  const line =
    /kubeadm critical path ([\d.]+) s \(init ([\d.]+) s \+ control-plane joins ([\d. +]+) s \+ slowest worker join ([\d.]+) s\); phase ([\d.]+) s: ([\d.]+)× the critical path/.exec(
      up.output,
    );
  if (!line) throw new Error("the run's kubeadm-bootstrap log has no critical-path line");
  const [, critical, init, cpJoins, worker, phase, ratio] = line;
  // the same lab again: what a re-run that finds nothing to do costs against the bring-up
  const again = await lab([]);
  if (again.code !== 0) throw new Error(`the re-run failed:\n${again.output.slice(-6000)}`);
  const noop = /kubeadm-bootstrap apply: changed=(\d+)/.exec(again.output)?.[1] ?? "?";
  console.log(
    [
      `lab deploy end to end: ${up.seconds.toFixed(1)} s (6 guests, the real deploy workflow)`,
      `kubeadm-bootstrap phase: ${phase} s`,
      `kubeadm's critical path: ${critical} s = init ${init} s + control-plane joins ${cpJoins} s + slowest worker join ${worker} s`,
      `ratio phase / critical path: ${ratio}`,
      `re-run on the healthy cluster: ${again.seconds.toFixed(1)} s end to end, changed=${noop}; ratio re-run / bring-up: ${(again.seconds / up.seconds).toFixed(2)}`,
    ].join("\n"),
  );
  if (args.includes("--down")) await lab(["--down"]);
}
