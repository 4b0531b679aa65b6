import { pveKubeReadOnlyRolePrivileges } from "../../../actions/lib/proxmox/index.js";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseMarker } from "../../../actions/lib/github/marker.js";
import {
  loadOpenApiCheck,
  startGitHubServer,
  type GitHubServer,
} from "../../../local/github/index.js";
import { startResultsService } from "../../../local/results/index.js";
import { runWorkflow, type RunOptions } from "../../../local/runner/index.js";
import { readGitInfo } from "../../../local/runner/context.js";
import { startPveSim, type PveSim } from "../../../sim/index.js";
import { repoPath, repoRoot } from "../../helpers/repo.js";
import { locateTofu, type TofuTools } from "../../../testkit/tofu-tools.js";

/**
 * plan.yml, drift.yml and destroy.yml through the local runner on pve-sim, with the real
 * OpenTofu and bpg provider, and the local GitHub server (checked against GitHub's OpenAPI
 * description) behind the real octokit: the PR comment, its update on a second push, the
 * control-plane flag and deploy's refusal; a drift issue opened and closed; CSI volumes not
 * drift; destroy's confirmation and identity checks. Every file of every run, every comment and
 * every issue is scanned for the seeded secrets.
 */
// the repository the local runner reports (GITHUB_REPOSITORY, from the checkout's git remote)
const REPO = readGitInfo(repoRoot).repository;
const tools: TofuTools | undefined = locateTofu();
const base = await readFile(repoPath("workflows-examples/clusters/ha/cluster.yaml"), "utf8");

describe("plan, drift and destroy workflows on pve-sim", () => {
  let sim: PveSim;
  let gh: GitHubServer;
  let results: Awaited<ReturnType<typeof startResultsService>>;
  let root: string;
  let clusterRel: string;
  let clusterFile: string;
  const stateKey = randomBytes(32).toString("base64");
  const runDirs: string[] = [];
  let token: string;
  /** the read-only token (PVEKubeReadOnly) of preflight, the PR plan and drift */
  let readOnly: { id: string; secret: string };
  const secrets = () => ({
    PROXMOX_TOKEN_ID: sim.rootToken.id,
    PROXMOX_TOKEN_SECRET: sim.rootToken.secret,
    PROXMOX_READONLY_TOKEN_ID: readOnly.id,
    PROXMOX_READONLY_TOKEN_SECRET: readOnly.secret,
    STATE_KEY: stateKey,
  });

  const clusterText = (edit: (text: string) => string = (t) => t) =>
    edit(
      base.replace(
        "endpoint: https://127.0.0.1:8006",
        `endpoint: https://127.0.0.1:${sim.port}\n  tls:\n    fingerprint: "${sim.fingerprint}"`,
      ),
    );

  /** A commit object holding `text` at the cluster file's path, made without touching the index or any branch. */
  function commitWith(text: string): string {
    const env = { ...process.env, GIT_INDEX_FILE: path.join(root, "index") };
    const git = (args: string[], input?: string) =>
      execFileSync("git", args, { cwd: repoRoot, env, input, encoding: "utf8" }).trim();
    const blob = git(["hash-object", "-w", "--stdin"], text);
    git(["read-tree", "--empty"]);
    git(["update-index", "--add", "--cacheinfo", `100644,${blob},${clusterRel}`]);
    const tree = git(["write-tree"]);
    return git([
      "-c",
      "user.name=test",
      "-c",
      "user.email=t@example.com",
      "commit-tree",
      tree,
      "-m",
      "cluster",
    ]);
  }

  async function run(options: Partial<RunOptions> & Pick<RunOptions, "workflowFile">) {
    let log = "";
    const out = new Writable({
      write(chunk: Buffer, _e, done) {
        log += chunk.toString();
        done();
      },
    });
    const result = await runWorkflow({
      checkout: repoRoot,
      out,
      results,
      secrets: secrets(),
      vars: { CLUSTER: clusterRel, TOFU_MIRROR: tools!.mirror },
      github: { apiUrl: gh.url, token },
      env: {
        ...process.env,
        PATH: `${path.dirname(tools!.tofu)}:${process.env.PATH ?? ""}`,
        XDG_STATE_HOME: path.join(root, "xdg-state"),
        HOME: path.join(root, "home"),
      },
      runDir: path.join(root, "runs", String(runDirs.length)),
      ...options,
    });
    runDirs.push(result.runDir);
    return { ...result, log };
  }

  const deploy = (extra: Record<string, string> = {}) =>
    run({
      workflowFile: ".github/workflows/deploy.yml",
      event: "workflow_dispatch",
      inputs: {
        cluster: clusterRel,
        environment: "production",
        phases: "build-template,tofu-provision",
        "simulate-customize": "true",
        "tofu-lock-file": "regenerate",
        "tofu-provider-mirror": tools!.mirror,
        ...extra,
      },
    });

  let prNumber = 0;
  const planPr = (headSha: string, baseSha: string, action: "opened" | "synchronize") =>
    run({
      workflowFile: "test/fixtures/github/plan-pr.yml",
      event: "pull_request",
      pullRequest: {
        number: prNumber,
        action,
        headSha,
        headRef: "grow",
        baseSha,
        baseRef: "main",
        headRepository: REPO,
      },
    });
  const drift = () =>
    run({ workflowFile: "test/fixtures/github/drift-schedule.yml", event: "schedule" });

  beforeAll(async () => {
    if (!tools)
      throw new Error(
        "OpenTofu and the bpg provider are not built: run test/tools/install-opentofu.sh",
      );
    root = await mkdtemp(path.join(os.tmpdir(), "pve-kube-gh-"));
    await mkdir(path.join(root, "home"), { recursive: true });
    sim = await startPveSim({ timeScale: 0 });
    sim.admin.ensurePool("k8s-demo");
    // reads on /; on the pool the whole PVEKubeReadOnly role, whose VM.Config.Disk Proxmox asks
    // for to read a VM's disks (a grant on a deeper path replaces what / gives there, as in PVE)
    const reads = pveKubeReadOnlyRolePrivileges(9).filter((p) => p.endsWith(".Audit"));
    readOnly = sim.admin.createToken("ro@pve", "plan", reads, "/");
    sim.admin.grant(readOnly.id, "/pool/k8s-demo", pveKubeReadOnlyRolePrivileges(9));
    gh = await startGitHubServer({ check: loadOpenApiCheck() });
    token = gh.mintToken("app");
    results = await startResultsService({ dataDir: path.join(root, "results") });
    const id = randomBytes(4).toString("hex");
    clusterRel = `.local-run/gh-test-${id}/cluster.yaml`;
    clusterFile = path.join(repoRoot, clusterRel);
    await mkdir(path.dirname(clusterFile), { recursive: true });
    await writeFile(clusterFile, clusterText());
    const deployed = await deploy();
    expect(deployed.conclusion, deployed.log).toBe("success");
  });
  afterAll(async () => {
    await gh?.close();
    await results?.close();
    await sim?.close();
    if (clusterFile) await rm(path.dirname(clusterFile), { recursive: true, force: true });
    if (root) await rm(root, { recursive: true, force: true });
  });

  const planComments = () =>
    gh
      .repo(REPO)
      .comments.filter((c) => c.issueNumber === prNumber && parseMarker(c.body)?.kind === "plan");

  it("renders ONE plan comment on a pull request, updates it on the next push, flags control-plane loss, marks it when a plan fails; deploy applies only the reviewed plan", async () => {
    const baseSha = commitWith(clusterText());
    const grow = clusterText((t) => t.replace(/(workerPools:[\s\S]*?memoryMiB: )\d+/, "$112288"));
    try {
      await writeFile(clusterFile, grow);
      const head1 = commitWith(grow);
      prNumber = gh.openPullRequest(REPO, {
        title: "grow workers",
        headSha: head1,
        files: [{ filename: clusterRel, status: "modified", additions: 1, deletions: 1 }],
      });
      const mutating = sim.admin.mutatingRequests().length;
      const first = await planPr(head1, baseSha, "opened");
      expect(first.conclusion, first.log).toBe("success");
      expect(sim.admin.mutatingRequests().length).toBe(mutating);
      expect(planComments()).toHaveLength(1);
      const comment = planComments()[0]!;
      expect(comment.user.login).toBe("github-actions[bot]");
      expect(comment.body).toContain("memoryMiB");
      expect(comment.body).toContain("to change in place");
      expect(comment.body).not.toContain("[!CAUTION]");
      const marker1 = parseMarker(comment.body)!;
      expect(marker1).toMatchObject({
        kind: "plan",
        cluster: "demo",
        environment: "production",
        head: head1,
      });
      const digest1 = String(marker1.reviewedDigest);
      expect(digest1).toMatch(/^[0-9a-f]{64}$/);
      expect(comment.body).toContain(`reviewed digest \`${digest1}\``);
      expect(marker1.planSha256).toMatch(/^[0-9a-f]{64}$/);

      // second push: the Proxmox nodes rotate, so every VM (control planes too) is replaced
      const rotate = grow.replace("nodes: [pve1, pve2, pve3]", "nodes: [pve2, pve3, pve1]");
      expect(rotate).not.toBe(grow);
      await writeFile(clusterFile, rotate);
      const head2 = commitWith(rotate);
      gh.pushToPullRequest(REPO, prNumber, head2);
      const second = await planPr(head2, baseSha, "synchronize");
      expect(second.conclusion, second.log).toBe("success");
      expect(sim.admin.mutatingRequests().length).toBe(mutating);
      expect(planComments()).toHaveLength(1);
      const updated = planComments()[0]!;
      expect(updated.id).toBe(comment.id);
      expect(updated.body).toContain("[!CAUTION]");
      expect(updated.body).toMatch(/REPLACE `demo-cp-1`[\s\S]*REPLACE `demo-cp-2`/);
      expect(updated.body).toContain(
        "deploy refuses this plan unless it runs with `allow-replace: true`",
      );
      expect(updated.body).toContain(`\`proxmox.nodes[0]\`: \`"pve1"\` → \`"pve2"\``);
      expect(updated.body).not.toContain("Outdated");
      const marker2 = parseMarker(updated.body)!;
      expect(marker2).toMatchObject({ head: head2 });
      expect(marker2.outdated).toBeUndefined();
      expect(marker2.reviewedDigest).not.toBe(digest1);
      // the older plan was marked outdated while the new one ran (one PATCH), then replaced (another)
      const patches = () =>
        gh.requests.filter((r) => r.method === "PATCH" && r.path.includes("/issues/comments/"));
      expect(patches().length).toBe(2);
      expect(gh.violations).toEqual([]);

      // deploy of this change refuses it before anything changes: control planes would be lost
      const refused = await deploy();
      expect(refused.conclusion).toBe("failure");
      expect(refused.log).toMatch(
        /control-plane VMs: demo-cp-1 \(replace because of node_name\), demo-cp-2 \(replace/,
      );
      expect(sim.admin.mutatingRequests().length).toBe(mutating);

      // third push: one control plane instead of three renumbers the workers — the plan fails,
      // and the comment (still the plan of head2) says so on top
      const shrink = rotate.replace(/(controlPlane:\s*\n\s*count: )3/, "$11");
      await writeFile(clusterFile, shrink);
      const head3 = commitWith(shrink);
      gh.pushToPullRequest(REPO, prNumber, head3);
      const third = await planPr(head3, baseSha, "synchronize");
      expect(third.conclusion).toBe("failure");
      expect(sim.admin.mutatingRequests().length).toBe(mutating);
      expect(planComments()).toHaveLength(1);
      const failed = planComments()[0]!;
      expect(failed.id).toBe(comment.id);
      expect(failed.body).toContain("**Outdated, and the new plan failed**");
      expect(failed.body).toContain(`planning ${head3.slice(0, 7)} failed`);
      expect(failed.body).not.toContain("is being planned");
      expect(parseMarker(failed.body)).toMatchObject({
        head: head2,
        outdated: true,
        failed: head3,
      });
      // the plan of head2 is still below the banner, once
      expect(failed.body.match(/### pve-kube plan/g)).toHaveLength(1);
      expect(gh.violations).toEqual([]);

      // back to the first change: a deploy given the digest reviewed for another plan refuses...
      await writeFile(clusterFile, grow);
      const stale = await deploy({ "reviewed-digest": String(marker2.reviewedDigest) });
      expect(stale.conclusion).toBe("failure");
      expect(stale.log).toContain("this plan is not the reviewed one");
      expect(sim.admin.mutatingRequests().length).toBe(mutating);
      // ...and with the digest reviewed for this change it applies it
      const applied = await deploy({ "reviewed-digest": digest1 });
      expect(applied.conclusion, applied.log).toBe("success");
      expect(applied.log).toContain(`the plan is the reviewed one (reviewed digest ${digest1})`);
      const workers = sim.admin
        .snapshot()
        .vms.filter((v) => /^demo-general-/.test(v.config.name ?? ""));
      expect(workers.map((v) => Number(v.config.memory))).toEqual([12288, 12288, 12288]);
    } finally {
      // the cluster as deployed: the drift and destroy tests start from it
      await writeFile(clusterFile, grow);
    }
  });

  it("plans no fork pull request: only the notice job runs, with no Proxmox call and no GitHub write", async () => {
    const head = commitWith(clusterText());
    const fork = gh.openPullRequest(REPO, {
      title: "from a fork",
      headSha: head,
      author: "stranger",
      files: [{ filename: clusterRel, status: "modified", additions: 1, deletions: 1 }],
    });
    const mutating = sim.admin.mutatingRequests().length;
    const writes = () => gh.requests.filter((r) => r.method !== "GET").length;
    const before = writes();
    const result = await run({
      workflowFile: "test/fixtures/github/plan-pr.yml",
      event: "pull_request",
      pullRequest: {
        number: fork,
        action: "opened",
        headSha: head,
        headRef: "patch-1",
        baseSha: head,
        baseRef: "main",
        headRepository: "stranger/pve-kube-fork",
      },
    });
    expect(result.conclusion, result.log).toBe("success");
    expect(result.log).toContain("pve-kube plan skipped");
    expect(result.log).toMatch(/plan \/ plan skipped/);
    expect(result.log).toMatch(/plan \/ mark-outdated skipped/);
    expect(sim.admin.mutatingRequests().length).toBe(mutating);
    expect(writes()).toBe(before);
    expect(gh.repo(REPO).comments.filter((c) => c.issueNumber === fork)).toEqual([]);
  });

  it("opens a drift issue for memory changed out of band, closes it after the revert; a CSI volume is not drift", async () => {
    const none = await drift();
    expect(none.conclusion, none.log).toBe("success");
    expect(none.outputs).toBeDefined();
    const issues = () =>
      gh.repo(REPO).issues.filter((i) => !i.pull && i.labels.includes("pve-kube:drift"));
    expect(issues()).toHaveLength(0);

    const vm = sim.admin.snapshot().vms.find((v) => v.config.name === "demo-general-1")!;
    const memory = vm.config.memory;
    sim.admin.mutateVm(vm.vmid, { config: { memory: "16384" } });
    const detected = await drift();
    expect(detected.conclusion, detected.log).toBe("success");
    expect(issues()).toHaveLength(1);
    expect(issues()[0]).toMatchObject({ state: "open" });
    expect(issues()[0]!.body).toContain(
      "16384 MiB, declared 8192 MiB".replace("8192", String(memory)),
    );

    // the refresh-only pass tells the out-of-band change apart from configuration changes
    expect(issues()[0]!.body).toContain("#### Changed outside OpenTofu (refresh-only plan)");
    expect(issues()[0]!.body).toMatch(
      /`demo-general-1` \| out-of-band \| changed outside OpenTofu: [^|]*memory/,
    );
    expect(detected.log).toContain("-refresh-only");
    // no kubeadm-bootstrap state in a scheduled run: the health check says what it skipped
    expect(issues()[0]!.body).toContain(
      "cluster health (nodes Ready, certificate expiry) not checked: no kubeadm-bootstrap phase state",
    );

    sim.admin.mutateVm(vm.vmid, { config: { memory: String(memory) } });
    const gone = await drift();
    expect(gone.conclusion, gone.log).toBe("success");
    expect(issues()[0]).toMatchObject({ state: "closed", stateReason: "completed" });

    // the Proxmox CSI driver attaches a persistent volume: expected, no new issue
    sim.admin.mutateVm(vm.vmid, {
      config: { scsi1: `local-lvm:vm-${vm.vmid}-pvc-0b6f3c2e-4d1a-4a55-9c1e-2f9d8e7a6b5c,size=5G` },
    });
    const csi = await drift();
    expect(csi.conclusion, csi.log).toBe("success");
    expect(issues().filter((i) => i.state === "open")).toHaveLength(0);
    expect(csi.log).toContain("attached by the Proxmox CSI driver: not drift");
    sim.admin.mutateVm(vm.vmid, { config: { scsi1: null } });
    expect(gh.violations).toEqual([]);
  });

  it("destroy refuses a wrong confirmation and a VM whose identity does not match, then removes exactly the cluster's VMs", async () => {
    const destroy = (confirm: string) =>
      run({
        workflowFile: ".github/workflows/destroy.yml",
        event: "workflow_dispatch",
        inputs: {
          cluster: clusterRel,
          confirm,
          "tofu-lock-file": "regenerate",
          "tofu-provider-mirror": tools!.mirror,
        },
      });
    const before = sim.admin.mutatingRequests().length;
    const wrong = await destroy("prod");
    expect(wrong.conclusion).toBe("failure");
    expect(wrong.log).toContain("confirm-destroy 'prod' is not the cluster's name 'demo'");
    expect(sim.admin.mutatingRequests().length).toBe(before);

    const victim = sim.admin.snapshot().vms.find((v) => v.config.name === "demo-general-2")!;
    const tags = victim.config.tags!;
    sim.admin.mutateVm(victim.vmid, { config: { tags: "someone-else" } });
    const foreign = await destroy("demo");
    expect(foreign.conclusion).toBe("failure");
    expect(foreign.log).toMatch(
      /refusing to delete VMs that do not prove they belong to cluster 'demo'/,
    );
    expect(sim.admin.mutatingRequests().length).toBe(before);
    sim.admin.mutateVm(victim.vmid, { config: { tags } });

    const kept = sim.admin
      .snapshot()
      .vms.filter((v) => !/^demo-(cp|general)-\d+$/.test(v.config.name ?? ""))
      .map((v) => v.vmid)
      .sort();
    const done = await destroy("demo");
    expect(done.conclusion, done.log).toBe("success");
    expect(
      sim.admin
        .snapshot()
        .vms.map((v) => v.vmid)
        .sort(),
    ).toEqual(kept);
  });

  it("leaks no seeded secret into any log, report, summary, artifact, comment or issue", async () => {
    const seeded = [stateKey, sim.rootToken.secret, readOnly.secret, token];
    const hits: string[] = [];
    for (const dir of [...runDirs, path.join(root, "results")])
      for (const entry of await readdir(dir, { recursive: true, withFileTypes: true }).catch(
        () => [],
      )) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        const bytes = await readFile(file);
        for (const s of seeded) if (bytes.includes(s)) hits.push(file);
      }
    const texts = [
      ...gh.repo(REPO).comments.map((c) => c.body),
      ...gh.repo(REPO).issues.map((i) => `${i.title}\n${i.body ?? ""}`),
    ];
    for (const text of texts)
      for (const s of seeded) if (text.includes(s)) hits.push(text.slice(0, 80));
    expect(hits).toEqual([]);
    expect(texts.length).toBeGreaterThan(2);
  });
});
