import { describe, expect, it } from "vitest";
import {
  KUBERNETES_TRANSIENT,
  SSH_TRANSIENT,
  tofuTransientReason,
  transientBy,
} from "../../../actions/lib/retry/index.js";
import { CommandError, ConfigurationError } from "../../../actions/lib/errors.js";

/** A failed command as actions/lib/exec.ts throws it: exit code and the tail of stderr. */
const exit = (code: number, stderr: string, command = "tool") =>
  new CommandError(command, code, stderr);

describe("tofuTransientReason: what the bpg provider passes on from Proxmox", () => {
  it.each([
    [
      "clone failed: cfs-lock 'storage-shared' error: got lock request timeout",
      "Proxmox lock timeout",
    ],
    [
      "clone failed: can't lock file '/var/lock/pve-manager/pve-storage-local-lvm' - got timeout",
      "Proxmox lock timeout",
    ],
    ["can't lock file '/var/lock/qemu-server/lock-101.conf' - got timeout", "Proxmox lock timeout"],
    [
      "received an HTTP 596 response - Reason: Errors during TLS negotiation, request sending and header processing: Connection timed out",
      "Proxmox proxy timeout",
    ],
    ["received an HTTP 595 response", "Proxmox proxy timeout"],
    ["received an HTTP 503 response - Reason: Service Unavailable", "Proxmox HTTP 5xx"],
    ["read tcp 127.0.0.1:1->127.0.0.1:2: read: connection reset by peer", "connection error"],
    ['Post "https://127.0.0.1:8006/api2/json": unexpected EOF', "connection error"],
    // permanent: the user's or the provider's mistakes, and Proxmox refusing for good
    ["received an HTTP 501 response - Reason: Method 'POST /x' not implemented", undefined],
    ["received an HTTP 400 response - Reason: Parameter verification failed.", undefined],
    [
      "received an HTTP 403 response - Reason: Permission check failed (/vms/9000, VM.Clone)",
      undefined,
    ],
    ["Error: Invalid value for variable", undefined],
    ["VM is locked (clone)", undefined],
  ])("%s → %s", (text, reason) => {
    expect(tofuTransientReason(new Error(text))).toBe(reason);
    // the same text in the stderr of a failed tofu process
    expect(tofuTransientReason(exit(1, `│ Error: ${text}`, "tofu apply"))).toBe(reason);
  });
});

describe("transientBy: a classifier for any tool's exit and stderr", () => {
  const ansible = transientBy(SSH_TRANSIENT);
  const helm = transientBy(KUBERNETES_TRANSIENT);

  it.each([
    // ansible-playbook exits 4 when hosts were unreachable; 2 is a task that failed
    [exit(4, 'fatal: [cp-1]: UNREACHABLE! => {"changed": false}'), "host unreachable"],
    [exit(2, "fatal: [cp-1]: UNREACHABLE! => {}\nfatal: [w-1]: FAILED! => {}"), undefined],
    [exit(2, 'fatal: [w-1]: FAILED! => {"msg": "kubeadm join failed"}'), undefined],
    [
      exit(4, "ssh: connect to host 10.0.20.11 port 22: Connection refused"),
      "SSH connection dropped",
    ],
    [
      exit(255, "kex_exchange_identification: read: Connection reset by peer"),
      "SSH connection dropped",
    ],
    [
      exit(2, "E: Could not get lock /var/lib/dpkg/lock-frontend. It is held by process 812"),
      "apt lock held",
    ],
    [exit(1, "Permission denied (publickey)."), undefined],
  ])("ansible/ssh %#", (error, reason) => {
    expect(ansible(error)).toBe(reason);
  });

  it.each([
    [exit(1, "Error: UPGRADE FAILED: context deadline exceeded"), "Kubernetes wait timed out"],
    [
      exit(1, "Error: INSTALLATION FAILED: timed out waiting for the condition"),
      "Kubernetes wait timed out",
    ],
    [exit(1, "Error from server: etcdserver: request timed out"), "Kubernetes API busy"],
    [
      exit(
        1,
        "The connection to the server 10.0.20.10:6443 was refused - did you specify the right host or port?",
      ),
      "Kubernetes API unreachable",
    ],
    [
      exit(1, "Unable to connect to the server: net/http: TLS handshake timeout"),
      "Kubernetes API unreachable",
    ],
    [
      exit(1, "Error: INSTALLATION FAILED: values don't meet the specifications of the schema"),
      undefined,
    ],
    [exit(1, 'Error: chart "cilium" version "9.9.9" not found'), undefined],
  ])("helm/kubectl %#", (error, reason) => {
    expect(helm(error)).toBe(reason);
  });

  it("never retries a user's mistake or a command killed by a signal, whatever the text", () => {
    const both = transientBy(SSH_TRANSIENT, KUBERNETES_TRANSIENT);
    expect(
      both(new ConfigurationError("cluster.yaml:3:5 context deadline exceeded", "fix it")),
    ).toBeUndefined();
    expect(
      both(new CommandError("helm upgrade", null, "context deadline exceeded", "SIGTERM")),
    ).toBeUndefined();
    // tables combine: the first matching pattern names the reason
    expect(both(exit(1, "context deadline exceeded"))).toBe("Kubernetes wait timed out");
    expect(both("a thrown string: UNREACHABLE!")).toBe("host unreachable");
  });
});
