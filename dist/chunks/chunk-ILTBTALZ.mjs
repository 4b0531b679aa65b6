import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  closest,
  external_exports
} from "./chunk-OXUWTRXE.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  debug,
  endGroup,
  error,
  getInput,
  info,
  setOutput,
  setSecret,
  startGroup,
  warning
} from "./chunk-4EMYZHSE.mjs";
import {
  __name
} from "./chunk-UUUODAAY.mjs";

// actions/lib/state/seal.ts
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual
} from "node:crypto";
var FORMAT = "pve-kube-sealed-v2";
var KEY_BYTES = 32;
var SALT_BYTES = 16;
var IV_BYTES = 12;
var TAG_BYTES = 16;
var MAKE_KEY = "`openssl rand -base64 32`";
function base64OfLength(bytes) {
  return external_exports.string().refine(
    (s) => /^[A-Za-z0-9+/]*={0,2}$/.test(s) && Buffer.from(s, "base64").length === bytes && Buffer.from(s, "base64").toString("base64") === s,
    { error: `must be base64 of exactly ${bytes} bytes` }
  );
}
__name(base64OfLength, "base64OfLength");
var sealedValueSchema = external_exports.object({
  $sealed: external_exports.literal(FORMAT),
  salt: base64OfLength(SALT_BYTES),
  iv: base64OfLength(IV_BYTES),
  tag: base64OfLength(TAG_BYTES),
  data: external_exports.string().regex(/^[A-Za-z0-9+/]*={0,2}$/)
}).strict();
function stateKeyBytes(stateKey) {
  if (!stateKey) {
    throw new ConfigurationError(
      "the state-key secret is not set",
      `create a repository or environment secret STATE_KEY holding 32 random bytes (make one with ${MAKE_KEY}) and pass it as \`state-key\``
    );
  }
  const text = stateKey.trim();
  const bytes = /^[0-9a-fA-F]+$/.test(text) ? Buffer.from(text, "hex") : /^[A-Za-z0-9+/_-]+={0,2}$/.test(text) ? Buffer.from(text, text.includes("-") || text.includes("_") ? "base64url" : "base64") : void 0;
  if (!bytes) {
    throw new ConfigurationError(
      "the state-key secret is neither base64 nor hex",
      `set STATE_KEY to 32 random bytes in base64 (${MAKE_KEY}) or hex (\`openssl rand -hex 32\`)`
    );
  }
  if (bytes.length < KEY_BYTES) {
    throw new ConfigurationError(
      `the state-key secret holds ${bytes.length} bytes, fewer than ${KEY_BYTES}`,
      `set STATE_KEY to 32 random bytes: ${MAKE_KEY}`
    );
  }
  if (new Set(bytes).size < 16) {
    throw new ConfigurationError(
      "the state-key secret does not look random (too few distinct bytes)",
      `set STATE_KEY to 32 random bytes: ${MAKE_KEY}`
    );
  }
  return bytes;
}
__name(stateKeyBytes, "stateKeyBytes");
function assertUsableStateKey(stateKey) {
  stateKeyBytes(stateKey);
}
__name(assertUsableStateKey, "assertUsableStateKey");
function deriveKey(stateKey, salt) {
  return Buffer.from(hkdfSync("sha256", stateKeyBytes(stateKey), salt, "pve-kube state v2", 32));
}
__name(deriveKey, "deriveKey");
function sealBytes(plain, stateKey, context) {
  const salt = randomBytes(SALT_BYTES);
  const iv = randomBytes(IV_BYTES);
  const cipher = createCipheriv("aes-256-gcm", deriveKey(stateKey, salt), iv, {
    authTagLength: TAG_BYTES
  });
  cipher.setAAD(Buffer.from(context, "utf8"));
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return {
    $sealed: FORMAT,
    salt: salt.toString("base64"),
    iv: iv.toString("base64"),
    tag: cipher.getAuthTag().toString("base64"),
    data: data.toString("base64")
  };
}
__name(sealBytes, "sealBytes");
function openBytes(sealed, stateKey, context) {
  const key = stateKeyBytes(stateKey);
  const refused = new ConfigurationError(
    `cannot open the sealed value '${context}': the state-key is not the one it was sealed with, or the state was modified`,
    "use the same state-key secret as the run that wrote this state, or re-run the phase that produced it"
  );
  if (!sealedValueSchema.safeParse(sealed).success) throw refused;
  const salt = Buffer.from(sealed.salt, "base64");
  const decipher = createDecipheriv(
    "aes-256-gcm",
    Buffer.from(hkdfSync("sha256", key, salt, "pve-kube state v2", 32)),
    Buffer.from(sealed.iv, "base64"),
    { authTagLength: TAG_BYTES }
  );
  decipher.setAAD(Buffer.from(context, "utf8"));
  decipher.setAuthTag(Buffer.from(sealed.tag, "base64"));
  try {
    return Buffer.concat([decipher.update(Buffer.from(sealed.data, "base64")), decipher.final()]);
  } catch {
    throw refused;
  }
}
__name(openBytes, "openBytes");
function sealSecret(value, stateKey, context) {
  return sealBytes(Buffer.from(value, "utf8"), stateKey, context);
}
__name(sealSecret, "sealSecret");
function openSecret(sealed, stateKey, context) {
  return openBytes(sealed, stateKey, context).toString("utf8");
}
__name(openSecret, "openSecret");
function stateMac(message, stateKey, purpose) {
  const key = Buffer.from(
    hkdfSync("sha256", stateKeyBytes(stateKey), Buffer.alloc(0), `pve-kube mac v1 ${purpose}`, 32)
  );
  return createHmac("sha256", key).update(message).digest("hex");
}
__name(stateMac, "stateMac");
function verifyStateMac(message, mac, stateKey, purpose) {
  const expected = Buffer.from(stateMac(message, stateKey, purpose), "hex");
  const given = Buffer.from(/^[0-9a-f]{64}$/.test(mac) ? mac : "", "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
__name(verifyStateMac, "verifyStateMac");

// actions/lib/state/phases.ts
var PHASES = [
  "preflight",
  "build-template",
  "tofu-provision",
  "kubeadm-bootstrap",
  "install-cilium",
  "deploy-services",
  "verify"
];
var AVAILABLE_PHASES = [
  "preflight",
  "build-template",
  "tofu-provision",
  "kubeadm-bootstrap",
  "install-cilium",
  "deploy-services",
  "verify"
];
var inventoryVm = external_exports.object({
  name: external_exports.string(),
  vmid: external_exports.number().int(),
  node: external_exports.string(),
  role: external_exports.enum(["control-plane", "worker"]),
  pool: external_exports.string().optional(),
  ip: external_exports.string()
}).strict();
var retryRecordSchema = external_exports.object({
  step: external_exports.string().optional(),
  attempt: external_exports.number(),
  reason: external_exports.string(),
  error: external_exports.string(),
  costMs: external_exports.number()
}).strict();
var phaseOutputSchemas = {
  preflight: external_exports.object({
    proxmoxVersion: external_exports.string(),
    checks: external_exports.array(
      external_exports.object({
        check: external_exports.string(),
        result: external_exports.enum(["pass", "warn", "fail", "skipped"]),
        detail: external_exports.string()
      }).strict()
    )
  }).strict(),
  "build-template": external_exports.object({
    templateVmid: external_exports.number().int(),
    node: external_exports.string(),
    fingerprint: external_exports.string(),
    built: external_exports.boolean(),
    simulatedSteps: external_exports.array(external_exports.string())
  }).strict(),
  "tofu-provision": external_exports.object({
    inventory: external_exports.array(inventoryVm),
    planSha256: external_exports.string().optional(),
    applied: external_exports.boolean(),
    counts: external_exports.object({ create: external_exports.number(), update: external_exports.number(), replace: external_exports.number(), delete: external_exports.number() }).strict(),
    /** plans and applies retried within the run after transient failures (actions/lib/retry) */
    retries: external_exports.array(retryRecordSchema).optional()
  }).strict(),
  "kubeadm-bootstrap": external_exports.object({
    mode: external_exports.enum(["apply", "plan", "prepare-removals"]),
    kubernetesVersion: external_exports.string(),
    controlPlaneEndpoint: external_exports.string(),
    endpointProvider: external_exports.enum(["kube-vip", "keepalived"]),
    nodeProfile: external_exports.enum(["production", "lab-nspawn"]),
    /** sealed admin kubeconfig (apply mode; absent when this run did not reach the cluster) */
    kubeconfig: sealedValueSchema.optional(),
    joinMaterial: sealedValueSchema.optional(),
    /** the SSH host keys pinned in this run (public; later jobs pin the same keys) */
    knownHosts: external_exports.string(),
    /** kubeadm's own time on the critical path vs the phase's wall time (runs that init or join) */
    criticalPath: external_exports.object({
      initSeconds: external_exports.number(),
      controlPlaneJoinSeconds: external_exports.array(external_exports.number()),
      slowestWorkerJoinSeconds: external_exports.number(),
      totalSeconds: external_exports.number(),
      phaseSeconds: external_exports.number(),
      ratio: external_exports.number()
    }).strict().optional(),
    plan: external_exports.record(external_exports.string(), external_exports.unknown()),
    /** site.yml runs retried within the run after transient failures (actions/lib/kubeadm/retry.ts) */
    retries: external_exports.array(retryRecordSchema).optional(),
    nodes: external_exports.array(external_exports.object({ name: external_exports.string(), role: external_exports.string(), action: external_exports.string() }).strict()),
    recap: external_exports.array(
      external_exports.object({
        host: external_exports.string(),
        ok: external_exports.number(),
        changed: external_exports.number(),
        unreachable: external_exports.number(),
        failed: external_exports.number(),
        skipped: external_exports.number(),
        seconds: external_exports.number()
      }).strict()
    )
  }).strict(),
  "install-cilium": external_exports.object({
    mode: external_exports.enum(["apply", "plan"]),
    release: external_exports.string(),
    /** the chart repository and name, or the local chart path */
    chart: external_exports.string(),
    version: external_exports.string(),
    /** sha256 (16 hex) of the merged values' canonical JSON: equal hashes, no upgrade */
    valuesHash: external_exports.string(),
    action: external_exports.enum(["install", "upgrade", "none", "unknown"]),
    changed: external_exports.boolean(),
    revision: external_exports.number().int().optional(),
    nodeProfile: external_exports.enum(["production", "lab-nspawn"]),
    waitSeconds: external_exports.number().optional(),
    /** the merged values handed to Helm (no secrets: cluster.yaml and manifests only) */
    values: external_exports.record(external_exports.string(), external_exports.unknown()).optional()
  }).strict(),
  "deploy-services": external_exports.object({
    mode: external_exports.enum(["apply", "plan"]),
    /** apply: something was installed, upgraded, created or labelled; plan: something would be */
    changed: external_exports.boolean(),
    releases: external_exports.array(
      external_exports.object({
        id: external_exports.string(),
        name: external_exports.string(),
        namespace: external_exports.string(),
        chart: external_exports.string(),
        version: external_exports.string(),
        /** sha256 (16 hex) of the merged values' canonical JSON (no secrets: those are Secrets) */
        valuesHash: external_exports.string(),
        action: external_exports.enum(["install", "upgrade", "none", "unknown"]),
        changed: external_exports.boolean(),
        revision: external_exports.number().int().optional(),
        status: external_exports.enum(["ready", "not ready", "planned"])
      }).strict()
    ),
    objects: external_exports.array(
      external_exports.object({
        id: external_exports.string(),
        names: external_exports.array(external_exports.string()),
        action: external_exports.enum(["change", "none", "unknown"])
      }).strict()
    ),
    nodeLabels: external_exports.array(external_exports.object({ node: external_exports.string(), labels: external_exports.record(external_exports.string(), external_exports.string()) }).strict()).optional()
  }).strict(),
  verify: external_exports.object({
    checks: external_exports.array(
      external_exports.object({ check: external_exports.string(), ok: external_exports.boolean(), detail: external_exports.string() }).strict()
    )
  }).strict()
};

// actions/lib/state/phase-state.ts
var PHASE_STATE_VERSION = 1;
var timingSchema = external_exports.object({
  step: external_exports.string(),
  ms: external_exports.number().nonnegative(),
  /** the step did not run for real (embedded demo only); summaries must say so */
  simulated: external_exports.boolean().optional()
}).strict();
var envelopeSchema = external_exports.object({
  kind: external_exports.literal("pve-kube/phase-state"),
  version: external_exports.number().int(),
  cluster: external_exports.string(),
  clusterUid: external_exports.string(),
  phase: external_exports.enum(PHASES),
  status: external_exports.enum(["succeeded", "failed"]),
  startedAt: external_exports.string(),
  finishedAt: external_exports.string(),
  runId: external_exports.string().optional(),
  timings: external_exports.array(timingSchema),
  outputs: external_exports.unknown(),
  /** HMAC-SHA256 of every other field under the state-key (phases that hold the key) */
  mac: external_exports.string().regex(/^[0-9a-f]{64}$/).optional()
}).strict();
function phaseArtifactName(cluster, phase) {
  return `pve-kube-${cluster}-${phase}`;
}
__name(phaseArtifactName, "phaseArtifactName");
function createPhaseState(fields) {
  const state = { kind: "pve-kube/phase-state", version: PHASE_STATE_VERSION, ...fields };
  return parsePhaseState(JSON.stringify(state), fields.phase, "new state");
}
__name(createPhaseState, "createPhaseState");
function finishedPhaseState(plan, env, fields) {
  return createPhaseState({
    cluster: plan.cluster,
    clusterUid: plan.uid,
    finishedAt: (/* @__PURE__ */ new Date()).toISOString(),
    ...env.GITHUB_RUN_ID ? { runId: env.GITHUB_RUN_ID } : {},
    ...fields
  });
}
__name(finishedPhaseState, "finishedPhaseState");
function parsePhaseState(json, phase, source) {
  let raw;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigurationError(
      `${source} is not valid JSON`,
      `re-run the ${phase} phase to write it again`
    );
  }
  const version = raw?.version;
  if (typeof version === "number" && version > PHASE_STATE_VERSION) {
    throw new ConfigurationError(
      `${source} has state version ${version}, newer than this pve-kube understands (${PHASE_STATE_VERSION})`,
      "use the same or a newer pve-kube version for every job of the workflow"
    );
  }
  const envelope = envelopeSchema.safeParse(raw);
  if (!envelope.success) throw invalid(source, phase, envelope.error);
  if (envelope.data.phase !== phase) {
    throw new ConfigurationError(
      `${source} holds the state of phase '${envelope.data.phase}', not '${phase}'`,
      "check the artifact name"
    );
  }
  const outputs = phaseOutputSchemas[phase].safeParse(envelope.data.outputs);
  if (!outputs.success) throw invalid(source, phase, outputs.error);
  return { ...envelope.data, phase, outputs: outputs.data };
}
__name(parsePhaseState, "parsePhaseState");
function invalid(source, phase, error2) {
  const first = error2.issues[0];
  const where = first ? `${first.path.map(String).join(".") || "(root)"}: ${first.message}` : "invalid";
  return new ConfigurationError(
    `${source} is not a valid ${phase} state (${where})`,
    `re-run the ${phase} phase to write it again`
  );
}
__name(invalid, "invalid");
var StepTimer = class {
  static {
    __name(this, "StepTimer");
  }
  timings = [];
  async time(step, fn, options = {}) {
    const start = performance.now();
    try {
      return await fn();
    } finally {
      this.timings.push({
        step,
        ms: Math.round(performance.now() - start),
        ...options.simulated ? { simulated: true } : {}
      });
    }
  }
};
function canonicalJson(value) {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value && typeof value === "object") {
    const entries = Object.entries(value).filter(([, v]) => v !== void 0).sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0);
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(",")}}`;
  }
  return JSON.stringify(value);
}
__name(canonicalJson, "canonicalJson");
var MAC_PURPOSE = "phase-state";
function macInput(state) {
  const { mac: _mac, ...rest } = state;
  return canonicalJson(rest);
}
__name(macInput, "macInput");
function signPhaseState(state, stateKey) {
  return { ...state, mac: stateMac(macInput(state), stateKey, MAC_PURPOSE) };
}
__name(signPhaseState, "signPhaseState");
function assertPhaseStateTrusted(state, expect, source) {
  const rerun = `re-run the ${state.phase} job of this run`;
  if (expect.clusterUid && state.clusterUid !== expect.clusterUid) {
    throw new ConfigurationError(
      `${source} belongs to cluster uid ${state.clusterUid}, not ${expect.clusterUid} (this cluster.yaml)`,
      rerun
    );
  }
  if (expect.runId && state.runId !== expect.runId) {
    throw new ConfigurationError(
      `${source} was written by run ${state.runId ?? "(none)"}, not this run (${expect.runId})`,
      rerun
    );
  }
  if (expect.stateKey) {
    if (!state.mac) {
      throw new ConfigurationError(
        `${source} carries no MAC: it was written without the state-key`,
        `pass the state-key secret to the ${state.phase} job too, and ${rerun}`
      );
    }
    if (!verifyStateMac(macInput(state), state.mac, expect.stateKey, MAC_PURPOSE)) {
      throw new ConfigurationError(
        `${source} does not match its MAC: it was modified, or written under another state-key`,
        `use the same state-key secret in every job, and ${rerun}`
      );
    }
  }
}
__name(assertPhaseStateTrusted, "assertPhaseStateTrusted");

// actions/lib/state/phase-state-artifacts.ts
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
function defaultArtifactStore() {
  let client;
  const load = /* @__PURE__ */ __name(() => client ??= import("./artifact-64V6I3HK.mjs").then((m) => new m.DefaultArtifactClient()), "load");
  return {
    uploadArtifact: /* @__PURE__ */ __name(async (name, files, rootDirectory, options) => (await load()).uploadArtifact(name, files, rootDirectory, options), "uploadArtifact"),
    getArtifact: /* @__PURE__ */ __name(async (name) => (await load()).getArtifact(name), "getArtifact"),
    downloadArtifact: /* @__PURE__ */ __name(async (id, options) => (await load()).downloadArtifact(id, options), "downloadArtifact"),
    deleteArtifact: /* @__PURE__ */ __name(async (name) => (await load()).deleteArtifact(name), "deleteArtifact")
  };
}
__name(defaultArtifactStore, "defaultArtifactStore");
var STATE_FILE = "state.json";
var STATE_RETENTION_DAYS = 30;
function isArtifactNotFound(error2) {
  return error2 instanceof Error && (error2.name === "ArtifactNotFoundError" || /not found/i.test(error2.message));
}
__name(isArtifactNotFound, "isArtifactNotFound");
async function uploadPhaseState(unsigned, store, logger, options = {}) {
  const state = options.stateKey ? signPhaseState(unsigned, options.stateKey) : unsigned;
  const tmpRoot = options.tmpRoot ?? os.tmpdir();
  const name = phaseArtifactName(state.cluster, state.phase);
  const dir = await mkdtemp(path.join(tmpRoot, "pve-kube-state-"));
  try {
    await writeFile(path.join(dir, STATE_FILE), `${JSON.stringify(state, null, 2)}
`, {
      mode: 384
    });
    try {
      await store.getArtifact(name);
      logger.info(`replacing the earlier ${name} artifact of this run`);
      await store.deleteArtifact(name);
    } catch (error2) {
      if (!isArtifactNotFound(error2)) throw error2;
    }
    await store.uploadArtifact(name, [path.join(dir, STATE_FILE)], dir, {
      retentionDays: STATE_RETENTION_DAYS
    });
    logger.info(`state uploaded as artifact ${name}`);
    return name;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
__name(uploadPhaseState, "uploadPhaseState");
async function downloadPhaseState(cluster, phase, store, options = {}) {
  const tmpRoot = options.tmpRoot ?? os.tmpdir();
  const name = phaseArtifactName(cluster, phase);
  let id;
  try {
    id = (await store.getArtifact(name)).artifact.id;
  } catch (error2) {
    if (isArtifactNotFound(error2)) {
      throw new ConfigurationError(
        `no state of phase '${phase}' for cluster '${cluster}' (artifact ${name} not found in this run)`,
        `run the '${phase}' job first (add it to \`needs:\`), or include it in the phases to run`
      );
    }
    throw new Error(`could not look up artifact ${name}: ${getErrorMessage(error2)}`);
  }
  const dir = await mkdtemp(path.join(tmpRoot, "pve-kube-state-"));
  try {
    await mkdir(dir, { recursive: true });
    const result = await store.downloadArtifact(id, { path: dir });
    const json = await readFile(path.join(result.downloadPath ?? dir, STATE_FILE), "utf8");
    const state = parsePhaseState(json, phase, `artifact ${name}`);
    assertPhaseStateTrusted(state, options.expect ?? {}, `artifact ${name}`);
    return state;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
__name(downloadPhaseState, "downloadPhaseState");

// actions/lib/state/selection.ts
function parsePhaseSelection(text, field = "phases") {
  const words = text.split(/[\s,]+/).map((w) => w.trim()).filter(Boolean);
  if (words.length === 0 || words.length === 1 && words[0]?.toLowerCase() === "all")
    return [...AVAILABLE_PHASES];
  const problems = [];
  const chosen = /* @__PURE__ */ new Set(["preflight"]);
  for (const word of words) {
    const phase = PHASES.find((p) => p === word.toLowerCase());
    if (!phase) {
      const guess = closest(word, [...PHASES, "all"]);
      problems.push(`'${word}' is not a phase${guess ? ` (did you mean '${guess}'?)` : ""}`);
    } else if (!AVAILABLE_PHASES.includes(phase)) {
      problems.push(`'${phase}' is not part of this pve-kube version yet`);
    } else {
      chosen.add(phase);
    }
  }
  if (problems.length > 0) {
    throw new ConfigurationError(
      `${field}: ${problems.join("; ")}`,
      `use 'all' or a comma-separated list of ${AVAILABLE_PHASES.join(", ")}`
    );
  }
  return AVAILABLE_PHASES.filter((p) => chosen.has(p));
}
__name(parsePhaseSelection, "parsePhaseSelection");

// actions/lib/report/summary.ts
import { appendFile } from "node:fs/promises";
async function appendJobSummary(markdown, logger, env = process.env) {
  const file = env.GITHUB_STEP_SUMMARY;
  if (!file) {
    logger.debug("no GITHUB_STEP_SUMMARY file: job summary skipped");
    return;
  }
  try {
    await appendFile(file, `${markdown.trimEnd()}

`, "utf8");
  } catch (error2) {
    logger.warning(`could not write the job summary: ${getErrorMessage(error2)}`);
  }
}
__name(appendJobSummary, "appendJobSummary");

// actions/lib/state/finish-phase.ts
async function finishPhase(finish) {
  const { logger, state } = finish;
  await appendJobSummary(finish.summary, logger, finish.env);
  const name = phaseArtifactName(finish.plan.cluster, state.phase);
  if (finish.noUploadBecause) {
    logger.info(`${state.phase} state not uploaded: ${finish.noUploadBecause}`);
    return name;
  }
  if (!finish.artifactStore) {
    logger.info(`no artifact service in this environment: ${state.phase} state not uploaded`);
    return name;
  }
  try {
    return await uploadPhaseState(
      finishedPhaseState(finish.plan, finish.env, state),
      finish.artifactStore,
      logger,
      { stateKey: finish.stateKey }
    );
  } catch (error2) {
    if (!finish.uploadFailureIsWarning) throw error2;
    logger.warning(`could not upload the ${state.phase} state: ${getErrorMessage(error2)}`);
    return name;
  }
}
__name(finishPhase, "finishPhase");

// actions/lib/logger.ts
var actionsLogger = {
  debug: /* @__PURE__ */ __name((m) => debug(m), "debug"),
  info: /* @__PURE__ */ __name((m) => info(m), "info"),
  warning: /* @__PURE__ */ __name((m) => warning(m), "warning"),
  error: /* @__PURE__ */ __name((m) => error(m), "error"),
  async group(name, fn) {
    startGroup(name);
    try {
      return await fn();
    } finally {
      endGroup();
    }
  }
};

// actions/lib/action-deps.ts
function actionDeps(env = process.env) {
  return {
    env,
    logger: actionsLogger,
    setOutput: /* @__PURE__ */ __name((name, value) => setOutput(name, value), "setOutput"),
    maskSecret: /* @__PURE__ */ __name((secret) => setSecret(secret), "maskSecret"),
    ...env.ACTIONS_RUNTIME_TOKEN ? { artifactStore: defaultArtifactStore() } : {}
  };
}
__name(actionDeps, "actionDeps");

// actions/lib/inputs.ts
function readInputs(schema, read = (n) => getInput(n)) {
  const raw = {};
  for (const name of Object.keys(schema.shape)) {
    const value = read(name);
    raw[name] = value === "" ? void 0 : value;
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => {
      const name = issue.path.map(String).join(".");
      return `input '${name}': ${issue.message}`;
    });
    throw new ConfigurationError(
      problems.join("; "),
      "set the input in the step's `with:` block to a valid value"
    );
  }
  return parsed.data;
}
__name(readInputs, "readInputs");
var inputFromEnv = /* @__PURE__ */ __name((env) => (name) => (env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] ?? "").trim(), "inputFromEnv");
var proxmoxConnectionInputs = {
  "proxmox-url": external_exports.string().optional(),
  "proxmox-fingerprint": external_exports.string().optional(),
  "proxmox-token-id": external_exports.string().optional(),
  "proxmox-token-secret": external_exports.string().optional()
};
var booleanInput = /* @__PURE__ */ __name((defaultValue) => external_exports.string().optional().transform((value, ctx) => {
  if (value === void 0) return defaultValue;
  const lower = value.trim().toLowerCase();
  if (lower === "true") return true;
  if (lower === "false") return false;
  ctx.addIssue({ code: "custom", message: `expected true or false, got '${value}'` });
  return external_exports.NEVER;
}), "booleanInput");
var integerInput = /* @__PURE__ */ __name((defaultValue, min = 0) => external_exports.string().optional().transform((value, ctx) => {
  if (value === void 0) return defaultValue;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    ctx.addIssue({
      code: "custom",
      message: `expected a whole number \u2265 ${min}, got '${value}'`
    });
    return external_exports.NEVER;
  }
  return n;
}), "integerInput");
var listInput = /* @__PURE__ */ __name(() => external_exports.string().optional().transform(
  (value) => (value ?? "").split(/[\n,]/).map((s) => s.trim()).filter((s) => s.length > 0)
), "listInput");

export {
  sealedValueSchema,
  assertUsableStateKey,
  sealBytes,
  openBytes,
  sealSecret,
  openSecret,
  stateMac,
  verifyStateMac,
  PHASES,
  AVAILABLE_PHASES,
  phaseArtifactName,
  finishedPhaseState,
  StepTimer,
  canonicalJson,
  isArtifactNotFound,
  uploadPhaseState,
  downloadPhaseState,
  parsePhaseSelection,
  appendJobSummary,
  finishPhase,
  actionDeps,
  readInputs,
  inputFromEnv,
  proxmoxConnectionInputs,
  booleanInput,
  integerInput,
  listInput
};
