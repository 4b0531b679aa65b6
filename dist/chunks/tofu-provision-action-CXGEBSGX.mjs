import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  writePlanSummaryFile
} from "./chunk-MHG2BPSX.mjs";
import {
  parseInventory
} from "./chunk-VR4CWV37.mjs";
import {
  assertNoConflicts,
  lockedRemovalsError,
  reconcileDecisions,
  rootCleanupCommand,
  vmAddress,
  vmImportId
} from "./chunk-INEIXNJH.mjs";
import {
  FINGERPRINT_MISMATCH,
  FingerprintMismatchError,
  ProxmoxApiError,
  TASK_TIMEOUTS_MS,
  backoffDelay,
  connectionForCluster,
  connectionInputsOf,
  createProxmoxClient,
  createTlsDispatcher,
  defaultRetryPolicy,
  destroyVm,
  findVm,
  isTransient,
  listVms,
  parseUpid,
  resolveConnection,
  splitTags,
  tlsMode,
  vmConfig
} from "./chunk-EOWCMVVJ.mjs";
import "./chunk-AOOLGRGL.mjs";
import {
  require_undici
} from "./chunk-N6HR45QX.mjs";
import {
  formatDuration,
  table
} from "./chunk-47EJWNSM.mjs";
import {
  jitteredBackoff,
  tofuTransientReason
} from "./chunk-EYVQVAPV.mjs";
import {
  retryWithinRun
} from "./chunk-QHJEDYHR.mjs";
import {
  runTool
} from "./chunk-XERDAEEQ.mjs";
import {
  StepTimer,
  actionDeps,
  appendJobSummary,
  assertUsableStateKey,
  booleanInput,
  downloadPhaseState,
  finishPhase,
  inputFromEnv,
  isArtifactNotFound,
  listInput,
  openBytes,
  proxmoxConnectionInputs,
  readInputs,
  sealBytes,
  sealedValueSchema
} from "./chunk-ILTBTALZ.mjs";
import {
  external_exports,
  loadClusterConfig,
  versions
} from "./chunk-OXUWTRXE.mjs";
import "./chunk-4BVVZQQR.mjs";
import {
  ConfigurationError,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/lib/checkout-folder.ts
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
function checkoutFolder(moduleUrl, folder, marker) {
  let dir = path.dirname(fileURLToPath(moduleUrl));
  for (; ; ) {
    if (existsSync(path.join(dir, folder, marker))) return path.join(dir, folder);
    const parent = path.dirname(dir);
    if (parent === dir) {
      throw new Error(`cannot find pve-kube's ${folder}/ (with ${marker}) above ${moduleUrl}`);
    }
    dir = parent;
  }
}
__name(checkoutFolder, "checkoutFolder");

// actions/lib/tofu/plugin-cache.ts
import { createHash as createHash2 } from "node:crypto";

// actions/lib/tofu/install.ts
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { access, constants, copyFile, rm } from "node:fs/promises";
import os from "node:os";
import path3 from "node:path";

// actions/lib/tofu/tool-env.ts
import { writeFile } from "node:fs/promises";
import path2 from "node:path";
var DEBUG_LOG_VARS = ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"];
var INHERITED = /* @__PURE__ */ new Set([
  "PATH",
  "HOME",
  "USER",
  "LOGNAME",
  "LANG",
  "LANGUAGE",
  "TZ",
  "TMPDIR",
  "SSL_CERT_FILE",
  "SSL_CERT_DIR",
  "HTTP_PROXY",
  "HTTPS_PROXY",
  "NO_PROXY",
  "http_proxy",
  "https_proxy",
  "no_proxy"
]);
var inherited = /* @__PURE__ */ __name((name) => INHERITED.has(name) || name.startsWith("LC_"), "inherited");
function tofuProcessEnv(env, explicit = {}) {
  const out = {};
  for (const [name, value] of Object.entries(env))
    if (value !== void 0 && inherited(name)) out[name] = value;
  Object.assign(out, explicit, { TF_IN_AUTOMATION: "1", TF_INPUT: "0" });
  const dropped = DEBUG_LOG_VARS.filter((name) => env[name] || explicit[name]);
  for (const name of DEBUG_LOG_VARS) delete out[name];
  return { env: out, dropped };
}
__name(tofuProcessEnv, "tofuProcessEnv");
function cliConfigText(options) {
  if (!options.providerMirror)
    return "# pve-kube: no provider mirror; providers come from the registry\n";
  return [
    "# written by pve-kube tofu-provision for this run",
    "provider_installation {",
    "  filesystem_mirror {",
    `    path = ${JSON.stringify(options.providerMirror)}`,
    "  }",
    "}",
    ""
  ].join("\n");
}
__name(cliConfigText, "cliConfigText");
async function writeCliConfig(dir, options) {
  const file = path2.join(dir, "pve-kube.tofurc");
  await writeFile(file, cliConfigText(options), { mode: 384 });
  return file;
}
__name(writeCliConfig, "writeCliConfig");

// actions/lib/tofu/args.ts
var COMMON = ["-input=false", "-no-color"];
function tofuArgs(cmd) {
  switch (cmd.command) {
    case "init":
      return [
        "init",
        ...COMMON,
        // the working copy may remember another backend from an earlier run: never migrate state
        "-reconfigure",
        // the committed lock file decides which provider builds are acceptable; never rewrite it
        ...cmd.lockfileReadonly ? ["-lockfile=readonly"] : [],
        ...(cmd.backendConfig ?? []).map((entry) => `-backend-config=${entry}`),
        // OpenTofu evaluates variables early (backend/encryption blocks may use them)
        ...cmd.varFile ? [`-var-file=${cmd.varFile}`] : []
      ];
    case "plan":
      return [
        "plan",
        ...COMMON,
        // exit code 2 = changes present, 0 = none: the caller needs no text parsing
        "-detailed-exitcode",
        ...cmd.destroy ? ["-destroy"] : [],
        ...cmd.refresh === false ? ["-refresh=false"] : [],
        ...cmd.refreshOnly ? ["-refresh-only"] : [],
        ...(cmd.replace ?? []).map((address) => `-replace=${address}`),
        ...lockAndParallelism(cmd),
        `-var-file=${cmd.varFile}`,
        `-out=${cmd.out}`
      ];
    case "apply":
      return ["apply", ...COMMON, ...lockAndParallelism(cmd), cmd.planFile];
    case "show":
      return ["show", "-json", "-no-color", ...cmd.planFile ? [cmd.planFile] : []];
    case "output":
      return ["output", "-json", "-no-color", ...cmd.name ? [cmd.name] : []];
    case "import":
      return [
        "import",
        ...COMMON,
        ...lockAndParallelism(cmd),
        `-var-file=${cmd.varFile}`,
        cmd.address,
        cmd.id
      ];
    case "state-pull":
      return ["state", "pull"];
    case "state-push":
      return ["state", "push", ...lockAndParallelism(cmd), cmd.file];
    case "version":
      return ["version", "-json"];
  }
}
__name(tofuArgs, "tofuArgs");
function lockAndParallelism(cmd) {
  return [
    ...cmd.lockTimeout ? [`-lock-timeout=${cmd.lockTimeout}`] : [],
    ...cmd.parallelism ? [`-parallelism=${cmd.parallelism}`] : []
  ];
}
__name(lockAndParallelism, "lockAndParallelism");

// actions/lib/tofu/install.ts
var TOOL_CACHE_NAME = "opentofu";
var RELEASES = "https://github.com/opentofu/opentofu/releases/download";
function goPlatform(platform = process.platform, arch = process.arch) {
  const goArch = { x64: "amd64", arm64: "arm64", arm: "arm", ia32: "386" };
  const goOs = {
    linux: "linux",
    darwin: "darwin",
    win32: "windows",
    freebsd: "freebsd"
  };
  return { os: goOs[platform] ?? platform, arch: goArch[arch] ?? arch };
}
__name(goPlatform, "goPlatform");
function releaseFileNames(version, platform = goPlatform()) {
  return {
    archive: `tofu_${version}_${platform.os}_${platform.arch}.tar.gz`,
    sums: `tofu_${version}_SHA256SUMS`
  };
}
__name(releaseFileNames, "releaseFileNames");
var CACHED_ARCHIVE = "release.tar.gz";
var loadToolCache = /* @__PURE__ */ __name(() => import("./tool-cache-7V3T7Z2F.mjs"), "loadToolCache");
async function locateTofu(options) {
  const { binary, logger } = options;
  if (options.toolPath) {
    const version = await toolVersion(options.toolPath, logger, options.env);
    assertVersion(binary, version, options.version, `the tofu-path input (${options.toolPath})`);
    return { binary, path: options.toolPath, version, source: "input" };
  }
  if (binary === "tofu" && (options.env ?? process.env).RUNNER_TOOL_CACHE) {
    const tc = await loadToolCache();
    const dir = tc.find(TOOL_CACHE_NAME, options.version);
    if (dir) {
      await verifyCachedTofu(dir, options);
      return {
        binary,
        path: path3.join(dir, "tofu"),
        version: options.version,
        source: "tool-cache"
      };
    }
  }
  const onPath = await whichIn(options.env ?? process.env, binary);
  if (onPath) {
    const version = await toolVersion(onPath, logger, options.env);
    if (binary === "terraform" || version === options.version)
      return { binary, path: onPath, version, source: "PATH" };
    logger.info(`${onPath} is OpenTofu ${version}, not the pinned ${options.version}: not used`);
  }
  if (binary === "terraform") {
    throw new ConfigurationError(
      "terraform was chosen (binary: terraform) but is not on PATH",
      "install Terraform on the runner (runner-setup), set tofu-path, or use binary: tofu"
    );
  }
  if (options.download?.allow === false) {
    throw new ConfigurationError(
      `OpenTofu ${options.version} is not installed on this runner`,
      "run runner-setup, put tofu on PATH, or allow the download"
    );
  }
  return downloadTofu(options);
}
__name(locateTofu, "locateTofu");
async function downloadTofu(options) {
  const { logger, version } = options;
  const files = releaseFileNames(version, goPlatform());
  const url = `${releaseBase(options)}/v${version}/${files.archive}`;
  logger.info(`downloading OpenTofu ${version} from ${url}`);
  const tc = await loadToolCache();
  const archive = await tc.downloadTool(url);
  const { sha256: expected, from } = await expectedSha256(options);
  const actual = await sha256File(archive);
  if (actual !== expected) {
    throw new Error(
      `the downloaded ${files.archive} has SHA-256 ${actual}, expected ${expected} (${from}); refusing to install it`
    );
  }
  logger.info(`${files.archive}: SHA-256 ${actual} verified against ${from}`);
  const dir = await tc.extractTar(archive);
  await copyFile(archive, path3.join(dir, CACHED_ARCHIVE));
  const cached = await tc.cacheDir(dir, TOOL_CACHE_NAME, version);
  const tool = path3.join(cached, "tofu");
  const reported = await toolVersion(tool, logger, options.env);
  assertVersion("tofu", reported, version, url);
  return { binary: "tofu", path: tool, version: reported, source: "downloaded" };
}
__name(downloadTofu, "downloadTofu");
function releaseBase(options) {
  return (options.download?.baseUrl ?? RELEASES).replace(/\/$/, "");
}
__name(releaseBase, "releaseBase");
async function expectedSha256(options) {
  const platform = goPlatform();
  const files = releaseFileNames(options.version, platform);
  const pinned = options.download?.sha256?.[`${platform.os}_${platform.arch}`];
  if (pinned) return { sha256: pinned, from: "versions.json" };
  const tc = await loadToolCache();
  const sums = await tc.downloadTool(`${releaseBase(options)}/v${options.version}/${files.sums}`);
  const listed = parseSha256Sums(await readText(sums))[files.archive];
  if (!listed)
    throw new Error(
      `${files.sums} of OpenTofu ${options.version} lists no checksum for ${files.archive}`
    );
  return { sha256: listed, from: files.sums };
}
__name(expectedSha256, "expectedSha256");
async function verifyCachedTofu(dir, options) {
  const where = `the tool cache's OpenTofu ${options.version} (${dir})`;
  const fix = `delete ${dir} and run again: the pinned release is then downloaded and verified`;
  const archive = path3.join(dir, CACHED_ARCHIVE);
  const { sha256: expected, from } = await expectedSha256(options);
  const actual = await sha256File(archive).catch(() => void 0);
  if (actual !== expected) {
    throw new ConfigurationError(
      actual === void 0 ? `${where} has no release archive to verify it against` : `${where} comes from an archive with SHA-256 ${actual}, not ${expected} (${from})`,
      fix
    );
  }
  const tc = await loadToolCache();
  const unpacked = await tc.extractTar(archive);
  try {
    const [fromArchive, inCache] = await Promise.all([
      sha256File(path3.join(unpacked, "tofu")),
      sha256File(path3.join(dir, "tofu"))
    ]);
    if (fromArchive !== inCache)
      throw new ConfigurationError(`${where} is not the binary of its verified release`, fix);
  } finally {
    await rm(unpacked, { recursive: true, force: true });
  }
  options.logger.info(`${where}: verified against ${from}`);
}
__name(verifyCachedTofu, "verifyCachedTofu");
async function whichIn(env, binary) {
  for (const dir of (env.PATH ?? "").split(path3.delimiter).filter(Boolean)) {
    const candidate = path3.join(dir, binary);
    try {
      await access(candidate, constants.X_OK);
      return candidate;
    } catch {
    }
  }
  return void 0;
}
__name(whichIn, "whichIn");
function parseSha256Sums(text) {
  const out = {};
  for (const line of text.split("\n")) {
    const m = /^([0-9a-f]{64})\s+\*?(\S+)\s*$/.exec(line.trim());
    if (m?.[1] && m[2]) out[m[2]] = m[1];
  }
  return out;
}
__name(parseSha256Sums, "parseSha256Sums");
async function sha256File(file) {
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file)) hash.update(chunk);
  return hash.digest("hex");
}
__name(sha256File, "sha256File");
async function readText(file) {
  const chunks = [];
  for await (const chunk of createReadStream(file)) chunks.push(chunk);
  return Buffer.concat(chunks).toString("utf8");
}
__name(readText, "readText");
async function toolVersion(tool, logger, env) {
  try {
    await access(tool, constants.X_OK);
  } catch {
    throw new ConfigurationError(
      `${tool} does not exist or is not executable`,
      "point tofu-path at the tofu (or terraform) binary"
    );
  }
  const result = await runTool(tool, tofuArgs({ command: "version" }), {
    logger: { ...logger, info: /* @__PURE__ */ __name((m) => logger.debug(m), "info") },
    // an empty CLI configuration: a planted ~/.tofurc has no say, not even here
    env: tofuProcessEnv(env ?? process.env, { TF_CLI_CONFIG_FILE: "/dev/null" }).env
  });
  const start = result.stdout.search(/^\{/m);
  try {
    const parsed = JSON.parse(start >= 0 ? result.stdout.slice(start) : result.stdout);
    if (typeof parsed.terraform_version === "string") return parsed.terraform_version;
  } catch (error) {
    logger.debug(`version -json: ${getErrorMessage(error)}`);
  }
  throw new Error(
    `${tool} version -json printed no version${os.EOL}${result.stdout.slice(0, 500)}`
  );
}
__name(toolVersion, "toolVersion");
function assertVersion(binary, actual, pinned, where) {
  if (binary === "tofu" && actual !== pinned) {
    throw new ConfigurationError(
      `${where} is OpenTofu ${actual}, but pve-kube pins ${pinned} (versions.json)`,
      `install OpenTofu ${pinned}, or leave tofu-path empty to let the action install it`
    );
  }
}
__name(assertVersion, "assertVersion");

// actions/lib/tofu/plugin-cache.ts
function pluginCacheKey(binary, version, lockFile, platform = goPlatform()) {
  const prefix = `pve-kube-tofu-plugins-${platform.os}-${platform.arch}-${binary}-${version}-`;
  const lockHash = createHash2("sha256").update(lockFile ?? "no-lock-file").digest("hex").slice(0, 16);
  return { key: `${prefix}${lockHash}`, restoreKeys: [prefix] };
}
__name(pluginCacheKey, "pluginCacheKey");
var loadCache = /* @__PURE__ */ __name(() => import("./cache-GB25JNKL.mjs"), "loadCache");
function actionsPluginCache(logger) {
  return {
    async restore(dir, key, restoreKeys) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) {
        logger.info("the Actions cache is not available here: providers are installed without it");
        return void 0;
      }
      try {
        return await cache.restoreCache([dir], key, restoreKeys);
      } catch (error) {
        logger.warning(`could not restore the provider cache: ${getErrorMessage(error)}`);
        return void 0;
      }
    },
    async save(dir, key) {
      const cache = await loadCache();
      if (!cache.isFeatureAvailable()) return;
      try {
        await cache.saveCache([dir], key);
      } catch (error) {
        logger.warning(`could not save the provider cache: ${getErrorMessage(error)}`);
      }
    }
  };
}
__name(actionsPluginCache, "actionsPluginCache");
var noPluginCache = {
  restore: /* @__PURE__ */ __name(() => Promise.resolve(void 0), "restore"),
  save: /* @__PURE__ */ __name(() => Promise.resolve(), "save")
};

// actions/tofu-provision/src/backend-from-config.ts
import os2 from "node:os";
import path4 from "node:path";
function expandHome(file, env) {
  return file.startsWith("~/") ? path4.join(env.HOME ?? os2.homedir(), file.slice(2)) : file;
}
__name(expandHome, "expandHome");
var RESERVED_NAMES = /* @__PURE__ */ new Set([
  "PROXMOX_TOKEN_ID",
  "PROXMOX_TOKEN_SECRET",
  "PROXMOX_VE_API_TOKEN",
  "STATE_KEY",
  "SSH_PRIVATE_KEY",
  "GITHUB_TOKEN"
]);
var RESERVED_PREFIXES = ["INPUT_", "ACTIONS_", "GITHUB_", "RUNNER_"];
function isReservedSecretName(name, extra = []) {
  return RESERVED_NAMES.has(name) || extra.includes(name) || RESERVED_PREFIXES.some((prefix) => name.startsWith(prefix));
}
__name(isReservedSecretName, "isReservedSecretName");
var ADDRESS_KEYS = /* @__PURE__ */ new Set([
  "address",
  "lock_address",
  "unlock_address",
  "endpoint",
  "endpoints",
  "conn_str",
  "hostname"
]);
function credential(env, name, field, backend, reserved = []) {
  if (isReservedSecretName(name, reserved)) {
    throw new ConfigurationError(
      `state.${field} in cluster.yaml names ${name}, which holds one of pve-kube's own secrets (or the runner's): it would be sent to the ${backend} state backend`,
      `name a variable of the backend's own, e.g. ${backend === "http" ? "TF_HTTP_PASSWORD" : backend === "pg" ? "PG_CONN_STR" : "AWS_SECRET_ACCESS_KEY"}`
    );
  }
  const value = env[name];
  if (!value) {
    throw new ConfigurationError(
      `the ${backend} state backend needs the ${name} environment variable (state.${field} in cluster.yaml), but it is empty`,
      `pass it from a secret: env: ${name}: \${{ secrets.${name} }} (deploy.yml maps AWS_*, PG_CONN_STR and TF_HTTP_PASSWORD for you)`
    );
  }
  return value;
}
__name(credential, "credential");
function fromState(state, env, reserved) {
  switch (state.backend) {
    case "local":
      return {
        kind: "local",
        entries: state.path ? [`path=${expandHome(state.path, env)}`] : [],
        env: {}
      };
    case "s3": {
      const entries = [
        `bucket=${state.bucket}`,
        `key=${state.key}`,
        `region=${state.region}`,
        "use_lockfile=true"
      ];
      if (state.endpoint) {
        entries.push(
          `endpoints={s3="${state.endpoint}"}`,
          "skip_credentials_validation=true",
          "skip_region_validation=true",
          "skip_requesting_account_id=true"
        );
      }
      if (state.usePathStyle) entries.push("use_path_style=true");
      return {
        kind: "s3",
        entries,
        env: {
          AWS_ACCESS_KEY_ID: credential(env, state.accessKeyEnv, "accessKeyEnv", "s3", reserved),
          AWS_SECRET_ACCESS_KEY: credential(
            env,
            state.secretKeyEnv,
            "secretKeyEnv",
            "s3",
            reserved
          )
        }
      };
    }
    case "pg":
      return {
        kind: "pg",
        entries: state.schemaName ? [`schema_name=${state.schemaName}`] : [],
        env: { PG_CONN_STR: credential(env, state.connStrEnv, "connStrEnv", "pg", reserved) }
      };
    case "http":
      return {
        kind: "http",
        entries: [
          `address=${state.address}`,
          ...state.lockAddress ? [`lock_address=${state.lockAddress}`] : [],
          ...state.unlockAddress ? [`unlock_address=${state.unlockAddress}`] : []
        ],
        env: {
          ...state.usernameEnv ? {
            TF_HTTP_USERNAME: credential(
              env,
              state.usernameEnv,
              "usernameEnv",
              "http",
              reserved
            )
          } : {},
          ...state.passwordEnv ? {
            TF_HTTP_PASSWORD: credential(
              env,
              state.passwordEnv,
              "passwordEnv",
              "http",
              reserved
            )
          } : {}
        }
      };
  }
}
__name(fromState, "fromState");
function resolveBackend(state, inputs, env, reserved = []) {
  for (const entry of inputs["backend-config"]) {
    const key = entry.split("=", 1)[0]?.trim() ?? "";
    if (ADDRESS_KEYS.has(key) || !entry.includes("=")) {
      throw new ConfigurationError(
        `the backend-config entry '${key}' ${entry.includes("=") ? "moves the state to another address" : "is a file, which could do the same"}: an input of a manual run may not send the state and its credentials elsewhere`,
        "set the backend's address in cluster.yaml's state section (reviewed in a commit); backend-config may add settings such as key=, region= or skip_* only"
      );
    }
  }
  if (inputs.backend)
    return {
      kind: inputs.backend,
      entries: [...inputs["backend-config"]],
      env: {},
      source: "the backend input"
    };
  const resolved = fromState(state, env, reserved);
  return {
    ...resolved,
    entries: [...resolved.entries, ...inputs["backend-config"]],
    source: "state in cluster.yaml"
  };
}
__name(resolveBackend, "resolveBackend");

// actions/lib/tofu/backend.ts
var BACKENDS = ["local", "s3", "pg", "http"];
function backendOverrideFile(kind) {
  if (kind === "local") return void 0;
  return `# written by pve-kube tofu-provision: selects the ${kind} backend; settings come from -backend-config
terraform {
  backend "${kind}" {}
}
`;
}
__name(backendOverrideFile, "backendOverrideFile");
function backendConfigEntries(kind, entries, defaultLocalPath) {
  for (const entry of entries) {
    if (/^\s*(password|secret_key|access_key|conn_str|token)\s*=/i.test(entry)) {
      throw new ConfigurationError(
        `backend-config entry '${entry.split("=")[0]?.trim() ?? entry}' carries a credential`,
        "pass backend credentials through the backend's environment variables (AWS_SECRET_ACCESS_KEY, PG_CONN_STR, TF_HTTP_PASSWORD) from secrets, never as inputs that reach the command line"
      );
    }
  }
  if (kind === "local" && !entries.some((e) => /^\s*path\s*=/.test(e)))
    return [`path=${defaultLocalPath}`, ...entries];
  return [...entries];
}
__name(backendConfigEntries, "backendConfigEntries");

// actions/tofu-provision/src/inputs.ts
var inputSchema = external_exports.object({
  cluster: external_exports.string({ error: "is required: the path of cluster.yaml" }),
  mode: external_exports.enum(["plan", "apply", "destroy"], { error: "must be plan, apply or destroy" }).default("plan"),
  ...proxmoxConnectionInputs,
  "state-key": external_exports.string().optional(),
  "plan-sha256": external_exports.string().regex(/^[0-9a-fA-F]{64}$/, {
    error: "must be the 64-hex-digit plan-sha256 output of the plan job"
  }).optional(),
  "allow-replace": booleanInput(false),
  "template-vmid": external_exports.string().regex(/^[1-9]\d{2,8}$/, { error: "must be a VMID (100 to 999999999)" }).transform(Number).optional(),
  "linked-clones": booleanInput(true),
  // empty: cluster.yaml's state section decides
  backend: external_exports.enum(BACKENDS, {
    error: `must be one of ${BACKENDS.join(", ")}, or empty for state.backend from cluster.yaml`
  }).optional(),
  "backend-config": listInput(),
  binary: external_exports.enum(["tofu", "terraform"], { error: "must be tofu or terraform" }).default("tofu"),
  "tofu-path": external_exports.string().optional(),
  module: external_exports.string().optional(),
  "provider-mirror": external_exports.string().refine((p) => p.startsWith("/"), { error: "must be an absolute directory path" }).optional(),
  "lock-file": external_exports.enum(["verify", "regenerate"], { error: "must be verify or regenerate" }).default("verify"),
  // auto: every VM of the plan at once — the relay's clone gate, not OpenTofu, keeps clones from
  // racing for Proxmox's storage lock (actions/lib/tofu/clone-gate.ts)
  parallelism: external_exports.string().optional().transform((value, ctx) => {
    if (value === void 0 || value === "" || value === "auto") return "auto";
    const n = Number(value);
    if (!Number.isInteger(n) || n < 1) {
      ctx.addIssue({
        code: "custom",
        message: `expected auto or a whole number \u2265 1, got '${value}'`
      });
      return external_exports.NEVER;
    }
    return n;
  }),
  // VMs to re-create from the current template (rolling nodes onto a new template, one per run)
  replace: listInput(),
  "lock-timeout": external_exports.string().regex(/^\d+[smh]$/, { error: "must be a duration such as 5m" }).default("5m"),
  cache: booleanInput(true),
  "confirm-destroy": external_exports.string().optional(),
  "refresh-only-pass": booleanInput(false),
  "prepare-apply": booleanInput(false)
});

// actions/tofu-provision/src/modes.ts
import { readFile as readFile2, rm as rm4, writeFile as writeFile3 } from "node:fs/promises";
import path7 from "node:path";

// actions/lib/tofu/plan-artifact.ts
import { mkdtemp, readFile, rm as rm2, writeFile as writeFile2 } from "node:fs/promises";
import os3 from "node:os";
import path5 from "node:path";
var FILE = "tofu-plan.json";
function planArtifactName(cluster) {
  return `pve-kube-${cluster}-tofu-plan`;
}
__name(planArtifactName, "planArtifactName");
async function uploadPlan(cluster, sealed, store, logger, tmpRoot = os3.tmpdir()) {
  const name = planArtifactName(cluster);
  const dir = await mkdtemp(path5.join(tmpRoot, "pve-kube-plan-"));
  try {
    await writeFile2(path5.join(dir, FILE), JSON.stringify(sealed), { mode: 384 });
    try {
      await store.getArtifact(name);
      await store.deleteArtifact(name);
      logger.info(`replacing the earlier ${name} artifact of this run`);
    } catch (error) {
      if (!isArtifactNotFound(error)) throw error;
    }
    await store.uploadArtifact(name, [path5.join(dir, FILE)], dir, { retentionDays: 7 });
    return name;
  } finally {
    await rm2(dir, { recursive: true, force: true });
  }
}
__name(uploadPlan, "uploadPlan");
async function downloadPlan(cluster, store, tmpRoot = os3.tmpdir()) {
  const name = planArtifactName(cluster);
  let id;
  try {
    id = (await store.getArtifact(name)).artifact.id;
  } catch (error) {
    if (isArtifactNotFound(error)) {
      throw new ConfigurationError(
        `no reviewed plan: artifact ${name} is not in this workflow run`,
        "run tofu-provision with mode: plan in an earlier job of the same run and pass its plan-sha256 output to the apply job"
      );
    }
    throw new Error(`could not look up artifact ${name}: ${getErrorMessage(error)}`);
  }
  const dir = await mkdtemp(path5.join(tmpRoot, "pve-kube-plan-"));
  try {
    const result = await store.downloadArtifact(id, { path: dir });
    return await readFile(path5.join(result.downloadPath ?? dir, FILE), "utf8");
  } finally {
    await rm2(dir, { recursive: true, force: true });
  }
}
__name(downloadPlan, "downloadPlan");

// actions/lib/tofu/plan-file.ts
import { createHash as createHash3 } from "node:crypto";
function planSha256(bytes) {
  return createHash3("sha256").update(bytes).digest("hex");
}
__name(planSha256, "planSha256");
var FORMAT = "pve-kube/tofu-plan";
var sealedPlanSchema = external_exports.object({
  kind: external_exports.literal(FORMAT),
  version: external_exports.literal(1),
  cluster: external_exports.string(),
  clusterUid: external_exports.string(),
  sha256: external_exports.string().regex(/^[0-9a-f]{64}$/),
  destroy: external_exports.boolean(),
  createdAt: external_exports.string(),
  tool: external_exports.string(),
  plan: sealedValueSchema
}).strict();
function context(cluster, uid, sha256) {
  return `${cluster}/${uid}/tofu-provision/plan/${sha256}`;
}
__name(context, "context");
function sealPlan(bytes, stateKey, meta) {
  const sha256 = planSha256(bytes);
  return {
    kind: FORMAT,
    version: 1,
    cluster: meta.cluster,
    clusterUid: meta.clusterUid,
    sha256,
    destroy: meta.destroy,
    createdAt: (meta.now ?? /* @__PURE__ */ new Date()).toISOString(),
    tool: meta.tool,
    plan: sealBytes(bytes, stateKey, context(meta.cluster, meta.clusterUid, sha256))
  };
}
__name(sealPlan, "sealPlan");
function openPlan(json, stateKey, expect) {
  let raw;
  try {
    raw = JSON.parse(json);
  } catch {
    throw new ConfigurationError(
      `${expect.source} is not a pve-kube plan (not JSON)`,
      "run the plan job again"
    );
  }
  const parsed = sealedPlanSchema.safeParse(raw);
  if (!parsed.success)
    throw new ConfigurationError(
      `${expect.source} is not a pve-kube plan (${parsed.error.issues[0]?.message ?? "invalid"})`,
      "run the plan job again"
    );
  const doc = parsed.data;
  const expected = expect.expectedSha256.trim().toLowerCase();
  if (doc.cluster !== expect.cluster || doc.clusterUid !== expect.clusterUid) {
    throw new ConfigurationError(
      `${expect.source} was made for cluster ${doc.cluster} (uid ${doc.clusterUid}), not ${expect.cluster} (uid ${expect.clusterUid})`,
      "apply the plan of this cluster"
    );
  }
  if (doc.sha256 !== expected) {
    throw new ConfigurationError(
      `${expect.source} holds plan ${doc.sha256}, not the reviewed plan ${expected}`,
      "a newer plan replaced the reviewed one: review the new plan, or re-run the plan job and approve its hash"
    );
  }
  const bytes = openBytes(doc.plan, stateKey, context(doc.cluster, doc.clusterUid, doc.sha256));
  const actual = planSha256(bytes);
  if (actual !== expected)
    throw new ConfigurationError(
      `${expect.source} decrypts to plan ${actual}, not the reviewed ${expected}`,
      "the artifact was altered: run the plan job again"
    );
  return bytes;
}
__name(openPlan, "openPlan");

// actions/lib/tofu/plan-summary.ts
var VM_RESOURCE_TYPE = "proxmox_virtual_environment_vm";
function changeAction(actions) {
  const set = new Set(actions);
  if (set.has("delete") && set.has("create")) return "replace";
  if (set.has("create")) return "create";
  if (set.has("delete")) return "delete";
  if (set.has("update")) return "update";
  return void 0;
}
__name(changeAction, "changeAction");
var ORDER = { delete: 0, replace: 1, create: 2, update: 3 };
var ROLE_ORDER = { "control-plane": 0, worker: 1, unknown: 2 };
function summarisePlan(plan, roles = /* @__PURE__ */ new Map()) {
  const vms = [];
  const others = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== void 0 && rc.mode !== "managed") continue;
    const action = changeAction(rc.change.actions);
    if (!action) continue;
    if (rc.type === VM_RESOURCE_TYPE) vms.push(vmChange(rc, action, roles));
    else others.push({ address: rc.address, action });
  }
  vms.sort(
    (a, b) => ORDER[a.action] - ORDER[b.action] || ROLE_ORDER[a.role] - ROLE_ORDER[b.role] || a.name.localeCompare(b.name, "en", { numeric: true })
  );
  const counts = { create: 0, update: 0, replace: 0, delete: 0 };
  for (const change of [...vms, ...others]) counts[change.action]++;
  const outputChanges = Object.entries(plan.output_changes ?? {}).filter(([, change]) => changeAction(change.actions) !== void 0).map(([name]) => name);
  return {
    vms,
    others,
    counts,
    hasChanges: vms.length + others.length > 0,
    drifted: (plan.resource_drift ?? []).filter((rc) => rc.type === VM_RESOURCE_TYPE).map((rc) => vmName(rc)),
    outputChanges,
    errored: plan.errored === true
  };
}
__name(summarisePlan, "summarisePlan");
function vmChange(rc, action, roles) {
  const before = asRecord(rc.change.before);
  const after = asRecord(rc.change.after);
  const name = vmName(rc);
  const known = after ?? before ?? {};
  const vmid = numberOf(known.vm_id) ?? numberOf(before?.vm_id);
  const node = stringOf(known.node_name) ?? stringOf(before?.node_name);
  return {
    address: rc.address,
    name,
    role: roles.get(name) ?? roleFromTags(before?.tags) ?? roleFromTags(after?.tags) ?? "unknown",
    action,
    ...vmid !== void 0 ? { vmid } : {},
    ...node !== void 0 ? { node } : {},
    changedAttributes: action === "update" || action === "replace" ? changedAttributes(before, after) : [],
    replaceBecause: action === "replace" ? [...new Set((rc.change.replace_paths ?? []).map((p) => String(p[0])))].sort() : [],
    tainted: action === "replace" && rc.action_reason === "replace_because_tainted"
  };
}
__name(vmChange, "vmChange");
function vmName(rc) {
  if (typeof rc.index === "string") return rc.index;
  const after = asRecord(rc.change.after) ?? asRecord(rc.change.before);
  return stringOf(after?.name) ?? rc.address;
}
__name(vmName, "vmName");
function roleFromTags(tags) {
  if (!Array.isArray(tags)) return void 0;
  if (tags.includes("role-control-plane")) return "control-plane";
  if (tags.includes("role-worker")) return "worker";
  return void 0;
}
__name(roleFromTags, "roleFromTags");
function changedAttributes(before, after) {
  if (!before || !after) return [];
  return Object.keys(after).filter((key) => key in before && JSON.stringify(before[key]) !== JSON.stringify(after[key])).sort();
}
__name(changedAttributes, "changedAttributes");
function asRecord(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
}
__name(asRecord, "asRecord");
function numberOf(value) {
  return typeof value === "number" ? value : void 0;
}
__name(numberOf, "numberOf");
function stringOf(value) {
  return typeof value === "string" ? value : void 0;
}
__name(stringOf, "stringOf");
function vmsByRole(summary) {
  const groups = /* @__PURE__ */ new Map();
  for (const role of ["control-plane", "worker", "unknown"]) {
    const vms = summary.vms.filter((vm) => vm.role === role);
    if (vms.length > 0) groups.set(role, vms);
  }
  return groups;
}
__name(vmsByRole, "vmsByRole");
function destructiveChanges(summary) {
  return summary.vms.filter((vm) => vm.action === "delete" || vm.action === "replace");
}
__name(destructiveChanges, "destructiveChanges");

// actions/lib/tofu/plan-gate.ts
function assertNoControlPlaneLoss(summary, options) {
  if (options.allowReplace) return;
  const lost = summary.vms.filter(
    (vm) => vm.role === "control-plane" && (vm.action === "delete" || vm.action === "replace" && !vm.tainted)
  );
  if (lost.length === 0) return;
  const list = lost.map(
    (vm) => `${vm.name} (${vm.action}${vm.replaceBecause.length ? ` because of ${vm.replaceBecause.join(", ")}` : ""})`
  ).join(", ");
  throw new ConfigurationError(
    `the plan would ${lost.some((vm) => vm.action === "delete") ? "delete or replace" : "replace"} control-plane VM${lost.length > 1 ? "s" : ""}: ${list}`,
    "if this is intended (and etcd keeps its quorum), re-run with `allow-replace: true`; otherwise revert the cluster.yaml change that causes it"
  );
}
__name(assertNoControlPlaneLoss, "assertNoControlPlaneLoss");
function assertPlanComplete(summary) {
  if (summary.errored)
    throw new Error(
      "the plan reports errors (errored: true); it is incomplete and cannot be applied"
    );
}
__name(assertPlanComplete, "assertPlanComplete");
function ownershipProblems(plan, cluster, uid) {
  const problems = [];
  const tainted = taintedAddresses(plan);
  for (const rc of plan.resource_changes ?? []) {
    if (rc.type !== VM_RESOURCE_TYPE) continue;
    const action = changeAction(rc.change.actions);
    if (action !== "delete" && action !== "replace" && action !== "update") continue;
    const before = rc.change.before ?? {};
    const vmid = typeof before.vm_id === "number" ? before.vm_id : void 0;
    const tags = Array.isArray(before.tags) ? before.tags.map(String) : [];
    const isTainted = tainted.has(rc.address) || rc.action_reason === "replace_because_tainted";
    const missing = isTainted || action === "update" ? [] : ["pve-kube", `cluster-${cluster}`].filter((tag) => !tags.includes(tag));
    const description = typeof before.description === "string" ? before.description : "";
    const uidOk = description.split(/\s+/).includes(`uid=${uid}`);
    const reasons = [
      ...missing.length ? [
        `missing tag${missing.length > 1 ? "s" : ""} ${missing.join(", ")} (has: ${tags.join(", ") || "none"})`
      ] : [],
      ...uidOk ? [] : [
        `its description does not carry uid=${uid}${isTainted ? " (a half-created VM from a failed apply: check it, then delete it by hand or `tofu state rm` it)" : ""}`
      ]
    ];
    if (reasons.length)
      problems.push({
        address: rc.address,
        ...vmid !== void 0 ? { vmid } : {},
        reason: reasons.join("; ")
      });
  }
  return problems;
}
__name(ownershipProblems, "ownershipProblems");
function taintedAddresses(plan) {
  const out = /* @__PURE__ */ new Set();
  const walk = /* @__PURE__ */ __name((module) => {
    const m = module;
    for (const r of m?.resources ?? [])
      if (r.tainted === true && typeof r.address === "string") out.add(r.address);
    for (const child of m?.child_modules ?? []) walk(child);
  }, "walk");
  walk(
    plan.prior_state?.values?.root_module
  );
  return out;
}
__name(taintedAddresses, "taintedAddresses");
function assertOwnership(plan, cluster, uid) {
  const problems = ownershipProblems(plan, cluster, uid);
  if (problems.length === 0) return;
  const list = problems.map((p) => `${p.address}${p.vmid !== void 0 ? ` (VMID ${p.vmid})` : ""}: ${p.reason}`).join("; ");
  throw new ConfigurationError(
    `refusing to delete VMs that do not prove they belong to cluster '${cluster}' (uid ${uid}): ${list}`,
    "check that the OpenTofu state (backend) belongs to this cluster.yaml; never re-tag a VM by hand to get past this check"
  );
}
__name(assertOwnership, "assertOwnership");

// actions/lib/tofu/plan-report.ts
var SYMBOL = {
  create: "+",
  update: "~",
  replace: "\xB1",
  delete: "\u2212"
};
var ROLE_TITLE = {
  "control-plane": "Control planes",
  worker: "Workers",
  unknown: "Other VMs"
};
function countsLine(summary) {
  const c = summary.counts;
  return `+${c.create} create, ~${c.update} update, \xB1${c.replace} replace, \u2212${c.delete} delete`;
}
__name(countsLine, "countsLine");
function detail(vm) {
  if (vm.tainted) return "half-created by a failed apply";
  if (vm.action === "replace")
    return vm.replaceBecause.length ? `forced by ${vm.replaceBecause.join(", ")}` : vm.changedAttributes.join(", ");
  if (vm.action === "update") return vm.changedAttributes.join(", ");
  return "";
}
__name(detail, "detail");
function planLogLines(summary) {
  if (!summary.hasChanges) return ["No changes: the VMs match the plan."];
  const lines = [`Plan: ${countsLine(summary)}`];
  for (const vm of destructiveChanges(summary))
    lines.push(
      `  ${vm.action.toUpperCase()} ${vm.role} ${vm.name}${vm.vmid ? ` (VMID ${vm.vmid} on ${vm.node ?? "?"})` : ""}${detail(vm) ? ` \u2014 ${detail(vm)}` : ""}`
    );
  for (const vm of summary.vms.filter((v) => v.action === "create" || v.action === "update"))
    lines.push(
      `  ${SYMBOL[vm.action]} ${vm.action} ${vm.role} ${vm.name}${detail(vm) ? ` \u2014 ${detail(vm)}` : ""}`
    );
  for (const other of summary.others)
    lines.push(`  ${SYMBOL[other.action]} ${other.action} ${other.address}`);
  return lines;
}
__name(planLogLines, "planLogLines");
function planMarkdown(summary, ctx) {
  const out = [];
  const destructive = destructiveChanges(summary);
  if (destructive.length > 0) {
    const verb = ctx.applied ? "were" : "will be";
    out.push(
      [
        "> [!CAUTION]",
        `> **${destructive.length} VM${destructive.length > 1 ? "s" : ""} ${verb} deleted or replaced**${ctx.applied || ctx.mode === "destroy" ? "" : " \u2014 this needs approval"}:`,
        ...destructive.map(
          (vm) => `> - **${vm.action}** ${vm.role} \`${vm.name}\`${vm.vmid ? ` (VMID ${vm.vmid} on ${vm.node ?? "?"})` : ""}${detail(vm) ? ` \u2014 ${detail(vm)}` : ""}`
        )
      ].join("\n")
    );
  }
  out.push(
    summary.hasChanges ? `**${ctx.applied ? "Applied" : "Plan"}:** ${countsLine(summary)}` : "**No changes.** The VMs match cluster.yaml."
  );
  for (const [role, vms] of vmsByRole(summary)) {
    out.push(
      `#### ${ROLE_TITLE[role]}

${table(
        ["", "VM", "action", "VMID", "node", "what changes"],
        vms.map((vm) => [
          SYMBOL[vm.action],
          vm.name,
          vm.action,
          vm.vmid ?? "(new)",
          vm.node ?? "",
          detail(vm)
        ])
      )}`
    );
  }
  if (summary.others.length > 0)
    out.push(
      `#### Other resources

${table(
        ["", "address", "action"],
        summary.others.map((o) => [SYMBOL[o.action], o.address, o.action])
      )}`
    );
  if (summary.drifted.length > 0)
    out.push(
      `Changed outside OpenTofu since the last apply: ${summary.drifted.map((n) => `\`${n}\``).join(", ")}`
    );
  if (ctx.sha256) out.push(`Plan SHA-256: \`${ctx.sha256}\``);
  return out.join("\n\n");
}
__name(planMarkdown, "planMarkdown");

// actions/lib/tofu/plan-subset.ts
import { isDeepStrictEqual } from "node:util";
function changesOutsideReviewed(reviewed, replanned) {
  const reviewedBy = new Map(
    (reviewed.resource_changes ?? []).filter(changes).map((rc) => [rc.address, rc])
  );
  const outside = [];
  for (const rc of (replanned.resource_changes ?? []).filter(changes)) {
    const was = reviewedBy.get(rc.address);
    if (!was) {
      outside.push(`${rc.address}: ${rc.change.actions.join("+")} is not in the reviewed plan`);
      continue;
    }
    const allowed = new Set(was.change.actions);
    if (allowed.has("create")) allowed.add("delete");
    const extra = rc.change.actions.filter((a) => !allowed.has(a));
    if (extra.length)
      outside.push(
        `${rc.address}: ${rc.change.actions.join("+")}, the reviewed plan had ${was.change.actions.join("+")}`
      );
    const differs = differingKeys(was.change.after, was.change.after_unknown, rc.change.after);
    if (differs.length)
      outside.push(`${rc.address}: ${differs.join(", ")} differ from the reviewed plan`);
  }
  return outside;
}
__name(changesOutsideReviewed, "changesOutsideReviewed");
function changes(rc) {
  return rc.change.actions.some((a) => a !== "no-op" && a !== "read");
}
__name(changes, "changes");
function differingKeys(reviewed, reviewedUnknown, replanned) {
  if (!isObject(reviewed) || !isObject(replanned))
    return isDeepStrictEqual(reviewed, replanned) ? [] : ["the whole resource"];
  const unknown = isObject(reviewedUnknown) ? reviewedUnknown : {};
  const keys = /* @__PURE__ */ new Set([...Object.keys(reviewed), ...Object.keys(replanned)]);
  return [...keys].filter((k) => unknown[k] === void 0 || unknown[k] === false).filter((k) => !isDeepStrictEqual(reviewed[k], replanned[k])).sort();
}
__name(differingKeys, "differingKeys");
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
__name(isObject, "isObject");

// actions/tofu-provision/src/refresh-only-pass.ts
import { rm as rm3 } from "node:fs/promises";
import path6 from "node:path";

// actions/lib/tofu/refresh-only.ts
function record(value) {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value : void 0;
}
__name(record, "record");
function driftOf(rc) {
  const before = record(rc.change.before);
  const after = record(rc.change.after);
  const gone = rc.change.actions.includes("delete") || before !== void 0 && !after;
  const changed = before && after ? Object.keys(after).filter(
    (key) => key in before && JSON.stringify(before[key]) !== JSON.stringify(after[key])
  ).sort() : [];
  const vm = rc.type === VM_RESOURCE_TYPE;
  return {
    address: rc.address,
    name: vm && typeof rc.index === "string" ? rc.index : rc.address,
    vm,
    action: gone ? "delete" : "update",
    changedAttributes: changed
  };
}
__name(driftOf, "driftOf");
function summariseRefreshOnly(plan, hasChanges) {
  return {
    hasChanges,
    drifted: (plan.resource_drift ?? []).filter((rc) => rc.mode === void 0 || rc.mode === "managed").map(driftOf)
  };
}
__name(summariseRefreshOnly, "summariseRefreshOnly");

// actions/tofu-provision/src/refresh-only-pass.ts
var REFRESH_PLAN_FILE = "pve-kube-refresh-only.tfplan";
async function refreshOnlyPass(ctx) {
  const { runner, workspace } = ctx.tofu;
  const file = path6.join(workspace.dir, REFRESH_PLAN_FILE);
  await rm3(file, { force: true });
  try {
    const { hasChanges } = await ctx.logger.group(
      "plan (refresh-only)",
      () => ctx.timer.time(
        "plan (refresh-only)",
        () => runner.plan({
          out: file,
          varFile: workspace.varFile,
          refreshOnly: true,
          parallelism: ctx.parallelism,
          lockTimeout: ctx.lockTimeout
        })
      )
    );
    const json = await runner.showPlan(file);
    const result = summariseRefreshOnly(json, hasChanges);
    ctx.logger.info(
      result.drifted.length ? `changed outside OpenTofu: ${result.drifted.map((d) => `${d.name} (${d.action}${d.changedAttributes.length ? `: ${d.changedAttributes.join(", ")}` : ""})`).join("; ")}` : "refresh-only plan: nothing changed outside OpenTofu"
    );
    return result;
  } finally {
    await rm3(file, { force: true });
  }
}
__name(refreshOnlyPass, "refreshOnlyPass");

// actions/tofu-provision/src/modes.ts
var APPLY_ATTEMPTS = 8;
var TOFU_RULE = {
  maxAttempts: APPLY_ATTEMPTS,
  transientReason: tofuTransientReason,
  pauseMs: jitteredBackoff({ baseMs: 2e3, maxMs: 8e3 })
};
var PLAN_FILE = "pve-kube.tfplan";
function rolesOf(plan) {
  return new Map(plan.vms.map((vm) => [vm.name, vm.role]));
}
__name(rolesOf, "rolesOf");
async function planWithinRun(ctx, replace, destroy = false) {
  const { value } = await retryWithinRun({
    rule: TOFU_RULE,
    what: destroy ? "tofu plan -destroy" : "tofu plan",
    logger: ctx.logger,
    onRetry: /* @__PURE__ */ __name((r) => retriesOf(ctx).push(r), "onRetry"),
    prepare: /* @__PURE__ */ __name(() => Promise.resolve({ next: void 0 }), "prepare"),
    attempt: /* @__PURE__ */ __name(() => makePlan(ctx, destroy, replace), "attempt")
  });
  return value;
}
__name(planWithinRun, "planWithinRun");
var vmAddress2 = /* @__PURE__ */ __name((name) => `proxmox_virtual_environment_vm.node[${JSON.stringify(name)}]`, "vmAddress");
async function makePlan(ctx, destroy, replace = destroy ? [] : ctx.replace ?? []) {
  const { runner, workspace } = ctx.tofu;
  const file = path7.join(workspace.dir, PLAN_FILE);
  await rm4(file, { force: true });
  await ctx.logger.group(
    destroy ? "plan (destroy)" : "plan",
    () => ctx.timer.time(
      "plan",
      () => runner.plan({
        out: file,
        varFile: workspace.varFile,
        destroy,
        parallelism: ctx.parallelism,
        lockTimeout: ctx.lockTimeout,
        ...replace.length ? { replace: replace.map(vmAddress2) } : {}
      })
    )
  );
  return readPlan(ctx, file);
}
__name(makePlan, "makePlan");
async function readPlan(ctx, file) {
  const json = await ctx.timer.time("show -json", () => ctx.tofu.runner.showPlan(file));
  const summary = summarisePlan(json, rolesOf(ctx.plan));
  for (const line of planLogLines(summary)) ctx.logger.info(line);
  return { file, json, summary, bytes: await readFile2(file) };
}
__name(readPlan, "readPlan");
function gate(ctx, json, summary, destroy) {
  assertPlanComplete(summary);
  assertOwnership(json, ctx.plan.cluster, ctx.plan.uid);
  if (!destroy) assertNoControlPlaneLoss(summary, { allowReplace: ctx.allowReplace });
}
__name(gate, "gate");
async function apply(ctx, file) {
  await ctx.logger.group(
    "apply",
    () => ctx.timer.time(
      "apply",
      () => ctx.tofu.runner.apply({
        planFile: file,
        parallelism: ctx.parallelism,
        lockTimeout: ctx.lockTimeout
      })
    )
  );
}
__name(apply, "apply");
async function applyWithinRun(ctx, reviewed) {
  const { retries } = await retryWithinRun({
    rule: TOFU_RULE,
    what: "tofu apply",
    logger: ctx.logger,
    onRetry: /* @__PURE__ */ __name((r) => retriesOf(ctx).push(r), "onRetry"),
    prepare: /* @__PURE__ */ __name(async () => {
      const again = await planWithinRun(ctx, []);
      gate(ctx, again.json, again.summary, false);
      const outside = changesOutsideReviewed(reviewed.json, again.json);
      return outside.length ? { stop: outside.join("; ") } : { next: again };
    }, "prepare"),
    attempt: /* @__PURE__ */ __name(async (_attempt, next) => {
      const planned = next ?? reviewed;
      if (planned.summary.hasChanges) await apply(ctx, planned.file);
    }, "attempt")
  });
  for (const r of retries)
    ctx.logger.info(
      `apply retried within the run: attempt ${r.attempt} failed (${r.reason}), ${(r.costMs / 1e3).toFixed(1)} s lost`
    );
}
__name(applyWithinRun, "applyWithinRun");
function retriesOf(ctx) {
  return ctx.retries ??= [];
}
__name(retriesOf, "retriesOf");
async function withRetryRecord(ctx, mode) {
  try {
    const outcome = await mode();
    const retries = retriesOf(ctx);
    return retries.length ? { ...outcome, retries: [...retries] } : outcome;
  } catch (error) {
    if (typeof error === "object" && error !== null && retriesOf(ctx).length)
      Object.assign(error, { retries: [...retriesOf(ctx)] });
    throw error;
  }
}
__name(withRetryRecord, "withRetryRecord");
async function currentInventory(ctx) {
  try {
    return parseInventory(await ctx.tofu.runner.output("inventory"));
  } catch (error) {
    ctx.logger.debug(`no inventory output: ${error.message}`);
    return [];
  }
}
__name(currentInventory, "currentInventory");
function planMode(ctx) {
  return withRetryRecord(ctx, () => planOnce(ctx));
}
__name(planMode, "planMode");
async function planOnce(ctx) {
  const { json, summary, bytes } = await planWithinRun(ctx);
  assertPlanComplete(summary);
  assertOwnership(json, ctx.plan.cluster, ctx.plan.uid);
  let refusal;
  try {
    assertNoControlPlaneLoss(summary, { allowReplace: ctx.allowReplace });
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    refusal = error.message;
    ctx.logger.warning(`apply will refuse this plan: ${refusal}`);
  }
  const sha256 = planSha256(bytes);
  ctx.logger.info(`plan SHA-256 ${sha256}`);
  const refreshOnly = ctx.refreshOnlyPass ? await refreshOnlyPass(ctx) : void 0;
  await writePlanSummaryFile({
    cluster: ctx.plan.cluster,
    sha256,
    summary,
    ...refusal ? { refusal } : {},
    ...refreshOnly ? { refreshOnly } : {}
  });
  let planArtifact;
  if (!ctx.prepareApply) {
    ctx.logger.info(
      "a preview: the plan is not stored and nothing is written (prepare-apply is off)"
    );
  } else if (ctx.artifactStore) {
    assertUsableStateKey(ctx.stateKey);
    const sealed = sealPlan(bytes, ctx.stateKey, {
      cluster: ctx.plan.cluster,
      clusterUid: ctx.plan.uid,
      destroy: false,
      tool: `${ctx.tofu.tool.binary} ${ctx.tofu.tool.version}`
    });
    planArtifact = await ctx.timer.time(
      "store plan",
      () => uploadPlan(ctx.plan.cluster, sealed, ctx.artifactStore, ctx.logger)
    );
    ctx.logger.info(`plan stored encrypted as artifact ${planArtifact}`);
  } else {
    ctx.logger.info("no artifact service here: the plan is not stored (apply will plan again)");
  }
  return {
    summary,
    sha256,
    applied: false,
    inventory: await currentInventory(ctx),
    ...planArtifact ? { planArtifact } : {},
    ...refusal ? { refusal } : {}
  };
}
__name(planOnce, "planOnce");
async function fetchReviewedPlan(ctx, reviewedSha256) {
  if (!ctx.artifactStore)
    throw new ConfigurationError(
      "plan-sha256 is set but this environment has no artifact service to fetch the reviewed plan from",
      "run inside a workflow run that has the plan job's artifact, or leave plan-sha256 empty to plan and apply at once"
    );
  assertUsableStateKey(ctx.stateKey);
  const store = ctx.artifactStore;
  const document = await ctx.timer.time(
    "fetch reviewed plan",
    () => downloadPlan(ctx.plan.cluster, store)
  );
  return openPlan(document, ctx.stateKey, {
    cluster: ctx.plan.cluster,
    clusterUid: ctx.plan.uid,
    expectedSha256: reviewedSha256,
    source: `the stored plan of cluster ${ctx.plan.cluster}`
  });
}
__name(fetchReviewedPlan, "fetchReviewedPlan");
function applyMode(ctx, reviewedSha256, reviewed) {
  return withRetryRecord(ctx, () => applyOnce(ctx, reviewedSha256, reviewed));
}
__name(applyMode, "applyMode");
async function applyOnce(ctx, reviewedSha256, reviewed) {
  let planned;
  if (reviewedSha256) {
    const bytes = reviewed ?? await fetchReviewedPlan(ctx, reviewedSha256);
    const file = path7.join(ctx.tofu.workspace.dir, PLAN_FILE);
    await writeFile3(file, bytes, { mode: 384 });
    ctx.logger.info(`applying the reviewed plan ${reviewedSha256.toLowerCase()} (hash verified)`);
    planned = await readPlan(ctx, file);
  } else {
    ctx.logger.info("no plan-sha256: planning and applying in one step");
    planned = await planWithinRun(ctx);
  }
  gate(ctx, planned.json, planned.summary, false);
  const sha256 = planSha256(planned.bytes);
  if (planned.summary.hasChanges) await applyWithinRun(ctx, planned);
  return {
    summary: planned.summary,
    sha256,
    applied: planned.summary.hasChanges,
    inventory: await currentInventory(ctx)
  };
}
__name(applyOnce, "applyOnce");
function destroyMode(ctx) {
  return withRetryRecord(ctx, () => destroyOnce(ctx));
}
__name(destroyMode, "destroyMode");
async function destroyOnce(ctx) {
  const planned = await planWithinRun(ctx, [], true);
  gate(ctx, planned.json, planned.summary, true);
  if (planned.summary.hasChanges) await apply(ctx, planned.file);
  return {
    summary: planned.summary,
    sha256: planSha256(planned.bytes),
    applied: planned.summary.hasChanges,
    inventory: await currentInventory(ctx)
  };
}
__name(destroyOnce, "destroyOnce");

// actions/tofu-provision/src/prepare.ts
import { mkdir as mkdir3 } from "node:fs/promises";
import os4 from "node:os";
import path12 from "node:path";

// actions/lib/tofu/job-plugin-dir.ts
import { randomBytes } from "node:crypto";
import { copyFile as copyFile2, link, mkdir, readdir, rename, rm as rm5 } from "node:fs/promises";
import path8 from "node:path";
async function seedJobPluginDir(shared, jobDir) {
  await mkdir(jobDir, { recursive: true });
  await linkTree(shared, jobDir);
}
__name(seedJobPluginDir, "seedJobPluginDir");
async function publishJobPluginDir(jobDir, shared) {
  const published = [];
  for (const leaf of await providerFolders(jobDir)) {
    const target = path8.join(shared, leaf);
    if (await exists(target)) continue;
    const staging = path8.join(shared, `.incoming-${randomBytes(6).toString("hex")}`);
    await mkdir(staging, { recursive: true });
    try {
      await linkTree(path8.join(jobDir, leaf), staging);
      await mkdir(path8.dirname(target), { recursive: true });
      await rename(staging, target);
      published.push(leaf);
    } catch (error) {
      if (!isCode(error, "ENOTEMPTY", "EEXIST")) throw error;
    } finally {
      await rm5(staging, { recursive: true, force: true });
    }
  }
  return published;
}
__name(publishJobPluginDir, "publishJobPluginDir");
async function providerFolders(root) {
  let level = [""];
  for (let depth = 0; depth < 5; depth++) {
    const next = [];
    for (const rel of level) {
      for (const entry of await readdir(path8.join(root, rel), { withFileTypes: true }).catch(
        () => []
      ))
        if (entry.isDirectory() && !entry.name.startsWith("."))
          next.push(path8.join(rel, entry.name));
    }
    level = next;
  }
  return level;
}
__name(providerFolders, "providerFolders");
async function linkTree(from, to) {
  const entries = await readdir(from, { withFileTypes: true }).catch((error) => {
    if (isCode(error, "ENOENT")) return [];
    throw error;
  });
  for (const entry of entries) {
    if (entry.name.startsWith(".incoming-")) continue;
    const source = path8.join(from, entry.name);
    const target = path8.join(to, entry.name);
    if (entry.isDirectory()) {
      await mkdir(target, { recursive: true });
      await linkTree(source, target);
    } else if (entry.isFile()) {
      await link(source, target).catch(async (error) => {
        if (isCode(error, "EEXIST", "ENOENT")) return;
        if (!isCode(error, "EXDEV", "EPERM")) throw error;
        await copyFile2(source, target).catch((copyError) => {
          if (!isCode(copyError, "ENOENT")) throw copyError;
        });
      });
    }
  }
}
__name(linkTree, "linkTree");
async function exists(p) {
  return await readdir(p).catch(() => void 0) !== void 0;
}
__name(exists, "exists");
function isCode(error, ...codes) {
  return codes.includes(error?.code ?? "");
}
__name(isCode, "isCode");

// actions/lib/tofu/provider-endpoint.ts
var import_undici2 = __toESM(require_undici(), 1);
import { randomUUID } from "node:crypto";
import { writeFile as writeFile4 } from "node:fs/promises";
import path9 from "node:path";
import tls from "node:tls";

// actions/lib/tofu/api-relay.ts
var import_undici = __toESM(require_undici(), 1);
import { timingSafeEqual } from "node:crypto";
import { createServer } from "node:https";

// actions/lib/tofu/clone-gate.ts
var CLONES_PER_SOURCE = 2;
var FORGET_AFTER_MS = 10 * 6e4;
var CLONE_PATH = /^\/api2\/json\/nodes\/([^/]+)\/qemu\/(\d+)\/clone\/?$/;
var TASK_STATUS_PATH = /^\/api2\/json\/nodes\/[^/]+\/tasks\/([^/]+)\/status\/?$/;
var CloneGate = class {
  constructor(perSource = CLONES_PER_SOURCE, now = Date.now) {
    this.perSource = perSource;
    this.now = now;
  }
  perSource;
  now;
  static {
    __name(this, "CloneGate");
  }
  stats = { held: 0, longestWaitMs: 0, clones: 0 };
  /** per source: slots in use (a clone being dispatched or a task running) */
  inUse = /* @__PURE__ */ new Map();
  queues = /* @__PURE__ */ new Map();
  /** running clone task → its source */
  tasks = /* @__PURE__ */ new Map();
  /** `node/vmid` of the source when this request is a clone call, else undefined. */
  static sourceOf(method, path14) {
    if (method !== "POST") return void 0;
    const m = CLONE_PATH.exec(path14);
    return m ? `${m[1]}/${m[2]}` : void 0;
  }
  /** Waits for a slot of `source`. */
  async admit(source) {
    this.stats.clones++;
    const used = this.inUse.get(source) ?? 0;
    if (used < this.perSource) {
      this.inUse.set(source, used + 1);
      return;
    }
    this.stats.held++;
    const since = this.now();
    await new Promise((resolve) => {
      const queue = this.queues.get(source) ?? [];
      queue.push(resolve);
      this.queues.set(source, queue);
    });
    this.stats.longestWaitMs = Math.max(this.stats.longestWaitMs, this.now() - since);
  }
  /**
   * The clone call was answered: a UPID keeps the slot until the task is seen stopped; anything
   * else (a refusal, a network error) frees it at once.
   */
  dispatched(source, status, body) {
    const upid = status === 200 ? upidOf(body) : void 0;
    if (!upid) {
      this.release(source);
      return;
    }
    const timer = setTimeout(() => this.finished(upid), FORGET_AFTER_MS);
    timer.unref();
    this.tasks.set(upid, { source, timer });
  }
  /** Looks at a task-status answer the provider asked for: a stopped clone task frees its slot. */
  observe(method, path14, status, body) {
    if (method !== "GET" || status !== 200 || this.tasks.size === 0) return;
    const m = TASK_STATUS_PATH.exec(path14);
    if (!m?.[1]) return;
    const upid = safeDecode(m[1]);
    if (!this.tasks.has(upid)) return;
    try {
      const parsed = JSON.parse(body.toString("utf8"));
      if (parsed.data?.status === "stopped") this.finished(upid);
    } catch {
    }
  }
  finished(upid) {
    const task = this.tasks.get(upid);
    if (!task) return;
    clearTimeout(task.timer);
    this.tasks.delete(upid);
    this.release(task.source);
  }
  release(source) {
    const next = this.queues.get(source)?.shift();
    if (next) {
      next();
      return;
    }
    this.inUse.set(source, Math.max(0, (this.inUse.get(source) ?? 1) - 1));
  }
  /** Frees every timer (the relay closes). */
  close() {
    for (const { timer } of this.tasks.values()) clearTimeout(timer);
    this.tasks.clear();
    for (const queue of this.queues.values()) for (const resolve of queue.splice(0)) resolve();
  }
};
function upidOf(body) {
  try {
    const data = JSON.parse(body?.toString("utf8") ?? "").data;
    return typeof data === "string" && data.startsWith("UPID:") ? data : void 0;
  } catch {
    return void 0;
  }
}
__name(upidOf, "upidOf");
function safeDecode(text) {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
__name(safeDecode, "safeDecode");
function cloneGateSummary(stats, perSource = CLONES_PER_SOURCE) {
  if (stats.held === 0) return void 0;
  return `Proxmox clones: ${stats.held} of ${stats.clones} waited for a slot (at most ${perSource} clones of one template at once, so its storage lock is never a race; longest wait ${(stats.longestWaitMs / 1e3).toFixed(1)} s)`;
}
__name(cloneGateSummary, "cloneGateSummary");

// actions/lib/tofu/api-relay.ts
var HOP_HEADERS = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "proxy-connection",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
  "content-length",
  "accept-encoding"
]);
var STALE_RESPONSE_HEADERS = /* @__PURE__ */ new Set([
  "connection",
  "keep-alive",
  "transfer-encoding",
  "content-encoding",
  "content-length"
]);
var REFUSED_BEFORE_RUNNING = /error during cfs-locked '[^']+' operation: got lock request timeout|can't lock file '[^']+' - got timeout/;
function isTrustFailure(error) {
  const cause = error.cause;
  const code = typeof cause?.code === "string" ? cause.code : "";
  return code === FINGERPRINT_MISMATCH || /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code);
}
__name(isTrustFailure, "isTrustFailure");
function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    req.on("data", (c) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}
__name(readBody, "readBody");
var AGENT_PATH = /\/qemu\/\d+\/agent\//;
function sameSecret(given, expected) {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}
__name(sameSecret, "sameSecret");
function reasonPhrase(text) {
  return text.replace(/[^\t\x20-\x7e]/g, " ").slice(0, 1e3);
}
__name(reasonPhrase, "reasonPhrase");
async function startApiRelay(options) {
  const { logger, retry } = options;
  const upstream = options.upstream.replace(/\/+$/, "");
  const stats = { requests: 0, retried: {}, resentWrites: 0, gaveUp: 0 };
  const gate2 = new CloneGate(options.clonesPerSource);
  const forward = /* @__PURE__ */ __name(async (method, url, headers, body) => {
    const response = await (0, import_undici.fetch)(`${upstream}${url}`, {
      method,
      headers: [...headers, ["accept-encoding", "identity"]],
      ...body ? { body } : {},
      dispatcher: options.dispatcher,
      redirect: "manual"
    });
    const out = [];
    response.headers.forEach((value, name) => {
      if (!STALE_RESPONSE_HEADERS.has(name)) out.push([name, value]);
    });
    return {
      status: response.status,
      statusText: response.statusText,
      headers: out,
      body: Buffer.from(await response.arrayBuffer())
    };
  }, "forward");
  const handle = /* @__PURE__ */ __name(async (req, res) => {
    stats.requests++;
    const method = (req.method ?? "GET").toUpperCase();
    const url = req.url ?? "/";
    const path14 = url.split("?")[0] ?? url;
    if (!sameSecret(req.headers.authorization ?? "", options.auth.accepted)) {
      res.writeHead(401, "pve-kube relay: this relay serves one OpenTofu run only");
      res.end();
      return;
    }
    const headers = [];
    for (let i = 0; i + 1 < req.rawHeaders.length; i += 2) {
      const name = req.rawHeaders[i] ?? "";
      const lower = name.toLowerCase();
      if (lower === "authorization") headers.push([name, options.auth.upstream]);
      else if (!HOP_HEADERS.has(lower)) headers.push([name, req.rawHeaders[i + 1] ?? ""]);
    }
    const body = method === "GET" || method === "HEAD" ? void 0 : await readBody(req);
    const read = method === "GET" || method === "HEAD";
    const asksGuestAgent = AGENT_PATH.test(path14);
    const cloneSource = CloneGate.sourceOf(method, path14);
    if (cloneSource) await gate2.admit(cloneSource);
    let answer;
    for (let attempt = 0; ; attempt++) {
      let reason;
      try {
        answer = await forward(method, url, headers, body);
        const message = `${answer.statusText} ${answer.body.toString("utf8", 0, 2e3)}`;
        const transient = answer.status >= 500 && isTransient(new ProxmoxApiError(method, path14, answer.status, message));
        const refusedUnrun = answer.status === 500 && REFUSED_BEFORE_RUNNING.test(message);
        if (read ? !transient || asksGuestAgent : !refusedUnrun) break;
        reason = read ? String(answer.status) : "write";
      } catch (error) {
        answer = void 0;
        if (!read || isTrustFailure(error)) {
          const cause = error.cause;
          const text = `pve-kube relay: ${method} ${path14} could not reach Proxmox: ${getErrorMessage(cause ?? error)}`;
          answer = {
            status: 502,
            statusText: reasonPhrase(text),
            headers: [["content-type", "application/json;charset=UTF-8"]],
            body: Buffer.from(JSON.stringify({ data: null, message: text }))
          };
          break;
        }
        reason = "network";
      }
      if (attempt + 1 >= retry.maxAttempts) {
        stats.gaveUp++;
        logger.warning(
          `Proxmox ${method} ${path14} still failing (${reason}) after ${retry.maxAttempts} attempts; passing the failure to OpenTofu`
        );
        if (!answer)
          answer = {
            status: 502,
            statusText: "pve-kube relay: Proxmox unreachable",
            headers: [],
            body: Buffer.from(JSON.stringify({ data: null, message: "Proxmox unreachable" }))
          };
        break;
      }
      if (reason === "write") stats.resentWrites++;
      else stats.retried[reason] = (stats.retried[reason] ?? 0) + 1;
      const delay = backoffDelay(attempt, retry);
      logger.debug(
        `Proxmox ${method} ${path14} answered ${reason}; retry ${attempt + 1} of ${retry.maxAttempts - 1} in ${delay} ms`
      );
      await retry.sleep(delay);
    }
    if (cloneSource) gate2.dispatched(cloneSource, answer.status, answer.body);
    else gate2.observe(method, path14, answer.status, answer.body);
    res.writeHead(answer.status, reasonPhrase(answer.statusText), answer.headers);
    res.end(method === "HEAD" ? void 0 : answer.body);
  }, "handle");
  const server = createServer(
    { cert: options.certificate.cert, key: options.certificate.key, minVersion: "TLSv1.2" },
    (req, res) => {
      handle(req, res).catch((error) => {
        logger.warning(`pve-kube relay: ${getErrorMessage(error)}`);
        if (!res.headersSent) res.writeHead(502, "pve-kube relay error");
        res.end();
      });
    }
  );
  await new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address();
  return {
    url: `https://127.0.0.1:${port}`,
    stats,
    cloneGate: gate2.stats,
    close: /* @__PURE__ */ __name(() => new Promise((resolve) => {
      gate2.close();
      server.close(() => resolve());
      server.closeAllConnections();
    }), "close")
  };
}
__name(startApiRelay, "startApiRelay");
function relaySummary(stats) {
  const retried = Object.entries(stats.retried);
  if (retried.length === 0 && stats.gaveUp === 0 && stats.resentWrites === 0) return void 0;
  const total = retried.reduce((n, [, c]) => n + c, 0);
  const detail2 = retried.map(([why, c]) => `${c}\xD7 ${why === "network" ? "connection error" : `HTTP ${why}`}`).join(", ");
  const writes = stats.resentWrites ? `; ${stats.resentWrites} write${stats.resentWrites === 1 ? "" : "s"} sent again after Proxmox refused ${stats.resentWrites === 1 ? "it" : "them"} on a lock before running` : "";
  return `Proxmox API: ${total} read${total === 1 ? "" : "s"} retried after transient errors${detail2 ? ` (${detail2})` : ""}${writes}${stats.gaveUp ? `; ${stats.gaveUp} still failed after every attempt` : ""}`;
}
__name(relaySummary, "relaySummary");

// actions/lib/tofu/provider-endpoint.ts
async function relayCertificate() {
  const selfsigned = await import("./selfsigned-O4KIEWNQ.mjs");
  const generate = selfsigned.generate ?? selfsigned.default.generate;
  const pems = await generate([{ name: "commonName", value: "pve-kube provider relay" }], {
    keyType: "ec",
    curve: "P-256",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 6e4),
    notAfterDate: new Date(Date.now() + 7 * 864e5),
    extensions: [{ name: "subjectAltName", altNames: [{ type: 7, ip: "127.0.0.1" }] }]
  });
  return { cert: pems.cert, key: pems.private };
}
__name(relayCertificate, "relayCertificate");
async function assertTrusted(options) {
  const dispatcher = await createTlsDispatcher(options.tls, options.logger);
  try {
    const response = await (0, import_undici2.fetch)(`${options.url.replace(/\/+$/, "")}/api2/json/version`, {
      dispatcher
    });
    await response.arrayBuffer();
  } catch (error) {
    const cause = error.cause;
    if (cause instanceof FingerprintMismatchError) {
      throw new ConfigurationError(
        `the Proxmox certificate at ${options.url} has fingerprint ${cause.actual}, not the pinned ${cause.expected}`,
        "if the node's certificate was renewed on purpose, pin the new fingerprint (`pvenode cert info`); otherwise something is intercepting the connection"
      );
    }
    const code = cause?.code;
    if (typeof code === "string" && /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS/.test(code)) {
      throw new ConfigurationError(
        `the Proxmox certificate at ${options.url} is not trusted (${code}: ${getErrorMessage(cause)})`,
        "pin its fingerprint (proxmox.tls.fingerprint or the proxmox-fingerprint input), or point proxmox.tls.caFile at the CA that signed it"
      );
    }
    options.logger.debug(
      `trust check of ${options.url}: ${getErrorMessage(cause ?? error)} (left to the run)`
    );
  } finally {
    await dispatcher.close();
  }
}
__name(assertTrusted, "assertTrusted");
async function providerEndpoint(options) {
  const { logger } = options;
  const mode = tlsMode(options.tls);
  await assertTrusted(options);
  const certificate = await relayCertificate();
  const bundle = path9.join(options.workDir, "provider-trust.pem");
  await writeFile4(bundle, `${certificate.cert}
${tls.rootCertificates.join("\n")}
`, {
    mode: 384
  });
  const retry = options.retry ?? defaultRetryPolicy;
  return {
    mode,
    env: { SSL_CERT_FILE: bundle },
    session: /* @__PURE__ */ __name(async (fn) => {
      const runSecret = randomUUID();
      const dispatcher = await createTlsDispatcher(options.tls, {
        ...logger,
        warning: /* @__PURE__ */ __name((m) => logger.debug(m), "warning")
      });
      const relay = await startApiRelay({
        upstream: options.url,
        dispatcher,
        certificate,
        retry,
        logger,
        auth: {
          accepted: `PVEAPIToken=${options.token.id}=${runSecret}`,
          upstream: `PVEAPIToken=${options.token.id}=${options.token.secret}`
        }
      });
      try {
        return await fn({
          PROXMOX_VE_ENDPOINT: `${relay.url}/`,
          PROXMOX_VE_API_TOKEN: `${options.token.id}=${runSecret}`
        });
      } finally {
        await relay.close();
        await dispatcher.close();
        const line = relaySummary(relay.stats);
        if (line) logger.info(line);
        const gateLine = cloneGateSummary(relay.cloneGate);
        if (gateLine) logger.info(gateLine);
      }
    }, "session")
  };
}
__name(providerEndpoint, "providerEndpoint");

// actions/lib/tofu/runner.ts
import { readFile as readFile3 } from "node:fs/promises";
import path10 from "node:path";

// actions/lib/tofu/plan-json.ts
var changeSchema = external_exports.looseObject({
  actions: external_exports.array(external_exports.string()),
  before: external_exports.unknown().optional(),
  after: external_exports.unknown().optional(),
  after_unknown: external_exports.unknown().optional(),
  replace_paths: external_exports.array(external_exports.array(external_exports.union([external_exports.string(), external_exports.number()]))).optional()
});
var resourceChangeSchema = external_exports.looseObject({
  address: external_exports.string(),
  mode: external_exports.string().optional(),
  type: external_exports.string(),
  name: external_exports.string(),
  index: external_exports.union([external_exports.string(), external_exports.number()]).optional(),
  change: changeSchema,
  action_reason: external_exports.string().optional()
});
var planJsonSchema = external_exports.looseObject({
  format_version: external_exports.string(),
  terraform_version: external_exports.string().optional(),
  resource_changes: external_exports.array(resourceChangeSchema).optional(),
  resource_drift: external_exports.array(resourceChangeSchema).optional(),
  output_changes: external_exports.record(external_exports.string(), external_exports.looseObject({ actions: external_exports.array(external_exports.string()) })).optional(),
  errored: external_exports.boolean().optional(),
  /** the refreshed state the plan started from (tainted flags live here) */
  prior_state: external_exports.unknown().optional()
});
function parsePlanJson(text) {
  let raw;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new Error(`tofu show -json did not print JSON: ${error.message}`);
  }
  const parsed = planJsonSchema.safeParse(raw);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new Error(
      `tofu show -json printed an unexpected document (${first ? `${first.path.join(".")}: ${first.message}` : "invalid"})`
    );
  }
  if (!parsed.data.format_version.startsWith("1.")) {
    throw new Error(
      `unsupported JSON plan format ${parsed.data.format_version} (pve-kube reads format 1.x)`
    );
  }
  return parsed.data;
}
__name(parsePlanJson, "parsePlanJson");

// actions/lib/tofu/runner.ts
var TofuRunner = class {
  constructor(options) {
    this.options = options;
    const { env, dropped } = tofuProcessEnv(options.env, options.set);
    if (dropped.length)
      options.logger.warning(
        `${dropped.join(", ")} ignored: OpenTofu debug logs would print the Proxmox API token`
      );
    this.env = env;
  }
  options;
  static {
    __name(this, "TofuRunner");
  }
  env;
  run(cmd, extra = {}) {
    const once = /* @__PURE__ */ __name((sessionEnv) => runTool(this.options.tool, tofuArgs(cmd), {
      logger: this.options.logger,
      cwd: this.options.dir,
      env: { ...this.env, ...sessionEnv },
      secrets: this.options.secrets,
      streamOutput: extra.stream ?? true,
      ...extra.okExitCodes ? { okExitCodes: extra.okExitCodes } : {}
    }), "once");
    return this.options.session ? this.options.session(once) : once({});
  }
  async init(cmd) {
    await this.run({ command: "init", ...cmd });
  }
  /** Writes the binary plan; returns whether it changes anything (exit code 2 of -detailed-exitcode). */
  async plan(cmd, options = {}) {
    const result = await this.run(
      { command: "plan", ...cmd },
      { okExitCodes: [2], stream: !options.quiet }
    );
    return { hasChanges: result.exitCode === 2 };
  }
  /** The JSON form of a saved plan: the only thing pve-kube reads a plan from. */
  async showPlan(planFile) {
    const result = await this.run({ command: "show", planFile }, { stream: false });
    return parsePlanJson(result.stdout);
  }
  async apply(cmd) {
    await this.run({ command: "apply", ...cmd });
  }
  async output(name) {
    const result = await this.run({ command: "output", name }, { stream: false });
    return JSON.parse(result.stdout);
  }
  /** `tofu show -json` of the current state (no plan file): the documented JSON format. */
  async showState() {
    return (await this.run({ command: "show" }, { stream: false })).stdout;
  }
  async import(cmd) {
    await this.run({ command: "import", ...cmd });
  }
  async statePull() {
    return (await this.run({ command: "state-pull" }, { stream: false })).stdout;
  }
  async statePush(cmd) {
    await this.run({ command: "state-push", ...cmd });
  }
  /** The lock file as OpenTofu left it after init (regenerated or verified). */
  lockFile() {
    return readFile3(path10.join(this.options.dir, ".terraform.lock.hcl"), "utf8").catch(
      () => void 0
    );
  }
};

// actions/lib/tofu/var-file.ts
function renderTofuVars(plan, options = {}) {
  const endpoint = options.endpoint === void 0 ? plan.proxmox.endpoint : options.endpoint;
  return {
    cluster: plan.cluster,
    cluster_uid: plan.uid,
    proxmox_endpoint: endpoint === null ? null : endpoint.endsWith("/") ? endpoint : `${endpoint}/`,
    proxmox_insecure: options.insecure ?? plan.proxmox.tls.insecure === true,
    template_vmid: options.templateVmid ?? plan.template.vmid,
    template_node: plan.template.node,
    linked_clones: options.linkedClones ?? true,
    disk_storage: plan.proxmox.diskStorage,
    pool: plan.proxmox.pool ?? null,
    network: {
      bridge: plan.network.bridge,
      ...plan.network.vlan !== void 0 ? { vlan: plan.network.vlan } : {},
      gateway: plan.network.gateway,
      prefix: plan.network.prefix,
      dns: plan.network.dns,
      ...plan.network.searchDomain ? { search_domain: plan.network.searchDomain } : {}
    },
    ssh: { user: plan.ssh.user, public_keys: plan.ssh.publicKeys },
    vms: plan.vms.map((vm) => ({
      name: vm.name,
      role: vm.role,
      pool: vm.pool,
      node: vm.node,
      vmid: vm.vmid,
      ip: vm.ip,
      cores: vm.cores,
      memory_mib: vm.memoryMiB,
      disk_gib: vm.diskGiB,
      tags: vm.tags
    }))
  };
}
__name(renderTofuVars, "renderTofuVars");

// actions/lib/tofu/workspace.ts
import { copyFile as copyFile3, mkdir as mkdir2, readdir as readdir2, readFile as readFile4, rm as rm6, writeFile as writeFile5 } from "node:fs/promises";
import path11 from "node:path";
var LOCK_FILE = ".terraform.lock.hcl";
var VAR_FILE = "cluster.tfvars.json";
async function prepareWorkspace(options) {
  const { moduleDir, dir } = options;
  let entries;
  try {
    entries = await readdir2(moduleDir);
  } catch {
    throw new ConfigurationError(
      `the OpenTofu module directory ${moduleDir} does not exist`,
      "leave the module input empty to use pve-kube's terraform/, or point it at a copy of it"
    );
  }
  const tfFiles = entries.filter((f) => f.endsWith(".tf") || f.endsWith(".tofu"));
  if (tfFiles.length === 0)
    throw new ConfigurationError(
      `${moduleDir} holds no .tf files`,
      "point the module input at pve-kube's terraform/ directory"
    );
  await mkdir2(dir, { recursive: true });
  for (const old of await readdir2(dir)) {
    if (old.endsWith(".tf") || old.endsWith(".tofu") || old === VAR_FILE || old === LOCK_FILE)
      await rm6(path11.join(dir, old), { force: true });
  }
  for (const f of tfFiles) await copyFile3(path11.join(moduleDir, f), path11.join(dir, f));
  let lockFile;
  if (options.lockFileMode === "verify") {
    try {
      lockFile = await readFile4(path11.join(moduleDir, LOCK_FILE), "utf8");
    } catch {
      throw new ConfigurationError(
        `${path11.join(moduleDir, LOCK_FILE)} is missing`,
        "commit the module's lock file (tofu providers lock -platform=linux_amd64), or set lock-file: regenerate"
      );
    }
    await writeFile5(path11.join(dir, LOCK_FILE), lockFile);
  }
  const override = backendOverrideFile(options.backend);
  if (override) await writeFile5(path11.join(dir, "backend_override.tf"), override);
  const varFile = path11.join(dir, VAR_FILE);
  await writeFile5(varFile, `${JSON.stringify(options.vars, null, 2)}
`);
  return { dir, varFile, ...lockFile !== void 0 ? { lockFile } : {} };
}
__name(prepareWorkspace, "prepareWorkspace");

// actions/tofu-provision/src/prepare.ts
function pinnedChecksums() {
  const sha256 = versions.opentofu.sha256;
  return sha256 ? { sha256 } : {};
}
__name(pinnedChecksums, "pinnedChecksums");
function homeDir(env) {
  return env.HOME ?? os4.homedir();
}
__name(homeDir, "homeDir");
function defaultLocalStatePath(plan, env) {
  const stateHome = env.XDG_STATE_HOME ?? path12.join(homeDir(env), ".local", "state");
  return path12.join(
    stateHome,
    "pve-kube",
    "tofu",
    `${plan.cluster}-${plan.uid}`,
    "terraform.tfstate"
  );
}
__name(defaultLocalStatePath, "defaultLocalStatePath");
async function prepareTofu(ctx) {
  const { inputs, plan, connection, env, logger, timer } = ctx;
  const tool = await timer.time(
    "locate OpenTofu",
    () => locateTofu({
      binary: inputs.binary,
      version: versions.opentofu.version,
      ...inputs["tofu-path"] ? { toolPath: inputs["tofu-path"] } : {},
      logger,
      env,
      // release checksums pinned in versions.json (opentofu.sha256.<os>_<arch>) win over SHA256SUMS
      download: { ...pinnedChecksums(), ...ctx.download }
    })
  );
  logger.info(`using ${tool.binary} ${tool.version} (${tool.source}: ${tool.path})`);
  const dir = path12.join(env.RUNNER_TEMP ?? os4.tmpdir(), "pve-kube-tofu", plan.cluster);
  await mkdir3(dir, { recursive: true });
  const provider = await timer.time(
    "check Proxmox TLS",
    () => providerEndpoint({
      url: connection.url,
      tls: connection.tls,
      workDir: dir,
      logger,
      token: { id: connection.tokenId, secret: connection.tokenSecret }
    })
  );
  const vars = renderTofuVars(plan, {
    templateVmid: ctx.templateVmid,
    linkedClones: inputs["linked-clones"],
    endpoint: null,
    insecure: false
  });
  const workspace = await prepareWorkspace({
    moduleDir: ctx.moduleDir,
    dir,
    vars,
    backend: ctx.backend.kind,
    lockFileMode: inputs["lock-file"]
  });
  if (inputs["lock-file"] === "regenerate")
    logger.warning(
      "lock-file: regenerate \u2014 provider hashes are taken from what this runner installs, not from the committed lock file"
    );
  const { backend } = ctx;
  const localStatePath = backend.kind === "local" ? backend.entries.findLast((e) => e.startsWith("path="))?.slice(5) ?? defaultLocalStatePath(plan, env) : void 0;
  if (localStatePath) await mkdir3(path12.dirname(localStatePath), { recursive: true });
  const backendConfig = backendConfigEntries(backend.kind, backend.entries, localStatePath ?? "");
  const pluginDir = path12.join(
    env.XDG_CACHE_HOME ?? path12.join(homeDir(env), ".cache"),
    "pve-kube",
    "tofu-plugins"
  );
  await mkdir3(pluginDir, { recursive: true });
  const cacheKey = pluginCacheKey(
    tool.binary,
    tool.version,
    workspace.lockFile ?? `regenerate:${versions.bpgProvider.version}`
  );
  const restored = inputs.cache ? await timer.time(
    "restore provider cache",
    () => ctx.pluginCache.restore(pluginDir, cacheKey.key, cacheKey.restoreKeys)
  ) : void 0;
  if (restored)
    logger.info(
      `provider cache restored (${restored === cacheKey.key ? "exact key" : `older key ${restored}`})`
    );
  const jobPluginDir = path12.join(
    env.RUNNER_TEMP ?? os4.tmpdir(),
    `pve-kube-tofu-plugins-${process.pid}`
  );
  await seedJobPluginDir(pluginDir, jobPluginDir);
  const token = `${connection.tokenId}=${connection.tokenSecret}`;
  const runner = new TofuRunner({
    tool: tool.path,
    dir,
    logger,
    env,
    set: {
      ...provider.env,
      ...backend.env,
      TF_CLI_CONFIG_FILE: await writeCliConfig(dir, { providerMirror: inputs["provider-mirror"] }),
      TF_PLUGIN_CACHE_DIR: jobPluginDir
    },
    secrets: [
      token,
      connection.tokenSecret,
      ...inputs["state-key"] ? [inputs["state-key"]] : [],
      ...Object.values(backend.env)
    ],
    session: provider.session
  });
  await logger.group(
    `${tool.binary} init`,
    () => timer.time(
      "init",
      () => runner.init({
        backendConfig,
        lockfileReadonly: inputs["lock-file"] === "verify",
        // OpenTofu evaluates variables early; Terraform's init takes no variables
        ...tool.binary === "tofu" ? { varFile: workspace.varFile } : {}
      })
    )
  );
  const published = await publishJobPluginDir(jobPluginDir, pluginDir);
  if (published.length)
    logger.info(`providers added to the runner's plugin cache: ${published.join(", ")}`);
  if (inputs.cache && restored !== cacheKey.key)
    await ctx.pluginCache.save(pluginDir, cacheKey.key);
  return {
    runner,
    workspace,
    tool,
    ...localStatePath ? { localStatePath } : {},
    pluginCacheHit: restored === cacheKey.key
  };
}
__name(prepareTofu, "prepareTofu");

// actions/tofu-provision/src/interrupted-apply-repair.ts
import { rm as rm7, writeFile as writeFile6 } from "node:fs/promises";
import path13 from "node:path";

// actions/lib/tofu/state-json.ts
function stateVms(showJson) {
  let doc;
  try {
    doc = JSON.parse(showJson);
  } catch (error) {
    throw new Error(`tofu show -json did not print JSON: ${error.message}`);
  }
  if (typeof doc.format_version !== "string" || !doc.format_version.startsWith("1.")) {
    throw new Error(
      `unsupported JSON state format ${String(doc.format_version)} (pve-kube reads format 1.x)`
    );
  }
  const out = [];
  const walk = /* @__PURE__ */ __name((m) => {
    for (const r of m?.resources ?? []) {
      if (r.mode !== "managed" || r.type !== VM_RESOURCE_TYPE || typeof r.address !== "string")
        continue;
      const vmid = Number(r.values?.vm_id);
      if (!Number.isInteger(vmid) || vmid <= 0) continue;
      out.push({
        address: r.address,
        vmid,
        ...typeof r.values?.node_name === "string" ? { node: r.values.node_name } : {}
      });
    }
    for (const child of m?.child_modules ?? []) walk(child);
  }, "walk");
  walk(doc.values?.root_module);
  return out;
}
__name(stateVms, "stateVms");
function instanceAddress(resource, instance) {
  const base = `${typeof resource.module === "string" ? `${resource.module}.` : ""}${String(resource.type)}.${String(resource.name)}`;
  if (instance.index_key === void 0) return base;
  return `${base}[${typeof instance.index_key === "number" ? String(instance.index_key) : JSON.stringify(instance.index_key)}]`;
}
__name(instanceAddress, "instanceAddress");
function alignProviderSettings(attributes, after, unknown) {
  for (const [key, value] of Object.entries(after)) {
    if (key.startsWith("timeout_") && value !== void 0 && value !== null && unknown[key] !== true)
      attributes[key] = value;
  }
  const plannedAgent = after.agent;
  const agent = attributes.agent;
  if (!Array.isArray(plannedAgent) || !Array.isArray(agent)) return;
  attributes.agent = agent.map((block, i) => {
    const timeout = plannedAgent[i]?.timeout;
    return typeof timeout === "string" && block && typeof block === "object" ? { ...block, timeout } : block;
  });
}
__name(alignProviderSettings, "alignProviderSettings");
function adoptedStatePatch(rawState, plan, addresses) {
  const state = JSON.parse(rawState);
  if (state.version !== 4)
    throw new Error(
      `unsupported OpenTofu state version ${String(state.version)} (pve-kube patches version 4)`
    );
  const wanted = new Set(addresses);
  const patched = [];
  for (const resource of state.resources ?? []) {
    if (resource.mode !== "managed" || resource.type !== VM_RESOURCE_TYPE) continue;
    for (const instance of resource.instances ?? []) {
      const address = instanceAddress(resource, instance);
      if (!wanted.has(address) || !instance.attributes) continue;
      const change = plan.resource_changes?.find((rc) => rc.address === address)?.change;
      const after = change?.after;
      if (!after || !Array.isArray(after.clone)) continue;
      const unknown = change?.after_unknown ?? {};
      instance.attributes.clone = after.clone;
      alignProviderSettings(instance.attributes, after, unknown);
      for (const [key, value] of Object.entries(after)) {
        if (!Array.isArray(value) || value.length > 0 || unknown[key] === true) continue;
        const current = instance.attributes[key];
        if (Array.isArray(current) && current.length > 0) instance.attributes[key] = [];
      }
      patched.push(address);
    }
  }
  state.serial = (typeof state.serial === "number" ? state.serial : 0) + 1;
  return { state: `${JSON.stringify(state, null, 2)}
`, patched };
}
__name(adoptedStatePatch, "adoptedStatePatch");

// actions/tofu-provision/src/interrupted-apply-repair.ts
var DISK_KEY = /^(ide|sata|scsi|virtio)\d+$|^(efidisk|tpmstate)0$/;
var ADOPT_PLAN = "pve-kube-adopt.tfplan";
var PATCHED_STATE = "pve-kube-adopt.tfstate";
async function reconcileInterruptedRun(ctx) {
  const outcome = { adopted: [], removed: [], toRemove: [], toAdopt: [] };
  const { runner } = ctx.tofu;
  const inState = stateVms(await ctx.timer.time("read state", () => runner.showState()));
  const stateVmids = new Set(inState.map((vm) => vm.vmid));
  const missing = ctx.plan.vms.filter((vm) => !stateVmids.has(vm.vmid));
  if (missing.length === 0) return outcome;
  const client = await ctx.openClient();
  let decisions;
  try {
    decisions = await ctx.timer.time(
      "reconcile: look at Proxmox",
      () => decide(ctx, client, stateVmids)
    );
    for (const d of decisions) logDecision(ctx.logger, d, ctx.adopt);
    const adoptions = decisions.filter(
      (d) => d.kind === "adopt"
    );
    if (ctx.adopt) outcome.adopted = adoptions;
    else {
      outcome.toAdopt = adoptions;
      for (const d of adoptions)
        ctx.logger.warning(
          `${d.vm.name} (VMID ${d.vm.vmid}) is complete but not in the OpenTofu state (an interrupted apply); this plan writes nothing, so it shows the VM as a create \u2014 apply adopts it into the state before applying`
        );
    }
    const removals = decisions.filter(
      (d) => d.kind === "remove"
    );
    if (ctx.mode === "plan") {
      outcome.toRemove = removals;
      for (const d of removals) {
        ctx.logger.warning(
          d.observed.lock ? `${d.vm.name} (VMID ${d.vm.vmid}) is half-made by an interrupted apply and keeps its '${d.observed.lock}' lock, which only root can lift: apply will stop until it is removed (as root ${rootCleanupCommand(d)})` : `${d.vm.name} (VMID ${d.vm.vmid}) is half-made by an interrupted apply; plan mode changes nothing on Proxmox, apply removes it before applying`
        );
      }
    } else if (removals.length > 0) {
      await ctx.timer.time(
        "reconcile: remove half-made VMs",
        () => removeAll(ctx, client, removals)
      );
      outcome.removed = removals;
    }
  } finally {
    await client.close();
  }
  if (outcome.adopted.length > 0)
    await ctx.timer.time("reconcile: adopt complete VMs", () => adoptAll(ctx, outcome.adopted));
  if (outcome.adopted.length + outcome.removed.length + outcome.toRemove.length + outcome.toAdopt.length > 0)
    await appendJobSummary(reconcileMarkdown(outcome), ctx.logger, ctx.env);
  return outcome;
}
__name(reconcileInterruptedRun, "reconcileInterruptedRun");
async function decide(ctx, client, stateVmids) {
  const deadline = client.clock.now() + (ctx.waitTimeoutMs ?? TASK_TIMEOUTS_MS.qmclone ?? 30 * 6e4);
  for (; ; ) {
    const { observed, tasks } = await observe(ctx, client, stateVmids);
    const decisions = reconcileDecisions({
      cluster: ctx.plan.cluster,
      uid: ctx.plan.uid,
      tokenId: ctx.tokenId,
      templateVmid: ctx.templateVmid,
      planned: ctx.plan.vms,
      stateVmids,
      observed,
      tasks
    });
    assertNoConflicts(decisions);
    const waiting = decisions.filter(
      (d) => d.kind === "wait"
    );
    if (waiting.length === 0) return decisions;
    if (client.clock.now() >= deadline) {
      throw new ConfigurationError(
        `planned VMIDs are still locked by running Proxmox tasks: ${waiting.map((d) => `${d.vm.vmid} (${d.observed.lock ?? "locked"})`).join(", ")}`,
        "let those tasks finish (or stop them in the Proxmox task list), then run again"
      );
    }
    ctx.logger.info(
      `waiting for running tasks to release ${waiting.map((d) => `VMID ${d.vm.vmid} (lock ${d.observed.lock ?? "?"})`).join(", ")}`
    );
    await client.clock.sleep(ctx.pollIntervalMs ?? 2e3);
  }
}
__name(decide, "decide");
async function observe(ctx, client, stateVmids) {
  const planned = new Set(
    ctx.plan.vms.filter((vm) => !stateVmids.has(vm.vmid)).map((vm) => vm.vmid)
  );
  const observed = /* @__PURE__ */ new Map();
  for (const row of (await listVms(client)).filter((vm) => planned.has(vm.vmid))) {
    const config = await vmConfig(client, row.node, row.vmid);
    if (!config) continue;
    const text = /* @__PURE__ */ __name((key) => typeof config[key] === "string" && config[key] !== "" ? config[key] : void 0, "text");
    const name = text("name");
    const description = text("description");
    const lock = text("lock");
    observed.set(row.vmid, {
      vmid: row.vmid,
      node: row.node,
      template: Number(config.template ?? 0) === 1,
      ...name ? { name } : {},
      ...description ? { description } : {},
      tags: splitTags(config.tags),
      ...lock ? { lock } : {},
      ...row.status ? { status: row.status } : {},
      hasDisks: Object.keys(config).some((key) => DISK_KEY.test(key))
    });
  }
  const tasks = [...observed.values()].some((vm) => vm.lock) ? await recentTasks(ctx, client, observed) : [];
  return { observed, tasks };
}
__name(observe, "observe");
async function recentTasks(ctx, client, observed) {
  const nodes = /* @__PURE__ */ new Set([
    ctx.plan.template.node,
    ...ctx.plan.vms.map((vm) => vm.node),
    ...[...observed.values()].map((vm) => vm.node)
  ]);
  const out = [];
  for (const node of nodes) {
    const rows = await client.api.nodes.$(node).tasks.$get({ source: "all", limit: 500 });
    for (const row of rows) {
      if (typeof row.upid !== "string") continue;
      const upid = parseUpid(row.upid);
      const running = row.endtime === void 0 || row.endtime === null;
      out.push({
        type: upid.type,
        id: upid.id,
        user: upid.user,
        running,
        ...!running && typeof row.status === "string" ? { exitStatus: row.status } : {}
      });
    }
  }
  return out;
}
__name(recentTasks, "recentTasks");
function logDecision(logger, d, adopting) {
  switch (d.kind) {
    case "managed":
      return logger.debug(`${d.vm.name} (VMID ${d.vm.vmid}): in the OpenTofu state`);
    case "absent":
      return logger.debug(`${d.vm.name} (VMID ${d.vm.vmid}): not on Proxmox yet`);
    case "adopt":
      return logger.info(
        `${adopting ? "adopt" : "apply would adopt"} ${d.vm.name} (VMID ${d.vm.vmid} on ${d.observed.node}): ${d.reason}`
      );
    case "remove":
      return logger.info(
        `remove ${d.vm.name} (VMID ${d.vm.vmid} on ${d.observed.node}): ${d.reason}`
      );
    case "wait":
    case "conflict":
      return logger.info(`${d.vm.name} (VMID ${d.vm.vmid}): ${d.reason}`);
  }
}
__name(logDecision, "logDecision");
async function removeAll(ctx, client, removals) {
  const locked = lockedRemovalsError(removals);
  if (locked) throw locked;
  for (const d of removals) {
    const { node, vmid } = d.observed;
    await destroyVm(client, node, vmid);
    ctx.logger.info(`removed ${d.vm.name} (VMID ${vmid} on ${node}); the plan creates it again`);
  }
}
__name(removeAll, "removeAll");
async function adoptAll(ctx, adopted) {
  const { runner, workspace } = ctx.tofu;
  const planFile = path13.join(workspace.dir, ADOPT_PLAN);
  const stateFile = path13.join(workspace.dir, PATCHED_STATE);
  await ctx.logger.group("adopt VMs an interrupted apply created", async () => {
    for (const d of adopted) {
      await runner.import({
        address: vmAddress(d.vm.name),
        id: vmImportId(d.observed.node, d.vm.vmid),
        varFile: workspace.varFile,
        lockTimeout: ctx.lockTimeout
      });
    }
    try {
      ctx.logger.info(
        "planning once without refresh to read the configured clone block of the adopted VMs (this plan is never applied)"
      );
      await runner.plan(
        { out: planFile, varFile: workspace.varFile, refresh: false, lockTimeout: ctx.lockTimeout },
        { quiet: true }
      );
      const { state, patched } = adoptedStatePatch(
        await runner.statePull(),
        await runner.showPlan(planFile),
        adopted.map((d) => vmAddress(d.vm.name))
      );
      await writeFile6(stateFile, state, { mode: 384 });
      await runner.statePush({ file: stateFile, lockTimeout: ctx.lockTimeout });
      ctx.logger.info(
        `state of ${patched.length} adopted VM${patched.length === 1 ? "" : "s"} aligned with the module's clone block`
      );
    } finally {
      await rm7(planFile, { force: true });
      await rm7(stateFile, { force: true });
    }
  });
}
__name(adoptAll, "adoptAll");
function reconcileMarkdown(outcome) {
  const rows = [
    ...outcome.adopted.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      "adopted (imported into the state)",
      d.reason
    ]),
    ...outcome.removed.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      "removed (created again by this apply)",
      d.reason
    ]),
    ...outcome.toAdopt.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      "apply will adopt it (this plan writes nothing)",
      d.reason
    ]),
    ...outcome.toRemove.map((d) => [
      d.vm.name,
      d.vm.vmid,
      d.observed.node,
      d.observed.lock ? `root must remove it first (\`${rootCleanupCommand(d)}\`)` : "apply will remove it before applying",
      d.reason
    ])
  ];
  return `#### An interrupted run was reconciled

${table(["VM", "VMID", "node", "what happened", "why"], rows)}`;
}
__name(reconcileMarkdown, "reconcileMarkdown");

// actions/tofu-provision/src/summary.ts
var TITLE = { plan: "plan", apply: "apply", destroy: "destroy" };
function tofuProvisionSummary(f) {
  const parts = [`### tofu-provision (${TITLE[f.mode]}): ${f.cluster}`];
  if (f.outcome.refusal)
    parts.push(`> [!WARNING]
> apply will refuse this plan: ${f.outcome.refusal}`);
  parts.push(
    planMarkdown(f.outcome.summary, {
      cluster: f.cluster,
      mode: f.mode,
      applied: f.outcome.applied,
      ...f.outcome.sha256 ? { sha256: f.outcome.sha256 } : {}
    })
  );
  if (f.mode !== "plan" && f.outcome.inventory.length > 0) {
    parts.push(
      `#### Inventory

${table(
        ["VM", "role", "VMID", "node", "IP"],
        f.outcome.inventory.map((vm) => [vm.name, vm.role, vm.vmid, vm.node, vm.ip])
      )}`
    );
  }
  if (f.outcome.retries?.length) {
    parts.push(
      `#### Retried within this run (${f.outcome.retries.length})

${table(
        ["step", "attempt", "why", "error", "time lost"],
        f.outcome.retries.map((r) => [
          r.step ?? "tofu apply",
          r.attempt,
          r.reason,
          r.error,
          `${(r.costMs / 1e3).toFixed(1)} s`
        ])
      )}`
    );
  }
  const facts = [
    ["tool", f.tool],
    ["template", String(f.templateVmid)],
    [
      "state backend",
      f.localStatePath ? `local: ${f.localStatePath} (this runner only)` : f.backend
    ],
    [
      "provider lock",
      f.lockFile === "verify" ? "committed lock file, read-only" : "regenerated on this runner"
    ]
  ];
  if (f.planArtifact) facts.push(["stored plan", `${f.planArtifact} (AES-256-GCM)`]);
  parts.push(table(["", ""], facts));
  if (f.timings.length > 0)
    parts.push(
      table(
        ["step", "time"],
        f.timings.map((t) => [t.step, formatDuration(t.ms)])
      )
    );
  return parts.join("\n\n");
}
__name(tofuProvisionSummary, "tofuProvisionSummary");

// actions/tofu-provision/src/tofu-provision-action.ts
function defaultDeps(env = process.env) {
  return actionDeps(env);
}
__name(defaultDeps, "defaultDeps");
var bundledModuleDir = /* @__PURE__ */ __name(() => checkoutFolder(import.meta.url, "terraform", "versions.tf"), "bundledModuleDir");
async function run(deps = defaultDeps()) {
  const { env, logger } = deps;
  const startedAt = (/* @__PURE__ */ new Date()).toISOString();
  const inputs = readInputs(inputSchema, inputFromEnv(env));
  if (inputs["proxmox-token-secret"]) deps.maskSecret(inputs["proxmox-token-secret"]);
  if (inputs["state-key"]) deps.maskSecret(inputs["state-key"]);
  const loaded = await loadClusterConfig(inputs.cluster, {
    cwd: env.GITHUB_WORKSPACE ?? process.cwd()
  });
  const { plan } = loaded;
  if (inputs.mode === "destroy" && inputs["confirm-destroy"] !== plan.cluster)
    throw new ConfigurationError(
      inputs["confirm-destroy"] ? `confirm-destroy '${inputs["confirm-destroy"]}' is not the cluster's name '${plan.cluster}': nothing was destroyed` : `destroy mode needs confirm-destroy set to the cluster's name '${plan.cluster}': nothing was destroyed`,
      `type the cluster name exactly (${plan.cluster}) to destroy its VMs`
    );
  const connectionOptions = connectionFor(loaded, inputs, env);
  const connection = resolveConnection(connectionOptions, env, deps.maskSecret);
  deps.maskSecret(`${connection.tokenId}=${connection.tokenSecret}`);
  if (inputs.mode === "apply" && inputs["plan-sha256"] && !inputs["state-key"]) {
    throw new ConfigurationError(
      "plan-sha256 is set but state-key is empty: the stored plan cannot be opened",
      "pass the same state-key secret as the plan job"
    );
  }
  const backend = resolveBackend(loaded.config.state, inputs, env, [
    loaded.config.proxmox.tokenIdEnv,
    loaded.config.proxmox.tokenSecretEnv
  ]);
  for (const secret of Object.values(backend.env)) deps.maskSecret(secret);
  logger.info(`OpenTofu state: ${backend.kind} backend (from ${backend.source})`);
  const timer = new StepTimer();
  const writesNothing = inputs.mode === "plan" && !inputs["prepare-apply"];
  const templateVmid = await resolveTemplateVmid(inputs, loaded, deps);
  if (inputs.mode !== "destroy")
    await timer.time("check template", () => assertTemplate(connectionOptions, templateVmid, deps));
  const tofu = await prepareTofu({
    inputs,
    plan,
    connection,
    templateVmid,
    env,
    logger,
    timer,
    moduleDir: deps.moduleDir ?? inputs.module ?? (env.GITHUB_ACTION_PATH ? `${env.GITHUB_ACTION_PATH}/../../terraform` : bundledModuleDir()),
    pluginCache: deps.pluginCache ?? (inputs.cache ? actionsPluginCache(logger) : noPluginCache),
    backend,
    ...deps.download ? { download: deps.download } : {}
  });
  const openClient = /* @__PURE__ */ __name(() => createProxmoxClient({
    ...connectionOptions,
    logger,
    env,
    maskSecret: deps.maskSecret,
    ...deps.proxmoxTiming
  }), "openClient");
  const ctx = {
    plan,
    tofu,
    logger,
    timer,
    parallelism: provisioningParallelism(inputs.parallelism, plan),
    lockTimeout: inputs["lock-timeout"],
    allowReplace: inputs["allow-replace"],
    refreshOnlyPass: inputs["refresh-only-pass"],
    prepareApply: inputs["prepare-apply"],
    ...inputs.replace.length ? { replace: vmsToReplace(inputs.replace, plan) } : {},
    ...inputs["state-key"] ? { stateKey: inputs["state-key"] } : {},
    ...deps.artifactStore ? { artifactStore: deps.artifactStore } : {}
  };
  const reviewed = inputs.mode === "apply" && inputs["plan-sha256"] ? await fetchReviewedPlan(ctx, inputs["plan-sha256"]) : void 0;
  await reconcileInterruptedRun({
    plan,
    tofu,
    logger,
    timer,
    env,
    mode: inputs.mode,
    adopt: !writesNothing,
    templateVmid,
    lockTimeout: inputs["lock-timeout"],
    tokenId: connection.tokenId,
    openClient
  });
  const outcome = inputs.mode === "plan" ? await planMode(ctx) : inputs.mode === "apply" ? await applyMode(ctx, inputs["plan-sha256"], reviewed) : await destroyMode(ctx);
  const { counts } = outcome.summary;
  const needsApproval = outcome.summary.vms.some(
    (vm) => vm.action === "delete" || vm.action === "replace"
  );
  deps.setOutput("has-changes", String(outcome.summary.hasChanges));
  deps.setOutput("creates", String(counts.create));
  deps.setOutput("updates", String(counts.update));
  deps.setOutput("replaces", String(counts.replace));
  deps.setOutput("deletes", String(counts.delete));
  deps.setOutput("needs-approval", String(needsApproval));
  deps.setOutput("applied", String(outcome.applied));
  deps.setOutput("inventory", JSON.stringify(outcome.inventory));
  if (outcome.sha256) deps.setOutput("plan-sha256", outcome.sha256);
  if (outcome.planArtifact) deps.setOutput("plan-artifact", outcome.planArtifact);
  const stateArtifact = await finishPhase({
    plan,
    env,
    logger,
    artifactStore: deps.artifactStore,
    ...writesNothing ? { noUploadBecause: "a preview plan writes nothing (prepare-apply is off)" } : {},
    summary: tofuProvisionSummary({
      cluster: plan.cluster,
      mode: inputs.mode,
      outcome,
      tool: `${tofu.tool.binary} ${tofu.tool.version} (${tofu.tool.source})`,
      backend: `${backend.kind} (${backend.source})`,
      ...tofu.localStatePath ? { localStatePath: tofu.localStatePath } : {},
      lockFile: inputs["lock-file"],
      templateVmid,
      timings: timer.timings,
      ...outcome.planArtifact ? { planArtifact: outcome.planArtifact } : {}
    }),
    state: {
      phase: "tofu-provision",
      status: "succeeded",
      startedAt,
      timings: timer.timings,
      outputs: {
        inventory: outcome.inventory,
        ...outcome.sha256 ? { planSha256: outcome.sha256 } : {},
        applied: outcome.applied,
        counts,
        // plans and applies retried within this run after transient failures: why, and the time they cost
        ...outcome.retries ? { retries: outcome.retries } : {}
      }
    },
    stateKey: inputs["state-key"]
  });
  deps.setOutput("state-artifact", stateArtifact);
  return { ...outcome, cluster: plan.cluster, templateVmid, timings: timer.timings };
}
__name(run, "run");
function connectionFor(loaded, inputs, env) {
  return connectionForCluster(loaded, connectionInputsOf(inputs), env);
}
__name(connectionFor, "connectionFor");
async function resolveTemplateVmid(inputs, loaded, deps) {
  if (inputs["template-vmid"]) return inputs["template-vmid"];
  if (deps.artifactStore && inputs.mode !== "destroy") {
    try {
      const state = await downloadPhaseState(
        loaded.plan.cluster,
        "build-template",
        deps.artifactStore,
        {
          expect: {
            clusterUid: loaded.plan.uid,
            ...deps.env.GITHUB_RUN_ID ? { runId: deps.env.GITHUB_RUN_ID } : {},
            ...inputs["state-key"] ? { stateKey: inputs["state-key"] } : {}
          }
        }
      );
      deps.logger.info(
        `template ${state.outputs.templateVmid} from this run's build-template state`
      );
      return state.outputs.templateVmid;
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      deps.logger.info(
        `no build-template state in this run (${getErrorMessage(error)}); using template.vmid ${loaded.plan.template.vmid} from cluster.yaml`
      );
    }
  }
  return loaded.plan.template.vmid;
}
__name(resolveTemplateVmid, "resolveTemplateVmid");
async function assertTemplate(options, vmid, deps) {
  const client = await createProxmoxClient({
    ...options,
    logger: deps.logger,
    env: deps.env,
    maskSecret: deps.maskSecret,
    ...deps.proxmoxTiming
  });
  try {
    const vm = await findVm(client, vmid);
    if (!vm)
      throw new ConfigurationError(
        `template VMID ${vmid} does not exist on Proxmox`,
        "run build-template first (or set template-vmid to the template's VMID)"
      );
    if (!vm.template)
      throw new ConfigurationError(
        `VMID ${vmid} on ${vm.node} is a VM, not a template`,
        "point template-vmid at the template build-template made"
      );
  } finally {
    await client.close();
  }
}
__name(assertTemplate, "assertTemplate");
function provisioningParallelism(input, plan) {
  if (input !== "auto") return input;
  return Math.min(50, Math.max(1, plan.vms.length));
}
__name(provisioningParallelism, "provisioningParallelism");
function vmsToReplace(names, plan) {
  const known = new Set(plan.vms.map((vm) => vm.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length)
    throw new ConfigurationError(
      `input replace names ${unknown.join(", ")}, which cluster.yaml does not plan`,
      `name VMs of this cluster: ${[...known].join(", ")}`
    );
  return [...new Set(names)];
}
__name(vmsToReplace, "vmsToReplace");
export {
  defaultDeps,
  provisioningParallelism,
  run
};
