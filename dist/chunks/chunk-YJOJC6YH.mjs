import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  processAlive
} from "./chunk-RHOG2TJY.mjs";
import {
  TOKEN_AUDIT_PATH,
  TOKEN_ROLES,
  privilegeScopeOf,
  tokenSetup
} from "./chunk-AOOLGRGL.mjs";
import {
  require_undici
} from "./chunk-N6HR45QX.mjs";
import {
  loadClusterConfig
} from "./chunk-OXUWTRXE.mjs";
import {
  ConfigurationError,
  ConfigurationErrors,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// cli/src/commands/run-command.ts
import { existsSync as existsSync2 } from "node:fs";
import { appendFile } from "node:fs/promises";
import path2 from "node:path";
import { parseArgs } from "node:util";

// sim/fault-profiles.ts
var FAULT_PROFILES = {
  /** HTTP faults on every request, reads included: the provider relay has to retry reads too */
  all: { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "all" },
  /** HTTP faults on writes only (reads always answer): what fails is what changes Proxmox */
  writes: { error5xx: 0.05, error596: 0.05, lockTimeout: 0.1, scope: "writes" }
};
function isFaultProfileName(name) {
  return Object.hasOwn(FAULT_PROFILES, name);
}
__name(isFaultProfileName, "isFaultProfileName");
function describeFaults(f) {
  const pct = /* @__PURE__ */ __name((p) => `${Math.round(100 * (p ?? 0))}%`, "pct");
  const parts = [
    `${pct(f.error5xx)} HTTP 500 + ${pct(f.error596)} HTTP 596 on ${f.scope === "writes" ? "writes" : "every request"}`,
    `${pct(f.lockTimeout)} lock timeouts`
  ];
  if (f.drop) parts.push(`${pct(f.drop)} dropped connections`);
  if (f.storageError) parts.push(`${pct(f.storageError)} storage errors`);
  if (f.latencyMs) parts.push(`${f.latencyMs} ms latency`);
  if (f.offlineNodes?.length) parts.push(`offline: ${f.offlineNodes.join(", ")}`);
  return parts.join(", ");
}
__name(describeFaults, "describeFaults");

// sim/faults.ts
function seededRandom(seed) {
  let a = seed >>> 0;
  return () => {
    a = a + 1831565813 >>> 0;
    let t = a;
    t = Math.imul(t ^ t >>> 15, t | 1);
    t ^= t + Math.imul(t ^ t >>> 7, t | 61);
    return ((t ^ t >>> 14) >>> 0) / 4294967296;
  };
}
__name(seededRandom, "seededRandom");
function parseFaultSpec(spec) {
  const parts = spec.split(",").filter(Boolean);
  const profiles = parts.filter((p) => p.startsWith("profile="));
  if (profiles.length > 1) throw new Error("one fault 'profile' at a time");
  const name = profiles[0]?.slice("profile=".length) ?? "";
  if (profiles.length && !isFaultProfileName(name))
    throw new Error(
      `unknown fault profile '${name}' (known: ${Object.keys(FAULT_PROFILES).join(", ")})`
    );
  const out = isFaultProfileName(name) ? { ...FAULT_PROFILES[name] } : {};
  for (const part of parts.filter((p) => !p.startsWith("profile="))) {
    const [key, value = ""] = part.split("=");
    const n = Number(value);
    switch (key) {
      case "5xx":
        out.error5xx = n;
        break;
      case "596":
        out.error596 = n;
        break;
      case "drop":
        out.drop = n;
        break;
      case "latency":
        out.latencyMs = n;
        break;
      case "lock":
        out.lockTimeout = n;
        break;
      case "storage":
        out.storageError = n;
        break;
      case "offline":
        out.offlineNodes = value.split("+").filter(Boolean);
        break;
      case "scope":
        if (value !== "all" && value !== "writes")
          throw new Error("fault 'scope' is all or writes");
        out.scope = value;
        break;
      default:
        throw new Error(
          `unknown fault '${key ?? ""}' (known: profile, 5xx, 596, drop, latency, lock, storage, offline, scope)`
        );
    }
    if (key !== "offline" && key !== "scope" && !Number.isFinite(n))
      throw new Error(`fault '${key ?? ""}' needs a number`);
  }
  return out;
}
__name(parseFaultSpec, "parseFaultSpec");

// cli/src/commands/run-sim.ts
import { randomBytes } from "node:crypto";
import { mkdir } from "node:fs/promises";
import path from "node:path";

// cli/src/commands/sim-daemon.ts
var import_undici = __toESM(require_undici(), 1);
import { spawn } from "node:child_process";
import { existsSync, openSync, readFileSync, closeSync } from "node:fs";
function simPidFile(statePath) {
  return `${statePath}.pid`;
}
__name(simPidFile, "simPidFile");
var PREVIOUS_DAEMON_WAIT_MS = 10 * 6e4;
function isSimDaemon(pid) {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0").includes("--daemon");
  } catch {
    return true;
  }
}
__name(isSimDaemon, "isSimDaemon");
async function waitForPreviousDaemon(statePath, say) {
  const pidFile = simPidFile(statePath);
  if (!existsSync(pidFile)) return;
  const pid = Number(readFileSync(pidFile, "utf8").trim());
  if (!Number.isInteger(pid) || pid <= 0 || !processAlive(pid) || !isSimDaemon(pid)) return;
  say(
    `pve-sim: waiting for the pve-sim of an earlier run (pid ${pid}) to finish the tasks it accepted`
  );
  const deadline = Date.now() + PREVIOUS_DAEMON_WAIT_MS;
  while (processAlive(pid)) {
    if (Date.now() > deadline) {
      throw new ConfigurationError(
        `the pve-sim of an earlier run (pid ${pid}) is still running after ${PREVIOUS_DAEMON_WAIT_MS / 6e4} minutes`,
        `stop it (kill ${pid}) and run again`
      );
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
__name(waitForPreviousDaemon, "waitForPreviousDaemon");
function waitForReady(child, options) {
  return new Promise((resolve, reject) => {
    const onExit = /* @__PURE__ */ __name((code) => {
      const tail = existsSync(options.logFile) ? readFileSync(options.logFile, "utf8").trim().split("\n").slice(-5).join("\n") : "";
      if (/EADDRINUSE/.test(tail)) {
        reject(
          new ConfigurationError(
            `port ${options.port} on 127.0.0.1 is in use (another pve-sim or npm start still running?)`,
            "stop it, or pass --sim-port 0 to pick a free port (the cluster file's endpoint is overridden by the proxmox-url input)"
          )
        );
      } else {
        reject(
          new Error(`pve-sim did not start (exit code ${String(code)})${tail ? `:
${tail}` : ""}`)
        );
      }
    }, "onExit");
    child.once("exit", onExit);
    child.once("message", (message) => {
      child.off("exit", onExit);
      resolve(message);
    });
  });
}
__name(waitForReady, "waitForReady");
async function startSimDaemon(options) {
  await waitForPreviousDaemon(options.statePath, options.say);
  const log = openSync(options.logFile, "a", 384);
  const args = [
    "sim",
    "--daemon",
    "--state",
    options.statePath,
    "--port",
    String(options.port),
    "--time-scale",
    String(options.timeScale),
    "--nodes",
    String(options.nodes),
    ...options.extraArgs ?? []
  ];
  const child = spawn(process.execPath, [...process.execArgv, options.cliEntry, ...args], {
    detached: true,
    stdio: ["ignore", log, log, "ipc"]
  });
  closeSync(log);
  const ready = await waitForReady(child, options);
  const exited = new Promise((resolve) => {
    if (child.exitCode !== null) resolve();
    else child.once("exit", () => resolve());
  });
  return connectSimDaemon(ready, child.pid ?? 0, { child, exited, say: options.say });
}
__name(startSimDaemon, "startSimDaemon");
var ADMIN_CONNECT_TIMEOUT_MS = 6e4;
var ADMIN_ATTEMPTS = 5;
function connectionFailure(error) {
  const cause = error.cause;
  const text = /* @__PURE__ */ __name((e) => e instanceof Error ? `${e.code ?? e.name}: ${e.message}` : String(e), "text");
  return cause ? `${text(error)} (${text(cause)})` : text(error);
}
__name(connectionFailure, "connectionFailure");
function connectSimDaemon(ready, pid, own) {
  const agent = new import_undici.Agent({ connect: { ca: ready.certPem, timeout: ADMIN_CONNECT_TIMEOUT_MS } });
  const send = /* @__PURE__ */ __name((method, path3, body) => (0, import_undici.fetch)(`${ready.url}/_sim/${path3}`, {
    method,
    dispatcher: agent,
    ...body === void 0 ? {} : { body: JSON.stringify(body), headers: { "Content-Type": "application/json" } }
  }), "send");
  const admin = /* @__PURE__ */ __name(async (method, path3, body) => {
    let response;
    for (let attempt = 1; !response; attempt++) {
      try {
        response = await send(method, path3, body);
      } catch (error) {
        if (attempt >= ADMIN_ATTEMPTS)
          throw new Error(
            `pve-sim admin ${method} /_sim/${path3} at ${ready.url}: ${connectionFailure(error)} (after ${ADMIN_ATTEMPTS} attempts)`
          );
        await new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));
      }
    }
    const text = await response.text();
    if (!response.ok)
      throw new Error(`pve-sim admin ${method} /_sim/${path3}: ${response.status} ${text}`);
    return text ? JSON.parse(text) : null;
  }, "admin");
  return {
    url: ready.url,
    fingerprint: ready.fingerprint,
    certPem: ready.certPem,
    pid,
    snapshot: /* @__PURE__ */ __name(() => admin("GET", "state"), "snapshot"),
    ensureRole: /* @__PURE__ */ __name((roleid, privileges) => admin("PUT", "roles", { roleid, privileges }), "ensureRole"),
    ensureToken: /* @__PURE__ */ __name((user, token, role, paths) => admin("PUT", "tokens", { user, token, role, paths }), "ensureToken"),
    ensurePool: /* @__PURE__ */ __name((poolid, comment) => admin("POST", "pools", { poolid, comment }), "ensurePool"),
    requestLog: /* @__PURE__ */ __name(() => admin("GET", "requests"), "requestLog"),
    async close() {
      if (!own) {
        await agent.close();
        return;
      }
      const running = await admin("GET", "running-tasks").catch(() => 0);
      await agent.close();
      if (running > 0)
        own.say(
          `pve-sim: letting ${running} running task${running === 1 ? "" : "s"} finish before it saves and exits`
        );
      if (own.child.connected) own.child.disconnect();
      await own.exited;
    },
    detach() {
      void agent.close();
      if (own?.child.connected) own.child.disconnect();
      own?.child.unref();
    }
  };
}
__name(connectSimDaemon, "connectSimDaemon");

// cli/src/commands/run-sim.ts
var SIM_PROXMOX_MAJOR = 9;
var DEMO_TOKENS = {
  write: { user: "pve-kube@pve", token: "deploy" },
  "read-only": { user: "pve-kube-ro@pve", token: "plan" }
};
async function demoToken(sim, plan, access) {
  const { user, token } = DEMO_TOKENS[access];
  const { role, privileges } = TOKEN_ROLES[access];
  await sim.ensureRole(role, privileges(SIM_PROXMOX_MAJOR));
  const paths = plan ? tokenSetup(privilegeScopeOf(plan, SIM_PROXMOX_MAJOR), access).paths : [];
  return sim.ensureToken(
    user,
    token,
    role,
    access === "read-only" && plan ? [...paths, TOKEN_AUDIT_PATH] : paths
  );
}
__name(demoToken, "demoToken");
async function clusterPlanOf(options) {
  const clusterFile = options.inputs.cluster;
  if (!clusterFile) return void 0;
  try {
    return (await loadClusterConfig(clusterFile, { cwd: options.checkout })).plan;
  } catch {
    return void 0;
  }
}
__name(clusterPlanOf, "clusterPlanOf");
async function prepareSimForDeploy(sim, plan) {
  if (plan?.proxmox.pool)
    await sim.ensurePool(plan.proxmox.pool, `pve-kube cluster ${plan.cluster}`);
  return {
    write: await demoToken(sim, plan, "write"),
    readOnly: await demoToken(sim, plan, "read-only"),
    stateKey: randomBytes(32).toString("hex")
  };
}
__name(prepareSimForDeploy, "prepareSimForDeploy");
function requestKind(method, urlPath) {
  const route = urlPath.replace(/^\/api2\/json/, "").split("?")[0]?.replace(/\/nodes\/[^/]+/, "/nodes/{node}").replace(/\/qemu\/\d+/, "/qemu/{vmid}").replace(/\/storage\/[^/]+/, "/storage/{storage}").replace(/\/tasks\/[^/]+/, "/tasks/{upid}");
  return `${method} ${route ?? urlPath}`;
}
__name(requestKind, "requestKind");
async function startSimForRun(options) {
  const folder = options.folder ?? path.join(options.checkout, ".local-run", "pve-sim");
  await mkdir(folder, { recursive: true, mode: 448 });
  const sim = await startSimDaemon({
    statePath: path.join(folder, "state.json"),
    port: options.port,
    timeScale: options.timeScale,
    nodes: 3,
    logFile: path.join(folder, "pve-sim.log"),
    cliEntry: options.cliEntry,
    say: options.say,
    extraArgs: [
      ...options.faults ? ["--faults", options.faults] : [],
      ...options.seed !== void 0 ? ["--seed", String(options.seed)] : []
    ]
  });
  let prepared;
  try {
    prepared = await prepareSimForDeploy(sim, await clusterPlanOf(options));
  } catch (error) {
    await sim.close();
    throw new Error(`pve-sim did not accept the demo set-up: ${getErrorMessage(error)}`);
  }
  const inputs = { ...options.inputs };
  const fill = /* @__PURE__ */ __name((name, value) => {
    if (options.declaredInputs.has(name) && inputs[name] === void 0) inputs[name] = value;
  }, "fill");
  fill("proxmox-url", sim.url);
  fill("proxmox-fingerprint", sim.fingerprint);
  fill("simulate-customize", "true");
  const secrets = { ...options.secrets };
  const fillSecret = /* @__PURE__ */ __name((name, value) => {
    if (secrets[name] === void 0) secrets[name] = value;
  }, "fillSecret");
  fillSecret("PROXMOX_TOKEN_ID", prepared.write.id);
  fillSecret("PROXMOX_TOKEN_SECRET", prepared.write.secret);
  fillSecret("PROXMOX_READONLY_TOKEN_ID", prepared.readOnly.id);
  fillSecret("PROXMOX_READONLY_TOKEN_SECRET", prepared.readOnly.secret);
  fillSecret("STATE_KEY", prepared.stateKey);
  const env = { ...options.env, XDG_STATE_HOME: path.join(folder, "xdg-state") };
  const startIndex = (await sim.requestLog()).length;
  return {
    sim,
    folder,
    inputs,
    secrets,
    env,
    async changesReport() {
      const changes = (await sim.requestLog()).slice(startIndex).filter((r) => r.mutating);
      const byKind = /* @__PURE__ */ new Map();
      for (const r of changes) {
        const kind = requestKind(r.method, r.path);
        byKind.set(kind, (byKind.get(kind) ?? 0) + 1);
      }
      const kinds = [...byKind.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
      const headline = changes.length === 0 ? "pve-sim: no changes \u2014 0 mutating Proxmox API calls in this run" : `pve-sim: ${changes.length} mutating Proxmox API call${changes.length === 1 ? "" : "s"} in this run`;
      const text = [
        headline,
        ...kinds.map(([kind, n]) => `  ${String(n).padStart(4)} \xD7 ${kind}`)
      ].join("\n");
      const markdown = [
        "## pve-sim",
        `The run talked to the embedded pve-sim at \`${sim.url}\` (state in \`${path.relative(options.checkout, folder)}/\`). ${headline.replace(/^pve-sim: (.)/, (_, c) => c.toUpperCase())}.`,
        kinds.length ? [
          "| Calls | Request |",
          "| ---: | --- |",
          ...kinds.map(([kind, n]) => `| ${n} | \`${kind}\` |`)
        ].join("\n") : ""
      ].filter(Boolean).join("\n\n");
      return { count: changes.length, text, markdown };
    }
  };
}
__name(startSimForRun, "startSimForRun");

// cli/src/commands/run-command.ts
var EVENTS = [
  "workflow_dispatch",
  "workflow_call",
  "push",
  "pull_request",
  "schedule"
];
var USAGE_LINE = "usage: pve-kube run <workflow.yml> [--input k=v]... [--secret k=v | --secret NAME]... [--var k=v]... [--event E] [--job ID] [--report FILE] [--workdir DIR] [--max-parallel N] [--local-run DIR] [--debug] [--sim [--sim-port N] [--sim-time-scale F] [--sim-state DIR] [--sim-faults SPEC] [--sim-seed N]]";
var USAGE = [
  USAGE_LINE,
  "",
  "Runs a workflow here, job by job, with the runner contract of GitHub Actions: this checkout's",
  "JavaScript actions through their built dist/, run: steps with bash, reusable workflows of this",
  "checkout, matrix, needs, if:, outputs, post steps, masks. Nothing is sent to GitHub.",
  "",
  "  --input k=v       a workflow_dispatch / workflow_call input (repeatable)",
  "  --secret k=v      a secret, masked in all output from the start (repeatable)",
  "  --secret NAME     the same, value taken from the environment variable NAME (keeps it out of ps)",
  "  --var k=v         a configuration variable (the vars context)",
  `  --event E         ${EVENTS.join(" | ")} (default: workflow_dispatch if the workflow has it, else workflow_call, ...)`,
  "  --job ID          run only this job and the jobs it needs",
  "  --report FILE     where to write the Markdown report (default <local-run>/<run-id>/report.md)",
  "  --workdir DIR     GITHUB_WORKSPACE (default: the checkout itself; actions/checkout then copies nothing)",
  "  --max-parallel N  jobs running at once (default 2)",
  "  --local-run DIR   where the run keeps its things: a folder per run (log, report), the results",
  "                    service's artifacts and caches, concurrency-group locks, the tool cache and",
  "                    (with --sim) pve-sim's state (default .local-run in the checkout); runs with",
  "                    different folders share none of it, so they can run side by side",
  "  --debug           show ::debug:: lines and set RUNNER_DEBUG=1",
  "  --sim             the embedded demo: run against pve-sim started for this run (state kept in",
  "                    <local-run>/pve-sim/), passing its URL and certificate fingerprint as the",
  "                    proxmox-url / proxmox-fingerprint inputs, two tokens set up as",
  "                    docs/proxmox-client.md does (roles granted on the cluster's pool, storages,",
  "                    nodes and bridge only, never on /) as the PROXMOX_TOKEN_* and",
  "                    PROXMOX_READONLY_TOKEN_* secrets,",
  "                    simulate-customize=true and a fresh STATE_KEY (each only if the workflow declares",
  "                    it and you did not give it); prints the Proxmox changes the run made",
  "  --sim-port N      pve-sim's port (default 8006; 0 picks a free one)",
  "  --sim-time-scale F  pve-sim task durations: 1 = realistic, 0 = instant (default 0.25)",
  "  --sim-state DIR   where pve-sim and the OpenTofu state are kept (default <local-run>/pve-sim)",
  "  --sim-faults SPEC pve-sim injects faults for this run, as `pve-kube sim --faults`: a profile",
  "                    (profile=all | profile=writes) or keys (5xx=0.05,596=0.05,lock=0.1,scope=writes)",
  "  --sim-seed N      seed of pve-sim's fault sequence, as `pve-kube sim --seed` (default 1): the same",
  "                    faults at the same requests, given the same order of requests",
  "",
  "The checkout is the folder holding the workflow's .github/ folder (else the current folder).",
  "Exit code 0 when every job succeeded or was skipped, 1 when a job failed, 130 when cancelled."
].join("\n");
function pairs(values, flag, env, problems, fromEnv = false) {
  const result = {};
  for (const value of values ?? []) {
    const eq = value.indexOf("=");
    if (eq > 0) {
      result[value.slice(0, eq)] = value.slice(eq + 1);
    } else if (fromEnv && eq < 0 && value !== "") {
      const fromEnvironment = env[value];
      if (fromEnvironment === void 0)
        problems.push(
          new ConfigurationError(
            `${flag} ${value}: the environment variable ${value} is not set`,
            `export ${value}=... or pass ${flag} ${value}=<value>`
          )
        );
      else result[value] = fromEnvironment;
    } else {
      problems.push(
        new ConfigurationError(
          `${flag} '${value}' must be name=value${fromEnv ? " (or NAME to read the environment variable)" : ""}`,
          USAGE_LINE
        )
      );
    }
  }
  return result;
}
__name(pairs, "pairs");
function parseRunArgs(args, env = {}) {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      allowPositionals: true,
      options: {
        input: { type: "string", multiple: true },
        secret: { type: "string", multiple: true },
        var: { type: "string", multiple: true },
        event: { type: "string" },
        job: { type: "string" },
        report: { type: "string" },
        workdir: { type: "string" },
        "max-parallel": { type: "string" },
        "local-run": { type: "string" },
        debug: { type: "boolean" },
        sim: { type: "boolean" },
        "sim-port": { type: "string" },
        "sim-time-scale": { type: "string" },
        "sim-state": { type: "string" },
        "sim-faults": { type: "string" },
        "sim-seed": { type: "string" }
      }
    });
  } catch (error) {
    throw new ConfigurationError(error.message, USAGE_LINE);
  }
  const { values, positionals } = parsed;
  const problems = [];
  if (positionals.length !== 1)
    problems.push(
      new ConfigurationError(
        positionals.length === 0 ? "no workflow file given" : `one workflow at a time, got ${positionals.length}`,
        USAGE_LINE
      )
    );
  const event = values.event;
  if (event !== void 0 && !EVENTS.includes(event))
    problems.push(
      new ConfigurationError(
        `--event '${event}' is not supported`,
        `use one of ${EVENTS.join(", ")}`
      )
    );
  let maxParallel;
  if (values["max-parallel"] !== void 0) {
    maxParallel = Number(values["max-parallel"]);
    if (!Number.isInteger(maxParallel) || maxParallel < 1)
      problems.push(
        new ConfigurationError(
          `--max-parallel must be a whole number \u2265 1, got '${values["max-parallel"]}'`
        )
      );
  }
  const simNumber = /* @__PURE__ */ __name((flag, fallback, check, what) => {
    const text = values[flag];
    if (text === void 0) return fallback;
    const n = Number(text);
    if (!check(n))
      problems.push(new ConfigurationError(`--${flag} must be ${what}, got '${text}'`));
    if (!values.sim)
      problems.push(
        new ConfigurationError(
          `--${flag} only applies with --sim`,
          "add --sim, or drop the option"
        )
      );
    return n;
  }, "simNumber");
  const simPort = simNumber(
    "sim-port",
    8006,
    (n) => Number.isInteger(n) && n >= 0 && n < 65536,
    "a port number (0 picks a free one)"
  );
  const simTimeScale = simNumber(
    "sim-time-scale",
    0.25,
    (n) => Number.isFinite(n) && n >= 0,
    "a number \u2265 0"
  );
  const simSeed = values["sim-seed"] === void 0 ? void 0 : simNumber("sim-seed", 1, (n) => Number.isSafeInteger(n) && n >= 0, "a whole number \u2265 0");
  const simFaults = values["sim-faults"];
  if (simFaults !== void 0) {
    try {
      parseFaultSpec(simFaults);
    } catch (error) {
      problems.push(
        new ConfigurationError(
          `--sim-faults: ${error.message}`,
          "e.g. --sim-faults profile=writes (pve-kube sim --help)"
        )
      );
    }
    if (!values.sim)
      problems.push(
        new ConfigurationError(
          "--sim-faults only applies with --sim",
          "add --sim, or drop the option"
        )
      );
  }
  const result = {
    workflow: positionals[0] ?? "",
    inputs: pairs(values.input, "--input", env, problems),
    secrets: pairs(values.secret, "--secret", env, problems, true),
    vars: pairs(values.var, "--var", env, problems),
    event,
    job: values.job,
    report: values.report,
    workdir: values.workdir,
    maxParallel,
    ...values["local-run"] ? { localRun: values["local-run"] } : {},
    debug: values.debug ?? false,
    ...values.sim ? {
      sim: {
        port: simPort,
        timeScale: simTimeScale,
        ...values["sim-state"] ? { stateDir: values["sim-state"] } : {},
        ...simFaults ? { faults: simFaults } : {},
        ...simSeed !== void 0 ? { seed: simSeed } : {}
      }
    } : {}
  };
  if (problems.length === 1 && problems[0]) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  return result;
}
__name(parseRunArgs, "parseRunArgs");
async function runWorkflowCommand(args, io) {
  const parsed = parseRunArgs(args, io.env);
  const workflowFile = path2.resolve(io.cwd, parsed.workflow);
  if (!existsSync2(workflowFile))
    throw new ConfigurationError(
      `workflow file ${parsed.workflow} not found`,
      "give the path of a workflow .yml, e.g. .github/workflows/deploy.yml"
    );
  const { runWorkflow, checkoutOf, killAllStepProcesses, WorkflowCache } = await import("./runner-24VALWZ3.mjs");
  const { startResultsService } = await import("./results-3RDVEVZO.mjs");
  const checkout = checkoutOf(workflowFile, io.cwd);
  const workflows = new WorkflowCache({ checkout });
  const localRun = parsed.localRun ? path2.resolve(io.cwd, parsed.localRun) : path2.join(checkout, ".local-run");
  const simRun = parsed.sim ? await startDemoSim(await workflows.load(workflowFile), checkout, localRun, parsed, io) : void 0;
  const results = await startResultsService({ dataDir: path2.join(localRun, "results") });
  const controller = new AbortController();
  const onForce = /* @__PURE__ */ __name(() => {
    io.stderr.write("\nstopping at once: killing the running steps\n");
    killAllStepProcesses();
    process.exit(130);
  }, "onForce");
  const onSignal = /* @__PURE__ */ __name(() => {
    io.stderr.write(
      "\ncancelling the run (always() and post steps and the report still run; press Ctrl-C again to stop at once)\n"
    );
    process.removeListener("SIGINT", onSignal);
    process.removeListener("SIGTERM", onSignal);
    process.once("SIGINT", onForce);
    process.once("SIGTERM", onForce);
    controller.abort();
  }, "onSignal");
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  try {
    const result = await runWorkflow({
      workflowFile,
      checkout,
      workspace: parsed.workdir ? path2.resolve(io.cwd, parsed.workdir) : void 0,
      localRunDir: localRun,
      event: parsed.event,
      inputs: simRun?.inputs ?? parsed.inputs,
      secrets: simRun?.secrets ?? parsed.secrets,
      vars: parsed.vars,
      job: parsed.job,
      reportFile: parsed.report ? path2.resolve(io.cwd, parsed.report) : void 0,
      maxParallel: parsed.maxParallel,
      debug: parsed.debug,
      workflows,
      out: io.stdout,
      env: simRun?.env ?? io.env,
      signal: controller.signal,
      results
    });
    if (simRun) {
      const changes = await simRun.changesReport();
      io.stdout.write(`${changes.text}
`);
      await appendFile(result.reportFile, `
${changes.markdown}
`);
    }
    return result.conclusion === "success" ? 0 : result.conclusion === "cancelled" ? 130 : 1;
  } finally {
    for (const signal of ["SIGINT", "SIGTERM"]) {
      process.removeListener(signal, onSignal);
      process.removeListener(signal, onForce);
    }
    await results.close();
    await simRun?.sim.close();
  }
}
__name(runWorkflowCommand, "runWorkflowCommand");
async function startDemoSim(workflow, checkout, localRun, parsed, io) {
  const { readTriggers } = await import("./triggers-ZMNUZPRI.mjs");
  const triggers = readTriggers(workflow.root);
  const simRun = await startSimForRun({
    checkout,
    port: parsed.sim?.port ?? 8006,
    timeScale: parsed.sim?.timeScale ?? 0.25,
    folder: parsed.sim?.stateDir ? path2.resolve(io.cwd, parsed.sim.stateDir) : path2.join(localRun, "pve-sim"),
    ...parsed.sim?.faults ? { faults: parsed.sim.faults } : {},
    ...parsed.sim?.seed !== void 0 ? { seed: parsed.sim.seed } : {},
    declaredInputs: new Set(
      [...triggers.dispatchInputs, ...triggers.callInputs].map((i) => i.name)
    ),
    inputs: parsed.inputs,
    secrets: parsed.secrets,
    env: io.env,
    // the entry this process runs from (the bundled CLI); pve-sim's process is started from it
    cliEntry: process.argv[1] ?? "",
    say: /* @__PURE__ */ __name((line) => io.stdout.write(`${line}
`), "say")
  });
  io.stdout.write(
    `pve-sim: ${simRun.sim.url} \xB7 nodes pve1..pve3 \xB7 task time scale ${parsed.sim?.timeScale ?? 0.25}${parsed.sim?.faults ? ` \xB7 faults ${describeFaults(parseFaultSpec(parsed.sim.faults))}${parsed.sim.seed !== void 0 ? `, seed ${parsed.sim.seed}` : ""}` : ""} \xB7 state ${path2.relative(checkout, simRun.folder)}/ (delete it to start over)
`
  );
  return simRun;
}
__name(startDemoSim, "startDemoSim");
var runCommand = {
  name: "run",
  summary: "run a workflow locally, job by job, with the GitHub Actions runner contract",
  usage: USAGE,
  run: runWorkflowCommand
};

export {
  simPidFile,
  startSimDaemon,
  connectSimDaemon,
  seededRandom,
  parseFaultSpec,
  prepareSimForDeploy,
  requestKind,
  parseRunArgs,
  runWorkflowCommand,
  runCommand
};
