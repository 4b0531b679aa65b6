import net from "node:net";

/**
 * A TCP connect to `ip:22` from the host's own network namespace — how anything on the host
 * would try to reach a guest. Resolves "connected" or the error code (ENETUNREACH, ETIMEDOUT, …).
 */
export function connectError(ip: string): Promise<string> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: ip, port: 22, timeout: 3000 });
    socket.once("connect", () => {
      socket.destroy();
      resolve("connected");
    });
    socket.once("timeout", () => {
      socket.destroy();
      resolve("ETIMEDOUT");
    });
    socket.once("error", (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
  });
}
