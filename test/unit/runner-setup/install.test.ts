import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkRunner } from "../../../actions/preflight/src/check-gates.js";
import { repoPath } from "../../helpers/repo.js";
import { requireTofu } from "../../../testkit/tofu-tools.js";
import { caSignedCert, startHttpsServer, type TestServer } from "../proxmox/tls-fixtures.js";

interface Pins {
  kubernetes: { default: string };
  kubectl: { version: string; sha256: Record<string, string> };
  opentofu: { version: string; sha256: Record<string, string> };
  helm: { version: string; sha256: Record<string, string> };
  actionsRunner: { version: string; sha256: Record<string, string> };
  nodejs: { major: string; source: string };
}

const script = repoPath("runner-setup", "install.sh");
const pins = JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as Pins;

// Commands that would change the machine or reach the network. A dry run must call none of them:
// each is shadowed on PATH by a stub that records the call and fails.
const guarded = [
  "curl",
  "wget",
  "apt-get",
  "gpg",
  "useradd",
  "usermod",
  "dpkg-statoverride",
  "sudo",
  "systemctl",
  "tar",
  "chown",
  "install",
  "ln",
  "mkdir",
];

let work: string;
let stubs: string;
let callLog: string;

beforeAll(() => {
  work = mkdtempSync(path.join(os.tmpdir(), "runner-setup-"));
  stubs = path.join(work, "stubs");
  callLog = path.join(work, "calls.log");
  mkdirSync(stubs);
  for (const name of guarded) {
    const stub = path.join(stubs, name);
    writeFileSync(stub, `#!/bin/sh\necho "${name} $*" >> '${callLog}'\nexit 97\n`);
    chmodSync(stub, 0o755);
  }
});

afterAll(() => rmSync(work, { recursive: true, force: true }));

interface Run {
  status: number | null;
  out: string;
  err: string;
}

function runSetup(args: string[], env: Record<string, string> = {}): Run {
  const r = spawnSync("bash", [script, ...args], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${stubs}:${process.env.PATH ?? ""}`, RUNNER_TOKEN: "", ...env },
  });
  return { status: r.status, out: r.stdout, err: r.stderr };
}

function pinFile(name: string, edit: (p: Record<string, unknown>) => void): string {
  const copy = JSON.parse(readFileSync(repoPath("versions.json"), "utf8")) as Record<
    string,
    unknown
  >;
  edit(copy);
  const file = path.join(work, name);
  writeFileSync(file, JSON.stringify(copy, null, 2));
  return file;
}

const freshPrefix = (name: string) => path.join(work, name);
const recordedCalls = () => (existsSync(callLog) ? readFileSync(callLog, "utf8") : "");

describe("shellcheck", () => {
  const scripts = readdirSync(repoPath("runner-setup"), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".sh"))
    .map((f) => repoPath("runner-setup", f));

  test("runner-setup has scripts to check", () => {
    expect(scripts).toContain(script);
  });

  test.each(scripts)("%s passes shellcheck at style severity", (file) => {
    const r = spawnSync("shellcheck", ["--severity=style", "--external-sources", file], {
      encoding: "utf8",
    });
    if (r.error)
      throw new Error(
        `shellcheck is not installed (apt-get install -y shellcheck; npm test installs it: test/tools/install-debian-packages.sh): ${r.error.message}`,
      );
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});

describe("--dry-run with the repository's versions.json", () => {
  let run: Run;
  const prefix = () => freshPrefix("root-main");
  const secret = "AABBCC-registration-token-seed-7f3e";

  beforeAll(() => {
    rmSync(callLog, { force: true });
    run = runSetup(
      [
        "--dry-run",
        "--prefix",
        prefix(),
        "--url",
        "https://github.com/acme/infra",
        "--name",
        "pve-runner-1",
      ],
      { RUNNER_TOKEN: secret },
    );
  });

  test("succeeds", () => {
    expect(run.err).toBe("");
    expect(run.status).toBe(0);
  });

  test("lists every pinned version read from versions.json", () => {
    expect(run.out).toContain(`kubernetes (kubectl) ${pins.kubernetes.default}`);
    expect(run.out).toContain(`opentofu             ${pins.opentofu.version}`);
    expect(run.out).toContain(`helm                 ${pins.helm.version}`);
    expect(run.out).toContain(`actions runner       ${pins.actionsRunner.version}`);
    expect(run.out).toContain(
      `node.js              ${pins.nodejs.major}.x (${pins.nodejs.source})`,
    );
  });

  test.each([
    [
      "OpenTofu",
      () =>
        `https://github.com/opentofu/opentofu/releases/download/v${pins.opentofu.version}/tofu_${pins.opentofu.version}_linux_amd64.tar.gz`,
      () => pins.opentofu.sha256.linux_amd64,
    ],
    [
      "kubectl",
      () => `https://dl.k8s.io/release/v${pins.kubectl.version}/bin/linux/amd64/kubectl`,
      () => pins.kubectl.sha256["linux-amd64"],
    ],
    [
      "Helm",
      () => `https://get.helm.sh/helm-v${pins.helm.version}-linux-amd64.tar.gz`,
      () => pins.helm.sha256["linux-amd64"],
    ],
    [
      "Actions runner",
      () =>
        `https://github.com/actions/runner/releases/download/v${pins.actionsRunner.version}/actions-runner-linux-x64-${pins.actionsRunner.version}.tar.gz`,
      () => pins.actionsRunner.sha256["linux-x64"],
    ],
  ])(
    "downloads %s from its official release URL and verifies the pinned sha256",
    (_name, url, sha) => {
      const lines = run.out.split("\n");
      const i = lines.findIndex((l) => l.startsWith(`[dry-run] download ${url()} -> `));
      expect(i).toBeGreaterThanOrEqual(0);
      expect(lines[i + 1]).toMatch(
        new RegExp(`^\\[dry-run\\] verify sha256 ${sha() ?? "missing"} of `),
      );
      expect(sha()).toMatch(/^[0-9a-f]{64}$/);
    },
  );

  test("installs Node from the NodeSource channel and the apt tools, and registers the runner with the proxmox label", () => {
    expect(run.out).toContain(`${pins.nodejs.source} nodistro main`);
    expect(run.out).toContain(
      "register runner 'pve-runner-1' with labels self-hosted,linux,x64,proxmox",
    );
    expect(run.out).toMatch(
      /config\.sh --unattended --replace --url https:\/\/github\.com\/acme\/infra --name pve-runner-1 --work _work --labels proxmox$/m,
    );
    expect(run.out).toMatch(/svc\.sh install github-runner$/m);
  });

  test("declares the labels it registers in the runner's .env, before the service starts", () => {
    const env = `${prefix()}/opt/actions-runner/.env`;
    const lines = run.out.split("\n");
    const i = lines.indexOf(`[dry-run] write ${env} (mode 0644):`);
    expect(i).toBeGreaterThan(lines.findIndex((l) => l.includes("config.sh --unattended")));
    expect(lines[i + 1]).toBe("[dry-run]   | PVE_KUBE_RUNNER_LABELS=proxmox");
    expect(lines[i + 2]).toBe(`[dry-run] chown github-runner: ${env}`);
    expect(i).toBeLessThan(lines.findIndex((l) => l.endsWith("svc.sh install github-runner")));
  });

  test("prints actions only: nothing under the prefix, no download or system command ran", () => {
    expect(existsSync(prefix())).toBe(false);
    expect(recordedCalls()).toBe("");
  });

  test("never prints the registration token", () => {
    expect(run.out + run.err).not.toContain(secret);
    expect(run.out).toContain("ACTIONS_RUNNER_INPUT_TOKEN=<redacted>");
  });
});

test("the versions come from the file it is given, not from the script", () => {
  const file = pinFile("other-pins.json", (p) => {
    const set = (k: string, v: unknown) => Object.assign(p[k] as object, v);
    set("kubernetes", { default: "1.35.9" });
    set("kubectl", { version: "1.35.9", sha256: { "linux-amd64": "1".repeat(64) } });
    set("opentofu", { version: "9.8.7", sha256: { linux_amd64: "2".repeat(64) } });
    set("helm", { version: "5.0.1", sha256: { "linux-amd64": "3".repeat(64) } });
    set("actionsRunner", { version: "2.999.0", sha256: { "linux-x64": "4".repeat(64) } });
  });
  const run = runSetup([
    "--dry-run",
    "--prefix",
    freshPrefix("root-other"),
    "--versions",
    file,
    "--skip-runner",
  ]);
  expect(run.status).toBe(0);
  for (const expected of [
    "kubernetes (kubectl) 1.35.9",
    "opentofu             9.8.7",
    "helm                 5.0.1",
    "actions runner       2.999.0",
  ]) {
    expect(run.out).toContain(expected);
  }
  expect(run.out).toContain("/v9.8.7/tofu_9.8.7_linux_amd64.tar.gz");
  expect(run.out).toContain(`verify sha256 ${"2".repeat(64)}`);
  expect(run.out).toContain("skipping the Actions runner (--skip-runner)");
  expect(run.out).not.toContain("actions-runner-linux-x64");
});

test.each([
  [
    "a missing pin names the field",
    (p: Record<string, unknown>) => delete (p.helm as Record<string, unknown>).sha256,
    'field .helm.sha256["linux-amd64"] is missing or empty',
  ],
  [
    "kubectl must follow the Kubernetes default",
    (p: Record<string, unknown>) => Object.assign(p.kubectl as object, { version: "1.35.1" }),
    "kubectl.version 1.35.1 differs from kubernetes.default",
  ],
])("bad pin file: %s", (_name, edit, message) => {
  const run = runSetup(["--dry-run", "--versions", pinFile(`bad-${message.length}.json`, edit)]);
  expect(run.status).toBe(1);
  expect(run.err).toContain(message);
  expect(run.out).not.toContain("[dry-run]");
});

test.each([
  [["--frobnicate"], "unknown option: --frobnicate"],
  [["--prefix", "/tmp/x"], "--prefix only works with --dry-run"],
  [
    ["--dry-run", "--versions", "/nonexistent/versions.json"],
    "pin file not found: /nonexistent/versions.json",
  ],
  [
    ["--dry-run", "--labels", "self-hosted,linux,x64"],
    "--labels self-hosted,linux,x64 has no label of its own beyond self-hosted,linux,x64",
  ],
])("argument mistake %j fails with a clear message", (args, message) => {
  const run = runSetup(args);
  expect(run.status).toBe(1);
  expect(run.err).toContain(message);
});

test("a token file is read and never echoed; labels beyond GitHub's defaults go to config.sh", () => {
  const tokenFile = path.join(work, "token");
  writeFileSync(tokenFile, "FILE-TOKEN-9d81c\n");
  const run = runSetup([
    "--dry-run",
    "--prefix",
    freshPrefix("root-labels"),
    "--url",
    "https://github.com/acme",
    "--token-file",
    tokenFile,
    "--labels",
    "self-hosted, Linux,X64,proxmox,gpu",
  ]);
  expect(run.status).toBe(0);
  expect(run.out).not.toContain("FILE-TOKEN-9d81c");
  expect(run.out).toContain("with labels self-hosted,linux,x64,proxmox,gpu");
  expect(run.out).toMatch(/--labels proxmox,gpu$/m);
  expect(run.out).toContain("[dry-run]   | PVE_KUBE_RUNNER_LABELS=proxmox,gpu\n");
});

test("--ephemeral registers a single-use runner; without it the run says what persists", () => {
  const args = ["--dry-run", "--url", "https://github.com/acme"];
  const ephemeral = runSetup([...args, "--prefix", freshPrefix("root-ephemeral"), "--ephemeral"]);
  expect(ephemeral.status).toBe(0);
  expect(ephemeral.out).toMatch(/config\.sh --unattended --replace .* --ephemeral$/m);
  const persistent = runSetup([...args, "--prefix", freshPrefix("root-persistent")]);
  expect(persistent.out).not.toContain("--ephemeral\n");
  expect(persistent.out).toContain("--ephemeral avoids that");
});

test("the NodeSource key is checked against the fingerprint pinned in versions.json", () => {
  const run = runSetup(["--dry-run", "--prefix", freshPrefix("root-nodesource")]);
  expect(run.out).toContain(
    `is the key with fingerprint ${(pins.nodejs as { keyFingerprint?: string }).keyFingerprint} (versions.json)`,
  );
  expect((pins.nodejs as { keyFingerprint?: string }).keyFingerprint).toMatch(/^[0-9A-F]{40}$/);
});

describe("re-runs converge", () => {
  test("an OpenTofu already installed at the pinned version is left alone (real tofu binary)", () => {
    const tools = requireTofu();
    // The binary test/tools builds is the pinned version; put it where install.sh would.
    const prefix = freshPrefix("root-installed");
    const home = path.join(prefix, "opt/pve-kube/tools", `tofu-${pins.opentofu.version}`);
    mkdirSync(home, { recursive: true });
    copyFileSync(tools.tofu, path.join(home, "tofu"));
    chmodSync(path.join(home, "tofu"), 0o755);
    mkdirSync(path.join(prefix, "usr/local/bin"), { recursive: true });
    spawnSync("ln", ["-s", path.join(home, "tofu"), path.join(prefix, "usr/local/bin/tofu")]);

    const run = runSetup(["--dry-run", "--prefix", prefix, "--skip-runner"]);
    expect(run.status).toBe(0);
    expect(run.out).toContain(`ok: tofu ${pins.opentofu.version} (${home}/tofu)`);
    expect(run.out).not.toContain("opentofu/releases/download");
    expect(run.out).toContain("dl.k8s.io/release"); // kubectl is still missing there
  });

  test("a registered runner with its service is not registered again", () => {
    const prefix = freshPrefix("root-registered");
    const dir = path.join(prefix, "opt/actions-runner");
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    writeFileSync(path.join(dir, "bin/Runner.Listener"), "");
    chmodSync(path.join(dir, "bin/Runner.Listener"), 0o755);
    // what config.sh and svc.sh leave behind
    writeFileSync(
      path.join(dir, ".runner"),
      JSON.stringify({ agentName: "pve-runner-1", gitHubUrl: "https://github.com/acme/infra" }),
    );
    writeFileSync(path.join(dir, ".service"), "actions.runner.acme-infra.pve-runner-1.service\n");

    const run = runSetup(["--dry-run", "--prefix", prefix]);
    expect(run.status).toBe(0);
    expect(run.out).toContain(`ok: Actions runner present in ${dir}`);
    expect(run.out).toContain("ok: runner already registered");
    expect(run.out).toContain(
      "ok: service actions.runner.acme-infra.pve-runner-1.service installed",
    );
    expect(run.out).not.toContain("config.sh --unattended");
    expect(run.out).not.toContain("actions-runner-linux-x64");
    expect(run.out).toMatch(/svc\.sh start$/m);
  });

  test("a registered runner whose .env lacks the labels gets them, and its service is restarted to read them", () => {
    const prefix = freshPrefix("root-registered-env");
    const dir = path.join(prefix, "opt/actions-runner");
    mkdirSync(path.join(dir, "bin"), { recursive: true });
    writeFileSync(path.join(dir, "bin/Runner.Listener"), "");
    chmodSync(path.join(dir, "bin/Runner.Listener"), 0o755);
    writeFileSync(path.join(dir, ".runner"), "{}");
    writeFileSync(path.join(dir, ".service"), "actions.runner.acme-infra.pve-runner-1.service\n");
    // what config.sh's env.sh writes, and a label line of an earlier --labels
    writeFileSync(path.join(dir, ".env"), "LANG=C.UTF-8\nPVE_KUBE_RUNNER_LABELS=proxmox\n");

    const stale = runSetup(["--dry-run", "--prefix", prefix, "--labels", "proxmox,pve-prod"]);
    expect(stale.status).toBe(0);
    expect(stale.out).toContain(
      [
        `[dry-run] write ${dir}/.env (mode 0644):`,
        "[dry-run]   | LANG=C.UTF-8",
        "[dry-run]   | PVE_KUBE_RUNNER_LABELS=proxmox,pve-prod",
      ].join("\n"),
    );
    expect(stale.out).toMatch(/svc\.sh stop\n.*svc\.sh start$/m);

    const current = runSetup(["--dry-run", "--prefix", prefix]);
    expect(current.status).toBe(0);
    expect(current.out).toContain(`ok: ${dir}/.env declares PVE_KUBE_RUNNER_LABELS=proxmox`);
    expect(current.out).not.toContain(".env (mode");
    expect(current.out).not.toContain("svc.sh stop");
  });
});

describe("the runner's .env, written for real (functions sourced from install.sh)", () => {
  const declare = (runnerDir: string, labels: string) =>
    spawnSync(
      "bash",
      [
        "-c",
        `source '${script}'; dry_run=false; runner_dir='${runnerDir}'; runner_labels='${labels}'; runner_user="$(id -un)"; declare_runner_labels`,
      ],
      { encoding: "utf8" },
    );
  const envOf = (file: string) =>
    Object.fromEntries(
      readFileSync(file, "utf8")
        .split("\n")
        .filter((l) => l.includes("="))
        .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
    );

  test("keeps config.sh's lines, replaces an old label line, converges; preflight's runner gate reads it", () => {
    const dir = mkdtempSync(path.join(work, "runner-env-"));
    const file = path.join(dir, ".env");
    writeFileSync(file, "LANG=C.UTF-8\nPVE_KUBE_RUNNER_LABELS=old\nJAVA_HOME=/usr/lib/jvm\n");
    const first = declare(dir, "self-hosted,linux,x64,proxmox,pve-prod");
    expect(first.stderr).toBe("");
    expect(first.status).toBe(0);
    expect(readFileSync(file, "utf8")).toBe(
      "LANG=C.UTF-8\nJAVA_HOME=/usr/lib/jvm\nPVE_KUBE_RUNNER_LABELS=proxmox,pve-prod\n",
    );
    const again = declare(dir, "self-hosted,linux,x64,proxmox,pve-prod");
    expect(again.status).toBe(1); // nothing changed: no restart
    expect(again.stdout.trim()).toBe(
      `runner-setup: ok: ${file} declares PVE_KUBE_RUNNER_LABELS=proxmox,pve-prod`,
    );

    // the runner hands .env to every job: the gate now expects this runner's labels
    const env = { ...envOf(file), RUNNER_ENVIRONMENT: "self-hosted", RUNNER_NAME: "pve-runner-1" };
    const [ok] = checkRunner('["self-hosted","linux","x64","proxmox","pve-prod"]', env);
    expect(ok?.result).toBe("pass");
    const [other] = checkRunner('["self-hosted","linux","x64","proxmox"]', env);
    expect(other?.result).toBe("fail");
    expect(other?.detail).toContain("lack pve-prod");
  });

  test("a runner without a .env yet gets one with the line alone", () => {
    const dir = mkdtempSync(path.join(work, "runner-env-new-"));
    expect(declare(dir, "self-hosted,linux,x64,proxmox").status).toBe(0);
    expect(readFileSync(path.join(dir, ".env"), "utf8")).toBe("PVE_KUBE_RUNNER_LABELS=proxmox\n");
  });
});

describe("real downloads against a local HTTPS server (functions sourced from install.sh, no root)", () => {
  let server: TestServer;
  let caFile: string;
  const files = new Map<string, Buffer>();
  const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

  beforeAll(async () => {
    const { ca, server: cert } = await caSignedCert();
    caFile = path.join(work, "ca.pem");
    writeFileSync(caFile, ca.cert);
    server = await startHttpsServer(cert, (req, res) => {
      const body = files.get(req.url ?? "");
      res.writeHead(body ? 200 : 404);
      res.end(body ?? "not found");
    });
    // a release tarball like OpenTofu's: one executable that reports its version
    const pkg = path.join(work, "pkg");
    mkdirSync(pkg);
    writeFileSync(
      path.join(pkg, "tofu"),
      '#!/bin/sh\necho "OpenTofu v9.9.9"\necho "on linux_amd64"\n',
    );
    chmodSync(path.join(pkg, "tofu"), 0o755);
    spawnSync("tar", ["-czf", path.join(work, "tofu.tar.gz"), "-C", pkg, "tofu"]);
    files.set("/tofu_9.9.9_linux_amd64.tar.gz", readFileSync(path.join(work, "tofu.tar.gz")));
    files.set("/kubectl", Buffer.from("#!/bin/sh\necho 'Client Version: v1.2.3'\n"));
  });

  afterAll(async () => server.close());

  // Runs install.sh's own functions for real (dry_run=false) under a temp prefix.
  function sourced(snippet: string): Promise<Run> {
    const prelude = `source '${script}'; dry_run=false; prefix='${path.join(work, "real-root")}'; tmp="$(mktemp -d '${work}/tmp.XXXXXX')"; `;
    return new Promise((resolve) => {
      execFile(
        "bash",
        ["-c", prelude + snippet],
        { env: { ...process.env, CURL_CA_BUNDLE: caFile } },
        (error, stdout, stderr) => {
          resolve({
            status: error ? (typeof error.code === "number" ? error.code : 1) : 0,
            out: stdout,
            err: stderr,
          });
        },
      );
    });
  }

  test("a download whose sha256 is not the pin is refused and removed", async () => {
    const dest = path.join(work, "bad-download");
    const run = await sourced(`download '${server.url}/kubectl' '${dest}' '${"0".repeat(64)}'`);
    expect(run.status).toBe(1);
    expect(run.err).toContain(
      `checksum mismatch for ${server.url}/kubectl: expected sha256 ${"0".repeat(64)} (versions.json), got ${sha256(files.get("/kubectl") ?? Buffer.alloc(0))}`,
    );
    expect(existsSync(dest)).toBe(false);
  });

  test("a signing key with another fingerprint is refused and removed; the pinned one passes", async () => {
    // two real OpenPGP keys made here; the pin names the first
    const home = mkdtempSync(path.join(work, "gnupg-"));
    const gpg = (...args: string[]) =>
      spawnSync(
        "gpg",
        ["--homedir", home, "--batch", "--pinentry-mode", "loopback", "--passphrase", "", ...args],
        {
          encoding: "utf8",
        },
      );
    for (const uid of ["pinned <pinned@example.org>", "other <other@example.org>"])
      expect(gpg("--quick-gen-key", uid, "ed25519", "sign", "never").status).toBe(0);
    const fingerprint = (uid: string) =>
      /^fpr:+([0-9A-F]{40}):/m.exec(gpg("--with-colons", "--fingerprint", uid).stdout)?.[1] ?? "";
    const pinned = fingerprint("pinned@example.org");
    for (const uid of ["pinned", "other"])
      writeFileSync(
        path.join(work, `${uid}.asc`),
        gpg("--armor", "--export", `${uid}@example.org`).stdout,
      );
    const ok = await sourced(`check_key_fingerprint '${path.join(work, "pinned.asc")}' ${pinned}`);
    expect(ok.status).toBe(0);
    expect(ok.out).toContain(`+ key fingerprint verified: ${pinned}`);
    const bad = await sourced(`check_key_fingerprint '${path.join(work, "other.asc")}' ${pinned}`);
    expect(bad.status).toBe(1);
    expect(bad.err).toContain(
      `signing key fingerprint mismatch for ${path.join(work, "other.asc")}: expected ${pinned}`,
    );
    expect(existsSync(path.join(work, "other.asc"))).toBe(false);
  });

  test("a missing file fails the run (curl --fail), nothing is left behind", async () => {
    const dest = path.join(work, "missing-download");
    const run = await sourced(`download '${server.url}/nope' '${dest}' '${"0".repeat(64)}'`);
    expect(run.status).not.toBe(0);
    expect(existsSync(dest)).toBe(false);
  });

  test("install_binary downloads, verifies, unpacks, links; the second run only checks", async () => {
    const archive = files.get("/tofu_9.9.9_linux_amd64.tar.gz") ?? Buffer.alloc(0);
    const call = `install_binary tofu 9.9.9 '${server.url}/tofu_9.9.9_linux_amd64.tar.gz' '${sha256(archive)}' tofu version`;
    const before = server.requests.length;
    const first = await sourced(call);
    expect(first.err).toBe("");
    expect(first.status).toBe(0);
    expect(first.out).toContain(`+ sha256 verified: ${sha256(archive)}`);
    const installed = path.join(work, "real-root/opt/pve-kube/tools/tofu-9.9.9/tofu");
    const link = path.join(work, "real-root/usr/local/bin/tofu");
    expect(spawnSync(link, ["version"], { encoding: "utf8" }).stdout).toContain("OpenTofu v9.9.9");
    expect(readFileSync(installed)).toEqual(readFileSync(path.join(work, "pkg/tofu")));

    const second = await sourced(call);
    expect(second.status).toBe(0);
    expect(second.out.trim()).toBe(`runner-setup: ok: tofu 9.9.9 (${installed})`);
    expect(server.requests.length - before).toBe(1);
  });

  test("a plain binary (kubectl) is installed the same way", async () => {
    const body = files.get("/kubectl") ?? Buffer.alloc(0);
    const run = await sourced(
      `install_binary kubectl 1.2.3 '${server.url}/kubectl' '${sha256(body)}' '' version --client`,
    );
    expect(run.status).toBe(0);
    expect(
      spawnSync(path.join(work, "real-root/usr/local/bin/kubectl"), ["version", "--client"], {
        encoding: "utf8",
      }).stdout,
    ).toContain("v1.2.3");
  });
});
