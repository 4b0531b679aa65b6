import { rmSync } from "node:fs";
import net from "node:net";

/**
 * pve-sim listens on the host's loopback; the runner of a lab deploy lives in the lab's network
 * namespace (so Ansible and ssh reach the guests), where 127.0.0.1 is another loopback. A Unix
 * socket is a file, not a network address, so it crosses that boundary: the lab command relays
 * `socket → 127.0.0.1:<pve-sim port>` on the host side, and the runner's side relays
 * `127.0.0.1:<port> → socket` inside the namespace. Bytes only: TLS stays end to end, the
 * certificate pin still holds. Nothing of the lab is routed between the namespaces.
 */
export interface Relay {
  /** the TCP port it listens on (the Unix socket relay: 0) */
  port: number;
  close(): Promise<void>;
}

function pipe(from: net.Socket, to: net.Socket): void {
  from.pipe(to);
  to.pipe(from);
  const end = () => {
    from.destroy();
    to.destroy();
  };
  from.on("error", end);
  to.on("error", end);
  from.on("close", end);
  to.on("close", end);
}

function listen(server: net.Server, target: net.ListenOptions): Promise<Relay> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(target, () => {
      server.off("error", reject);
      const address = server.address();
      resolve({
        port: typeof address === "object" && address ? address.port : 0,
        close: () =>
          new Promise<void>((done) => {
            server.close(() => done());
          }),
      });
    });
  });
}

/** Host side: connections on the Unix socket go to pve-sim on the host's loopback. */
export async function relaySocketToTcp(socketPath: string, port: number): Promise<Relay> {
  rmSync(socketPath, { force: true });
  const server = net.createServer((client) =>
    pipe(client, net.connect({ host: "127.0.0.1", port })),
  );
  const relay = await listen(server, { path: socketPath });
  return {
    port: 0,
    async close() {
      await relay.close();
      rmSync(socketPath, { force: true });
    },
  };
}

/** Namespace side: 127.0.0.1:<port> inside the lab namespace leads to the Unix socket. */
export function relayTcpToSocket(port: number, socketPath: string): Promise<Relay> {
  const server = net.createServer((client) => pipe(client, net.connect({ path: socketPath })));
  return listen(server, { host: "127.0.0.1", port });
}
