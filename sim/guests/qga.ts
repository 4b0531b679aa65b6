import { connect } from "node:net";

/** Why a guest-agent command got no answer: nobody listens yet, or the agent did not answer in time. */
export class AgentUnavailable extends Error {
  constructor(readonly reason: "not-running" | "timeout") {
    super(reason === "not-running" ? "QEMU guest agent is not running" : "got timeout");
  }
}

/** An error the agent itself returned (`{"error":{"class","desc"}}`). */
export class AgentCommandError extends Error {}

/**
 * Sends one QEMU guest agent command over the agent's socket, the way qemu-server talks to it
 * through QEMU: `guest-sync-delimited` first (drops anything stale on the channel), then the
 * command; resolves with its `return`.
 */
export function agentCommand(
  socketPath: string,
  command: string,
  args?: Record<string, unknown>,
  timeoutMs = 5000,
): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    const syncId = Math.floor(Math.random() * 2 ** 31);
    let buffered = "";
    let synced = false;
    let settled = false;
    const finish = (error: Error | undefined, value?: unknown) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      if (error) reject(error);
      else resolve(value);
    };
    const timer = setTimeout(() => finish(new AgentUnavailable("timeout")), timeoutMs);
    socket.on("error", () => finish(new AgentUnavailable("not-running")));
    socket.on("connect", () => {
      socket.write(
        `${JSON.stringify({ execute: "guest-sync-delimited", arguments: { id: syncId } })}\n`,
      );
    });
    socket.on("data", (chunk: Buffer) => {
      // 0xFF marks where the answer to guest-sync-delimited begins
      buffered += chunk.toString("latin1").replace(/\xff/g, "");
      let newline: number;
      while ((newline = buffered.indexOf("\n")) >= 0) {
        const line = buffered.slice(0, newline).trim();
        buffered = buffered.slice(newline + 1);
        if (!line) continue;
        let message: { return?: unknown; error?: { class?: string; desc?: string } };
        try {
          message = JSON.parse(Buffer.from(line, "latin1").toString("utf8")) as typeof message;
        } catch {
          continue;
        }
        if (!synced) {
          if (message.return === syncId) {
            synced = true;
            const request = args ? { execute: command, arguments: args } : { execute: command };
            socket.write(`${JSON.stringify(request)}\n`);
          }
          continue;
        }
        if (message.error)
          return finish(
            new AgentCommandError(message.error.desc ?? message.error.class ?? "error"),
          );
        return finish(undefined, message.return ?? {});
      }
    });
    socket.on("close", () => finish(new AgentUnavailable("not-running")));
  });
}
