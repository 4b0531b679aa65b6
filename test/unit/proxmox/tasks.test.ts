import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { memoryLogger } from "../../../actions/lib/logger.js";
import {
  createProxmoxClient,
  parseUpid,
  TaskFailedError,
  TaskTimeoutError,
  taskTimeout,
  waitForTask,
  type ProxmoxClient,
} from "../../../actions/lib/proxmox/index.js";
import {
  selfSignedCert,
  sendProxmox,
  startHttpsServer,
  TEST_TOKEN,
  type TestServer,
} from "./tls-fixtures.js";

/**
 * Task waiting against a local HTTPS server that plays a task's life: not visible yet, running,
 * then stopped with an exit status; the log is served like Proxmox serves it.
 */
const UPID = (type: string, id: string) =>
  `UPID:pve1:0012D2F3:04562A1B:66F1A2B3:${type}:${id}:root@pam!pve-kube:`;

interface TaskScript {
  statuses: ({ status: "running" } | { status: "stopped"; exitstatus: string } | "missing")[];
  log: string[];
}

describe("waitForTask", () => {
  let server: TestServer;
  const scripts = new Map<string, TaskScript & { polls: number }>();
  let client: ProxmoxClient;
  let now = 0;
  const logger = memoryLogger();

  beforeAll(async () => {
    const cert = await selfSignedCert();
    server = await startHttpsServer(cert, (req, res) => {
      const url = new URL(req.url ?? "", "https://x");
      const match = /^\/api2\/json\/nodes\/pve1\/tasks\/([^/]+)\/(status|log)$/.exec(url.pathname);
      const script = match ? scripts.get(decodeURIComponent(match[1]!)) : undefined;
      if (!match || !script)
        return sendProxmox(res, 501, null, `Method 'GET ${url.pathname}' not implemented`);
      if (match[2] === "log")
        return sendProxmox(
          res,
          200,
          script.log.length
            ? script.log.map((t, i) => ({ n: i + 1, t }))
            : [{ n: 1, t: "no content" }],
        );
      const state = script.statuses[Math.min(script.polls++, script.statuses.length - 1)]!;
      if (state === "missing")
        return sendProxmox(res, 400, null, "Parameter verification failed.", {
          upid: "no such task",
        });
      sendProxmox(res, 200, { upid: decodeURIComponent(match[1]!), node: "pve1", ...state });
    });
    client = await createProxmoxClient({
      url: server.url,
      tokenId: TEST_TOKEN.id,
      tokenSecret: TEST_TOKEN.secret,
      tls: { fingerprint: cert.fingerprint },
      logger,
      env: {},
      maskSecret: () => {},
      retry: { sleep: () => Promise.resolve(), random: () => 0 },
      clock: { now: () => now, sleep: (ms) => Promise.resolve(void (now += ms)) },
    });
  });
  afterAll(async () => {
    await client.close();
    await server.close();
  });

  const script = (upid: string, s: TaskScript) => scripts.set(upid, { ...s, polls: 0 });

  it("waits through 'no such task yet' and 'running' to OK", async () => {
    const upid = UPID("qmclone", "9000");
    script(upid, {
      statuses: [
        "missing",
        { status: "running" },
        { status: "running" },
        { status: "stopped", exitstatus: "OK" },
      ],
      log: ["TASK OK"],
    });
    expect(await waitForTask(client, upid, { pollIntervalMs: 1000 })).toEqual({
      upid,
      exitStatus: "OK",
      warnings: [],
    });
    expect(scripts.get(upid)!.polls).toBe(4);
  });

  it("returns the warnings of a task that ended with WARNINGS", async () => {
    const upid = UPID("qmconfig", "1001");
    script(upid, {
      statuses: [{ status: "stopped", exitstatus: "WARNINGS: 1" }],
      log: [
        "update VM 1001: -delete net5",
        "WARN: cannot delete 'net5' - not set in current configuration!",
        "TASK WARNINGS: 1",
      ],
    });
    const result = await waitForTask(client, upid);
    expect(result.warnings).toEqual([
      "WARN: cannot delete 'net5' - not set in current configuration!",
    ]);
    expect(logger.lines).toContain(
      "warning: qmconfig 1001: WARN: cannot delete 'net5' - not set in current configuration!",
    );
  });

  it("throws the exit status and the last log lines of a failed task", async () => {
    const upid = UPID("qmclone", "9000");
    const log = [
      ...Array.from({ length: 30 }, (_, i) => `transferred ${i} GiB of 32.0 GiB`),
      "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout",
      "TASK ERROR: clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout",
    ];
    script(upid, {
      statuses: [
        {
          status: "stopped",
          exitstatus:
            "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout",
        },
      ],
      log,
    });
    const error = await waitForTask(client, upid, { logTailLines: 5 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskFailedError);
    const failed = error as TaskFailedError;
    expect(failed.exitStatus).toMatch(/^clone failed: can't lock file/);
    expect(failed.logTail).toHaveLength(5);
    expect(failed.logTail.at(-1)).toMatch(/^TASK ERROR: clone failed/);
    expect(failed.message).toMatch(/^Proxmox task qmclone 9000 on pve1 failed: clone failed/);
    expect(failed.message).toContain("last lines of the task log");
  });

  it("gives up after the timeout for the task type and says it may still run", async () => {
    const upid = UPID("qmtemplate", "9000");
    script(upid, { statuses: [{ status: "running" }], log: ["starting"] });
    now = 0;
    const error = await waitForTask(client, upid, {
      timeoutMs: { qmtemplate: 5_000 },
      pollIntervalMs: 1_000,
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TaskTimeoutError);
    expect((error as Error).message).toMatch(/did not finish within 5 s; it may still be running/);
    expect(scripts.get(upid)!.polls).toBe(6);
  });

  it.each([
    ["qmclone", undefined, 30 * 60_000],
    ["download", undefined, 60 * 60_000],
    ["qmtemplate", { qmtemplate: 1234 }, 1234],
    ["unknowntype", undefined, 30 * 60_000],
    ["qmclone", 42, 42],
  ])("timeout for %s with %j is %d ms", (type, option, expected) => {
    expect(taskTimeout(type, option)).toBe(expected);
  });

  it("parses UPIDs, including token users and empty ids", () => {
    expect(parseUpid(UPID("qmclone", "9000"))).toMatchObject({
      node: "pve1",
      type: "qmclone",
      id: "9000",
      user: "root@pam!pve-kube",
    });
    expect(parseUpid("UPID:pve2:000A0B0C:0000DEAD:66F1A2B3:imgcopy::root@pam:")).toMatchObject({
      node: "pve2",
      type: "imgcopy",
      id: "",
    });
    expect(() => parseUpid("not-a-upid")).toThrow(/not a Proxmox task id/);
  });
});
