import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { IncomingMessage, ServerResponse } from "node:http";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createProxmoxClient,
  ProxmoxApiError,
  ProxmoxAuthError,
  ProxmoxPermissionError,
  ProxmoxUnreachableError,
  type ProxmoxClient,
} from "../../../actions/lib/proxmox/index.js";
import {
  selfSignedCert,
  sendProxmox,
  startHttpsServer,
  TEST_TOKEN,
  type CertPair,
  type TestServer,
} from "./tls-fixtures.js";

/**
 * The request engine against a real local HTTPS server that answers like pveproxy: retries of
 * reads, no resend of writes, and the typed, explained errors.
 */
type Handler = (req: IncomingMessage, res: ServerResponse, count: number) => void;

describe("Proxmox transport", () => {
  let cert: CertPair;
  let server: TestServer;
  let handler: Handler;
  let calls = 0;
  const sleeps: number[] = [];

  beforeAll(async () => {
    cert = await selfSignedCert();
    server = await startHttpsServer(cert, (req, res) => handler(req, res, ++calls));
  });
  afterAll(() => server.close());
  beforeEach(() => {
    calls = 0;
    sleeps.length = 0;
    server.requests.length = 0;
  });

  async function withClient<T>(
    fn: (client: ProxmoxClient) => Promise<T>,
    env: NodeJS.ProcessEnv = {},
  ) {
    const logger = memoryLogger();
    const masked: string[] = [];
    const client = await createProxmoxClient({
      url: server.url,
      ...(env.PROXMOX_TOKEN_ID ? {} : { tokenId: TEST_TOKEN.id, tokenSecret: TEST_TOKEN.secret }),
      tls: { fingerprint: cert.fingerprint },
      logger,
      env,
      maskSecret: (s) => masked.push(s),
      retry: {
        maxAttempts: 4,
        baseDelayMs: 100,
        maxDelayMs: 1_000,
        sleep: (ms) => Promise.resolve(void sleeps.push(ms)),
        random: () => 0.5,
      },
    });
    try {
      return { result: await fn(client).catch((e: unknown) => e), logger, masked };
    } finally {
      await client.close();
    }
  }

  it("retries a GET on 596 and 500 with growing jittered backoff, then succeeds", async () => {
    handler = (_req, res, n) => {
      if (n === 1)
        return sendProxmox(
          res,
          596,
          null,
          "Errors during TLS negotiation, request sending and header processing: Connection timed out",
        );
      if (n === 2) return sendProxmox(res, 500, null, "got unexpected error");
      sendProxmox(res, 200, [{ node: "pve1", status: "online" }]);
    };
    const { result, logger } = await withClient((c) => c.api.nodes.$get());
    expect(result).toEqual([{ node: "pve1", status: "online" }]);
    expect(calls).toBe(3);
    expect(sleeps).toEqual([50, 100]); // random 0.5 × min(max, 100·2^n)
    expect(logger.lines.filter((l) => l.includes("retry"))).toHaveLength(2);
  });

  it("gives up after the bound with the last error", async () => {
    handler = (_req, res) =>
      sendProxmox(
        res,
        595,
        null,
        "Errors during connection establishment, proxy handshake: Connection refused",
      );
    const { result } = await withClient((c) => c.api.nodes.$get());
    expect(result).toBeInstanceOf(ProxmoxApiError);
    expect((result as ProxmoxApiError).status).toBe(595);
    expect(calls).toBe(4);
  });

  it("does not retry a 500 that says the object does not exist", async () => {
    handler = (_req, res) =>
      sendProxmox(
        res,
        500,
        null,
        "Configuration file 'nodes/pve1/qemu-server/123.conf' does not exist",
      );
    const { result } = await withClient((c) => c.api.nodes.$("pve1").qemu.$(123).config.$get());
    expect((result as ProxmoxApiError).serverMessage).toContain("does not exist");
    expect(calls).toBe(1);
  });

  it("never resends a write, neither on 596 nor on a dropped connection", async () => {
    handler = (_req, res) =>
      sendProxmox(
        res,
        596,
        null,
        "Errors during TLS negotiation, request sending and header processing: Broken pipe",
      );
    const first = await withClient((c) => c.api.nodes.$("pve1").qemu.$post({ vmid: 100 }));
    expect((first.result as ProxmoxApiError).status).toBe(596);
    expect(calls).toBe(1);

    calls = 0;
    handler = (req) => req.socket.destroy(); // the connection dies after the request was sent
    const second = await withClient((c) => c.api.nodes.$("pve1").qemu.$post({ vmid: 100 }));
    expect(second.result).toBeInstanceOf(ProxmoxUnreachableError);
    // proxmox-api would resend once by itself; the transport refuses
    expect(calls).toBe(1);
  });

  it("sends the token header, form-encodes writes and masks the secret first", async () => {
    let body = "";
    handler = (req, res) => {
      req.setEncoding("utf8");
      req.on("data", (c: string) => (body += c));
      req.on("end", () =>
        sendProxmox(
          res,
          200,
          "UPID:pve1:00001234:00005678:66F1A2B3:qmcreate:100:root@pam!pve-kube:",
        ),
      );
    };
    const { result, masked, logger } = await withClient((c) =>
      c.api.nodes.$("pve1").qemu.$post({ vmid: 100, agent: "1", serial0: "socket" }),
    );
    expect(result).toMatch(/^UPID:pve1:/);
    expect(masked).toEqual([TEST_TOKEN.secret]);
    expect(server.requests[0]?.authorization).toBe(
      `PVEAPIToken=${TEST_TOKEN.id}=${TEST_TOKEN.secret}`,
    );
    expect(body).toBe("vmid=100&agent=1&serial0=socket");
    expect(logger.lines.join("\n")).not.toContain(TEST_TOKEN.secret);
  });

  it("explains 401 and names the env vars the token came from", async () => {
    handler = (_req, res) => sendProxmox(res, 401, null, "authentication failure");
    const env = { PROXMOX_TOKEN_ID: TEST_TOKEN.id, PROXMOX_TOKEN_SECRET: TEST_TOKEN.secret };
    const { result } = await withClient((c) => c.api.version.$get(), env);
    expect(result).toBeInstanceOf(ProxmoxAuthError);
    const message = (result as Error).message;
    expect(message).toContain(`rejected the API token '${TEST_TOKEN.id}' (401`);
    expect(message).toContain("PROXMOX_TOKEN_ID environment variable");
    expect(message).toContain("PROXMOX_TOKEN_SECRET environment variable");
    expect(message).not.toContain(TEST_TOKEN.secret);
    expect(calls).toBe(1);
  });

  it("explains 403 with the privilege, the path and the pveum commands", async () => {
    handler = (_req, res) =>
      sendProxmox(res, 403, null, "Permission check failed (/vms/9000, VM.Allocate)");
    const { result } = await withClient((c) => c.api.nodes.$("pve1").qemu.$post({ vmid: 9000 }));
    expect(result).toBeInstanceOf(ProxmoxPermissionError);
    const error = result as ProxmoxPermissionError;
    expect(error.aclPath).toBe("/vms/9000");
    expect(error.privileges).toEqual(["VM.Allocate"]);
    expect(error.message).toContain("lacks VM.Allocate on /vms/9000");
    expect(error.message).toContain("pveum role add PVEKube --privs VM.Allocate");
    expect(error.message).toContain(
      "pveum acl modify /vms/9000 --tokens 'root@pam!pve-kube' --roles PVEKube",
    );
  });

  it("keeps Proxmox's parameter errors of a 400", async () => {
    handler = (_req, res) =>
      sendProxmox(res, 400, null, "Parameter verification failed.", {
        vmid: "VM 100 already exists",
      });
    const { result } = await withClient((c) => c.api.cluster.nextid.$get({ vmid: 100 }));
    expect(result).toBeInstanceOf(ProxmoxApiError);
    expect((result as ProxmoxApiError).paramErrors).toEqual({ vmid: "VM 100 already exists" });
    expect((result as Error).message).toBe(
      "GET /cluster/nextid failed with 400: Parameter verification failed. (vmid: VM 100 already exists)",
    );
  });
});
