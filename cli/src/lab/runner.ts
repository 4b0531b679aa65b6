import type { CliIo } from "../command.js";
import { relayTcpToSocket } from "./api-bridge.js";

/**
 * `pve-kube lab _runner --socket S --port N -- run …` (internal; started by `pve-kube lab` inside
 * the lab's network namespace): puts pve-sim's API on 127.0.0.1:N here, then runs the workflow
 * with the local runner — so every step, Ansible and ssh included, sees the lab network as a
 * self-hosted runner sees its own, and Proxmox where the inputs say it is.
 */
export async function labRunner(args: string[], io: CliIo): Promise<number> {
  const dashes = args.indexOf("--");
  const own = dashes < 0 ? args : args.slice(0, dashes);
  const rest = dashes < 0 ? [] : args.slice(dashes + 1);
  const value = (flag: string) => {
    const i = own.indexOf(flag);
    return i >= 0 ? own[i + 1] : undefined;
  };
  const socket = value("--socket");
  const port = Number(value("--port"));
  if (!socket || !Number.isInteger(port) || rest[0] !== "run")
    throw new Error("usage: pve-kube lab _runner --socket S --port N -- run <workflow> …");
  const relay = await relayTcpToSocket(port, socket);
  try {
    const { runWorkflowCommand } = await import("../commands/run-command.js");
    return await runWorkflowCommand(rest.slice(1), io);
  } finally {
    await relay.close();
  }
}
