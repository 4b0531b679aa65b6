import { createRequire as __pveKubeCreateRequire } from 'node:module';
const require = __pveKubeCreateRequire(import.meta.url);
import {
  grantAdvice
} from "./chunk-AOOLGRGL.mjs";
import {
  require_undici
} from "./chunk-N6HR45QX.mjs";
import {
  ConfigurationError,
  ConfigurationErrors,
  getErrorMessage
} from "./chunk-SAJHUJQG.mjs";
import {
  setSecret
} from "./chunk-4EMYZHSE.mjs";
import {
  __name,
  __toESM
} from "./chunk-UUUODAAY.mjs";

// actions/lib/proxmox/connection.ts
var ENV = {
  url: "PROXMOX_URL",
  tokenId: "PROXMOX_TOKEN_ID",
  tokenSecret: "PROXMOX_TOKEN_SECRET",
  fingerprint: "PROXMOX_TLS_FINGERPRINT",
  caFile: "PROXMOX_TLS_CA_FILE",
  insecure: "PROXMOX_TLS_INSECURE"
};
var TOKEN_ID = /^[^\s@!]+@[^\s@!]+![A-Za-z][A-Za-z0-9._-]*$/;
var TOKEN_SECRET = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
function resolveConnection(options = {}, env = process.env, maskSecret = (s) => setSecret(s)) {
  const sources = {
    url: options.sources?.url ?? (options.url ? "the proxmox-url input" : env[ENV.url] ? `the ${ENV.url} environment variable` : options.defaults?.url ? "proxmox.endpoint in cluster.yaml" : `the ${ENV.url} environment variable`),
    tokenId: options.sources?.tokenId ?? (options.tokenId ? "the proxmox-token-id input" : `the ${ENV.tokenId} environment variable`),
    tokenSecret: options.sources?.tokenSecret ?? (options.tokenSecret ? "the proxmox-token-secret input" : `the ${ENV.tokenSecret} environment variable`)
  };
  const tokenSecret = (options.tokenSecret ?? env[ENV.tokenSecret] ?? "").trim();
  if (tokenSecret) maskSecret(tokenSecret);
  const rawUrl = (options.url || env[ENV.url] || options.defaults?.url || "").trim();
  const tokenId = (options.tokenId ?? env[ENV.tokenId] ?? "").trim();
  const problems = [];
  let parsed;
  if (!rawUrl) {
    problems.push(
      new ConfigurationError(
        `no Proxmox URL (${sources.url} is empty)`,
        `set ${ENV.url} to https://<node>:8006, or proxmox.endpoint in cluster.yaml`
      )
    );
  } else {
    try {
      parsed = new URL(rawUrl);
      if (parsed.protocol !== "https:" && parsed.protocol !== "http:") throw new Error("scheme");
    } catch {
      problems.push(
        new ConfigurationError(
          `the Proxmox URL '${rawUrl}' (${sources.url}) is not an https URL`,
          "use the form https://pve.example.com:8006"
        )
      );
      parsed = void 0;
    }
  }
  if (!tokenId) {
    problems.push(
      new ConfigurationError(
        `no Proxmox API token id (${sources.tokenId} is empty)`,
        `set ${sources.tokenId.replace(/^the /, "")} to the token id, e.g. root@pam!pve-kube`
      )
    );
  } else if (!TOKEN_ID.test(tokenId)) {
    problems.push(
      new ConfigurationError(
        `the Proxmox API token id '${tokenId}' (${sources.tokenId}) is not of the form user@realm!name`,
        "use the full token id as Proxmox shows it, e.g. root@pam!pve-kube"
      )
    );
  }
  if (!tokenSecret) {
    problems.push(
      new ConfigurationError(
        `no Proxmox API token secret (${sources.tokenSecret} is empty)`,
        `set ${sources.tokenSecret.replace(/^the /, "")} from a GitHub secret`
      )
    );
  } else if (!TOKEN_SECRET.test(tokenSecret)) {
    const hint = tokenSecret.includes("=") || tokenSecret.includes("!") ? "it looks like the whole `user@realm!name=secret` string: put only the part after `=` in the secret" : "it must be the lowercase UUID Proxmox showed once when the token was created (e.g. 0b8a5c2e-\u2026); create a new token if it is lost";
    problems.push(
      new ConfigurationError(
        `the Proxmox API token secret from ${sources.tokenSecret} is not a token secret`,
        hint
      )
    );
  }
  if (problems.length === 1) throw problems[0];
  if (problems.length > 1) throw new ConfigurationErrors(problems);
  const url = parsed;
  const schema = url.protocol === "http:" ? "http" : "https";
  const port = url.port ? Number(url.port) : 8006;
  const host = url.hostname.replace(/^\[(.*)\]$/, "$1");
  const origin = `${schema}://${url.hostname}:${port}`;
  const loopback = isLoopbackHost(host);
  if (schema === "http" && !loopback) {
    throw new ConfigurationError(
      `the Proxmox URL '${rawUrl}' (${sources.url}) is plain http: the API token would cross the network readable`,
      "use https://<node>:8006 (http is accepted only on a loopback address, such as a local simulator)"
    );
  }
  const committed = options.defaults?.url ? originOf(options.defaults.url) : void 0;
  const overridden = Boolean(committed && origin !== committed);
  if (overridden && !loopback) {
    throw new ConfigurationError(
      `${sources.url} points at ${origin}, not at proxmox.endpoint of cluster.yaml (${committed})`,
      "change proxmox.endpoint in cluster.yaml in a reviewed commit; an override may only name a loopback address (a simulator or an SSH tunnel)"
    );
  }
  return {
    url: `${schema}://${url.hostname}:${port}`,
    schema,
    host,
    port,
    tokenId,
    tokenSecret,
    tls: resolveTls(options.tls, env, options.defaults?.tls, !overridden),
    sources
  };
}
__name(resolveConnection, "resolveConnection");
function resolveTls(explicit, env, defaults, committedEndpoint) {
  const isSet = /* @__PURE__ */ __name((t) => Boolean(t && (t.fingerprint || t.caFile || t.insecure)), "isSet");
  const pinned = defaults && (defaults.fingerprint || defaults.caFile) ? defaults : void 0;
  if (pinned && committedEndpoint) {
    const outside = [
      ["the proxmox-fingerprint input", explicit],
      [
        `${ENV.fingerprint} / ${ENV.caFile} / ${ENV.insecure}`,
        {
          ...env[ENV.fingerprint] ? { fingerprint: env[ENV.fingerprint] } : {},
          ...env[ENV.caFile] ? { caFile: env[ENV.caFile] } : {},
          ...(env[ENV.insecure] ?? "").trim().toLowerCase() === "true" ? { insecure: true } : {}
        }
      ]
    ];
    for (const [what, tls2] of outside) {
      if (!isSet(tls2) || sameTls(tls2, pinned)) continue;
      throw new ConfigurationError(
        `${what} would replace the certificate pin cluster.yaml commits for its endpoint (proxmox.tls)`,
        "unset it; change proxmox.tls in cluster.yaml in a reviewed commit when the certificate changes"
      );
    }
    return pinned;
  }
  if (isSet(explicit)) return explicit;
  const insecure = (env[ENV.insecure] ?? "").trim().toLowerCase();
  if (insecure && insecure !== "true" && insecure !== "false") {
    throw new ConfigurationError(
      `${ENV.insecure} must be true or false, got '${env[ENV.insecure]}'`,
      "unset it, or pin the certificate with PROXMOX_TLS_FINGERPRINT instead"
    );
  }
  const fromEnv = {
    ...env[ENV.fingerprint] ? { fingerprint: env[ENV.fingerprint] } : {},
    ...env[ENV.caFile] ? { caFile: env[ENV.caFile] } : {},
    ...insecure === "true" ? { insecure: true } : {}
  };
  if (isSet(fromEnv)) return fromEnv;
  return defaults ?? {};
}
__name(resolveTls, "resolveTls");
function sameTls(a, b) {
  const norm = /* @__PURE__ */ __name((f) => f?.replace(/:/g, "").toLowerCase(), "norm");
  return norm(a.fingerprint) === norm(b.fingerprint) && a.caFile === b.caFile && Boolean(a.insecure) === Boolean(b.insecure);
}
__name(sameTls, "sameTls");
function originOf(raw) {
  try {
    const u = new URL(raw.trim());
    return `${u.protocol.replace(":", "")}://${u.hostname}:${u.port ? Number(u.port) : 8006}`;
  } catch {
    return void 0;
  }
}
__name(originOf, "originOf");
function isLoopbackHost(host) {
  return host === "localhost" || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}
__name(isLoopbackHost, "isLoopbackHost");

// node_modules/proxmox-api/esm/ProxmoxEngine.js
var import_undici = __toESM(require_undici(), 1);
import { URL as URL2 } from "url";
var USER_AGENT = "proxmox-api (https://github.com/UrielCh/proxmox-api)";
var baseHeader = { Accept: "*/*", "User-Agent": USER_AGENT };
var ProxmoxEngine = class {
  static {
    __name(this, "ProxmoxEngine");
  }
  constructor(options) {
    this.fetch = options.fetch || import_undici.fetch;
    if ("tokenID" in options && options.tokenSecret) {
      this.username = "";
      this.password = "";
      if (!options.tokenID.match(/.*@.+\!.+/)) {
        const msg = "invalid tokenID, format should look be like USER@REALM!TOKENID";
        console.error(msg);
        throw Error(msg);
      }
      if (!options.tokenSecret.match(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)) {
        const msg = "invalid tokenSecret, format should be an lowercased UUID like 12345678-1234-1234-1234-1234567890ab";
        console.error(msg);
        throw Error(msg);
      }
      this.ticket = `PVEAPIToken=${options.tokenID}=${options.tokenSecret}`;
    } else {
      const optPass = options;
      this.username = optPass.username || "root@pam";
      this.password = optPass.password;
      if (!this.password) {
        const msg = `password is missing for Proxmox connection`;
        console.error(msg);
        throw Error(msg);
      }
    }
    this.hostname = options.host;
    this.port = options.port;
    this.schema = options.schema || "https";
    this.authTimeout = options.authTimeout || 5e3;
    this.queryTimeout = options.queryTimeout || 6e4;
    this.debug = options.debug;
  }
  get host() {
    if (!this.port)
      return this.hostname;
    return `${this.hostname}:${this.port}`;
  }
  /**
   *
   * @param method http method GET POST PUT of DELETE
   * @param path http path
   * @param pathTemplate http path without var replacements *
   * @param params query params
   * @param retries retries id
   * @returns data from remote response
   */
  async doRequest(method, path, pathTemplate, params, retries = 0) {
    const { CSRFPreventionToken, ticket } = await this.getTicket();
    method = method.toUpperCase();
    if (!retries && params)
      for (let k in params) {
        if (params.hasOwnProperty(k) && (params[k] === null || params[k] === void 0)) {
          delete params[k];
        }
      }
    const headers = { ...baseHeader };
    if (!this.username) {
      headers.Authorization = ticket;
    } else {
      headers.cookie = `PVEAuthCookie=${ticket}`;
      headers.CSRFPreventionToken = CSRFPreventionToken;
    }
    let body = void 0;
    const requestUrl = new URL2(`${this.schema}://${this.host}${path}`);
    if (typeof params === "object" && Object.keys(params).length > 0) {
      let searchParams;
      if (method === "PUT" || method === "POST") {
        searchParams = new URLSearchParams();
      } else {
        searchParams = requestUrl.searchParams;
      }
      for (const k of Object.keys(params)) {
        const v = params[k];
        if (v === true)
          searchParams.set(k, "1");
        else if (v === false)
          searchParams.set(k, "0");
        else if (Array.isArray(v))
          for (const e of v)
            searchParams.append(k, `${e}`);
        else
          searchParams.set(k, `${v}`);
      }
      if (method === "PUT" || method === "POST") {
        body = searchParams.toString();
        headers["Content-Type"] = "application/x-www-form-urlencoded";
        headers["Content-Length"] = body.length.toString();
      }
    }
    let res = null;
    const fetchInit = { method, body, headers };
    try {
      const controller = new AbortController();
      const id = setTimeout(() => controller.abort(), this.queryTimeout);
      fetchInit.signal = controller.signal;
      res = await this.fetch(requestUrl, fetchInit);
      clearTimeout(id);
    } catch (e) {
      if (this.debug) {
        if (this.debug === "curl") {
          let auth = "";
          if (headers.cookie) {
            auth = `-H "CSRFPreventionToken: ${CSRFPreventionToken}" --cookie ${JSON.stringify(headers.cookie)}`;
          } else {
            auth = `-H "Authorization: ${ticket}" --cookie ${JSON.stringify(headers.cookie)}`;
          }
          let data2 = "";
          if (body)
            data2 = `--data ${JSON.stringify(body)}`;
          if (method === "POST") {
            console.log(`curl -v --insecure  ${auth} ${data2} ${requestUrl}`);
          } else if (method === "GET") {
            console.log(`curl -v --insecure ${auth} ${requestUrl}`);
          } else {
            console.log(`curl -v -X ${method} ${auth} ${data2} ${requestUrl}`);
          }
        } else if (this.debug === "fetch") {
          console.log(`fetch("${requestUrl}", ${JSON.stringify(fetchInit)})`);
        }
      }
      retries++;
      if (retries < 2) {
        return this.doRequest(method, path, pathTemplate, params, retries);
      }
      let errMsg = `FaILED to call ${method} ${requestUrl}`;
      const err = e;
      if (err.cause && err.cause.message)
        errMsg += ` cause by:${err.cause.message}`;
      const error = Error(errMsg);
      error.cause = e;
      throw error;
    }
    if (res === null) {
      throw Error(`Failed to fetch ${method} ${requestUrl} return null`);
    }
    const contentType = res.headers.get("content-type");
    let data = { data: null };
    if (contentType === "application/json;charset=UTF-8") {
      try {
        data = await res.json();
      } catch (e) {
        data.errors = "Failed to parse response json";
      }
    } else if (contentType === "application/octet-stream") {
      data.data = res.body;
    } else if (!contentType) {
      data.errors = "";
      try {
        data.errors = await res.text();
      } catch (e) {
      }
    } else {
      throw Error(`${method} ${requestUrl} unexpected contentType "${contentType}" status Line:${res.status} ${res.text}`);
    }
    switch (res.status) {
      case 400:
        throw Error(`${method} ${requestUrl} return Error ${res.status} ${res.statusText}: ${JSON.stringify(data)}`);
      case 500:
        throw Error(`${method} ${requestUrl} return Error ${res.status} ${res.statusText}: ${JSON.stringify(data)}`);
      case 401:
        if (res.statusText === "invalid PVE ticket" || res.statusText === "permission denied - invalid PVE ticket") {
          this.ticket = void 0;
          if (!this.username)
            retries = 10;
          retries++;
          if (retries < 2)
            return this.doRequest(method, path, pathTemplate, params, retries);
        }
        throw Error(`${method} ${requestUrl} return Error ${res.status} ${res.statusText}: ${JSON.stringify(data)}`);
      case 200:
        return data.data;
      default:
        throw Error(`${method} ${requestUrl} connection failed with ${res.status} ${res.statusText} return: ${JSON.stringify(data)}`);
    }
  }
  /**
   * return the current ticket/token, or create new ones, is previous one had been discared, or missing.
   * @returns Proxmox API ticket and CSRFPreventionToken
   */
  async getTicket() {
    if (this.ticket) {
      if (!this.username)
        return { ticket: this.ticket, CSRFPreventionToken: "" };
      if (this.CSRFPreventionToken)
        return { ticket: this.ticket, CSRFPreventionToken: this.CSRFPreventionToken };
    }
    const requestUrl = `${this.schema}://${this.host}/api2/json/access/ticket`;
    try {
      const { password, username } = this;
      const body = new URLSearchParams({ username, password }).toString();
      const headers = {
        ...baseHeader,
        "Content-Type": "application/x-www-form-urlencoded",
        "Content-Length": body.length.toString()
      };
      const controller = new AbortController();
      const id = setTimeout(() => controller.abort(), this.authTimeout);
      const method = "POST";
      const { signal } = controller;
      const r = await this.fetch(requestUrl, { method, headers, signal, body });
      clearTimeout(id);
      const text = await r.text();
      if (r.status !== 200) {
        throw Error(`login failed with ${r.status}: ${r.statusText} ${text}`);
      }
      const respObj = JSON.parse(text);
      const { CSRFPreventionToken, ticket } = respObj.data;
      this.CSRFPreventionToken = CSRFPreventionToken;
      this.ticket = ticket;
      return { ticket, CSRFPreventionToken };
    } catch (e) {
      const error = Error(`Auth ${requestUrl} Failed!`);
      error.cause = e;
      throw error;
    }
  }
};
var ProxmoxEngine_default = ProxmoxEngine;

// node_modules/proxmox-api/esm/proxy.js
var commonGet = /* @__PURE__ */ __name((key, target) => {
  if (key.startsWith("$")) {
    if (key === "$") {
      return (id) => {
        const idStr = String(id).replace(/\//g, "%2F");
        const child2 = new ProxyApi(target._engine, `${target._path}/${idStr}`, `${target._model}/*`);
        return new Proxy(child2, handlerChild);
      };
    }
    const fnc = /* @__PURE__ */ __name((params) => {
      const mtd = key.substring(1);
      return target._engine.doRequest(mtd, target._path, target._model, params);
    }, "fnc");
    return fnc.bind(target._engine);
  }
  if (key.startsWith("_"))
    key = key.substring(1);
  const child = new ProxyApi(target._engine, `${target._path}/${key}`, `${target._model}/${key}`);
  return new Proxy(child, handlerChild);
}, "commonGet");
var handlerChild = {
  construct(target, argArray, newTarget) {
    return target;
  },
  get(target, p, receiver) {
    if (typeof p === "symbol")
      return target[p];
    const key = p.toString();
    switch (key) {
      case "toString":
      case "valueOf":
      case "toLocaleString":
        return target[p];
    }
    return commonGet(key, target);
  }
};
var handlerRoot = {
  construct(target, argArray, newTarget) {
    return target;
  },
  get(target, p, receiver) {
    if (typeof p === "symbol")
      return target[p];
    let key = p.toString();
    switch (key) {
      // object
      case "toString":
      case "valueOf":
      case "toLocaleString":
        return target[p];
      // EventEmitter
      case "addListener":
      case "on":
      case "once":
      case "prependListener":
      case "prependOnceListener":
      case "removeListener":
      case "off":
      case "removeAllListeners":
      case "setMaxListeners":
      case "getMaxListeners":
      case "listeners":
      case "rawListeners":
      case "emit":
      case "eventNames":
      case "listenerCount":
        return target[p];
    }
    return commonGet(key, target);
  }
};
var ProxyApi = class {
  static {
    __name(this, "ProxyApi");
  }
  constructor(_engine, _path, model) {
    this._engine = _engine;
    this._path = _path;
    this._model = model || this._path;
  }
  toString() {
    return `ProxyApi{path:${this._path}}`;
  }
};
function buildApiProxy(engine, path) {
  return new Proxy(new ProxyApi(engine, path), handlerRoot);
}
__name(buildApiProxy, "buildApiProxy");

// node_modules/proxmox-api/esm/constructor.js
function isProxmoxEngine(val) {
  return "doRequest" in val;
}
__name(isProxmoxEngine, "isProxmoxEngine");
function proxmoxApi(options) {
  if (isProxmoxEngine(options))
    return buildApiProxy(options, "/api2/json");
  else
    return buildApiProxy(new ProxmoxEngine_default(options), "/api2/json");
}
__name(proxmoxApi, "proxmoxApi");

// actions/lib/proxmox/errors.ts
var ProxmoxApiError = class extends Error {
  constructor(method, path, status, serverMessage, paramErrors = {}) {
    const params = Object.entries(paramErrors).map(([k, v]) => `${k}: ${v}`);
    super(
      `${method} ${path} failed with ${status}: ${serverMessage}${params.length ? ` (${params.join("; ")})` : ""}`
    );
    this.method = method;
    this.path = path;
    this.status = status;
    this.serverMessage = serverMessage;
    this.paramErrors = paramErrors;
  }
  method;
  path;
  status;
  serverMessage;
  paramErrors;
  static {
    __name(this, "ProxmoxApiError");
  }
  name = "ProxmoxApiError";
};
var ProxmoxAuthError = class extends ConfigurationError {
  constructor(tokenId, url, sources) {
    super(
      `Proxmox at ${url} rejected the API token '${tokenId}' (401 authentication failed)`,
      `check the token id (from ${sources.tokenId}, format user@realm!name) and its secret (from ${sources.tokenSecret}, the UUID shown once when the token was created); list tokens with \`pveum user token list <user@realm>\`, or create a new one with \`pveum user token add <user@realm> <name> --privsep 1\``
    );
    this.tokenId = tokenId;
    this.url = url;
  }
  tokenId;
  url;
  static {
    __name(this, "ProxmoxAuthError");
  }
  name = "ProxmoxAuthError";
  status = 401;
};
var ProxmoxPermissionError = class extends ConfigurationError {
  constructor(method, apiPath2, tokenId, aclPath, privileges, serverMessage) {
    super(
      aclPath && privileges.length > 0 ? `the API token '${tokenId}' lacks ${privileges.join(" or ")} on ${aclPath} (${method} ${apiPath2} was refused: ${serverMessage})` : `the API token '${tokenId}' is not allowed to call ${method} ${apiPath2}: ${serverMessage}`,
      aclPath && privileges.length > 0 ? grantAdvice(tokenId, [{ path: aclPath, privileges: [privileges[0] ?? ""] }]) : "this call needs root@pam or a ticket, not an API token; check the Proxmox permission documentation for this API path"
    );
    this.method = method;
    this.apiPath = apiPath2;
    this.tokenId = tokenId;
    this.aclPath = aclPath;
    this.privileges = privileges;
    this.serverMessage = serverMessage;
  }
  method;
  apiPath;
  tokenId;
  aclPath;
  privileges;
  serverMessage;
  static {
    __name(this, "ProxmoxPermissionError");
  }
  name = "ProxmoxPermissionError";
  status = 403;
};
var ProxmoxUnreachableError = class extends ConfigurationError {
  constructor(host, port, code, detail, fix, transient) {
    super(`cannot reach Proxmox at ${host}:${port}: ${detail}`, fix);
    this.host = host;
    this.port = port;
    this.code = code;
    this.transient = transient;
  }
  host;
  port;
  code;
  transient;
  static {
    __name(this, "ProxmoxUnreachableError");
  }
  name = "ProxmoxUnreachableError";
};
var TaskFailedError = class extends Error {
  constructor(upid, node, type, exitStatus, logTail) {
    super(
      `Proxmox task ${type}${taskTarget(upid)} on ${node} failed: ${exitStatus}` + (logTail.length ? `
last lines of the task log (${upid}):
${logTail.map((l) => `  ${l}`).join("\n")}` : "")
    );
    this.upid = upid;
    this.node = node;
    this.type = type;
    this.exitStatus = exitStatus;
    this.logTail = logTail;
  }
  upid;
  node;
  type;
  exitStatus;
  logTail;
  static {
    __name(this, "TaskFailedError");
  }
  name = "TaskFailedError";
};
var TaskTimeoutError = class extends Error {
  constructor(upid, node, type, timeoutMs, logTail) {
    super(
      `Proxmox task ${type}${taskTarget(upid)} on ${node} did not finish within ${Math.round(timeoutMs / 1e3)} s; it may still be running (${upid})` + (logTail.length ? `
last lines of the task log:
${logTail.map((l) => `  ${l}`).join("\n")}` : "")
    );
    this.upid = upid;
    this.node = node;
    this.type = type;
    this.timeoutMs = timeoutMs;
    this.logTail = logTail;
  }
  upid;
  node;
  type;
  timeoutMs;
  logTail;
  static {
    __name(this, "TaskTimeoutError");
  }
  name = "TaskTimeoutError";
};
function taskTarget(upid) {
  const id = upid.split(":")[6];
  return id ? ` ${id}` : "";
}
__name(taskTarget, "taskTarget");
function proxmoxText(error) {
  if (error instanceof ProxmoxApiError) return error.serverMessage;
  if (error instanceof TaskFailedError) return error.exitStatus;
  return "";
}
__name(proxmoxText, "proxmoxText");
function isNotFound(error) {
  if (error instanceof ProxmoxApiError && error.status === 404) return true;
  return /does not exist|no such (resource|file|task|vm|storage)|No such file or directory/i.test(
    proxmoxText(error)
  );
}
__name(isNotFound, "isNotFound");
function isAlreadyExists(error) {
  return /already exists/i.test(proxmoxText(error));
}
__name(isAlreadyExists, "isAlreadyExists");
function isLockTimeout(error) {
  return /can't lock file .* got timeout/i.test(proxmoxText(error));
}
__name(isLockTimeout, "isLockTimeout");
function isVmLocked(error) {
  return /VM is locked/i.test(proxmoxText(error));
}
__name(isVmLocked, "isVmLocked");

// actions/lib/proxmox/retry.ts
var realSleep = /* @__PURE__ */ __name((ms) => new Promise((resolve) => setTimeout(resolve, ms)), "realSleep");
var defaultRetryPolicy = {
  maxAttempts: 5,
  baseDelayMs: 500,
  maxDelayMs: 8e3,
  sleep: realSleep,
  random: Math.random
};
function backoffDelay(attempt, policy) {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return Math.floor(policy.random() * ceiling);
}
__name(backoffDelay, "backoffDelay");
function isTransient(error) {
  if (error instanceof ProxmoxUnreachableError) return error.transient;
  if (error instanceof ProxmoxApiError) {
    if (error.status < 500 || error.status === 501) return false;
    if (error.status === 500 && isNotFound(error)) return false;
    return true;
  }
  return false;
}
__name(isTransient, "isTransient");
async function withRetries(fn, policy, onRetry, shouldRetry = isTransient) {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt + 1 >= policy.maxAttempts || !shouldRetry(error)) throw error;
      const delay = backoffDelay(attempt, policy);
      onRetry?.(error, attempt + 1, delay);
      await policy.sleep(delay);
    }
  }
}
__name(withRetries, "withRetries");

// actions/lib/proxmox/tls.ts
var import_undici2 = __toESM(require_undici(), 1);
import { readFile } from "node:fs/promises";
import { isIP } from "node:net";
import tls from "node:tls";
var FINGERPRINT_MISMATCH = "PVE_KUBE_FINGERPRINT_MISMATCH";
var FingerprintMismatchError = class extends Error {
  constructor(expected, actual) {
    super(`certificate fingerprint mismatch: expected ${expected}, the server presented ${actual}`);
    this.expected = expected;
    this.actual = actual;
  }
  expected;
  actual;
  static {
    __name(this, "FingerprintMismatchError");
  }
  name = "FingerprintMismatchError";
  code = FINGERPRINT_MISMATCH;
};
function normalizeFingerprint(value) {
  const hex = value.trim().replace(/^sha256[:=]?/i, "").replace(/[:\s]/g, "");
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) {
    throw new ConfigurationError(
      `the TLS fingerprint '${value}' is not a SHA-256 fingerprint (32 bytes as hex)`,
      "copy it from the Proxmox node (`pvenode cert info` \u2192 fingerprint, or Node \u2192 System \u2192 Certificates), e.g. 3F:A1:\u2026:9C"
    );
  }
  return hex.toUpperCase().match(/../g).join(":");
}
__name(normalizeFingerprint, "normalizeFingerprint");
function tlsMode(settings) {
  if (settings.fingerprint) return "pinned";
  if (settings.caFile) return "ca-file";
  if (settings.insecure) return "insecure";
  return "verified";
}
__name(tlsMode, "tlsMode");
function checkExclusive(settings) {
  const chosen = [
    settings.fingerprint && "fingerprint",
    settings.caFile && "caFile",
    settings.insecure && "insecure"
  ].filter(Boolean);
  if (chosen.length > 1) {
    throw new ConfigurationError(
      `conflicting TLS settings: ${chosen.join(" and ")} are both set`,
      "choose one: pin the fingerprint (recommended for a self-signed Proxmox), trust a CA file, or \u2014 only for a throwaway lab \u2014 insecure"
    );
  }
}
__name(checkExclusive, "checkExclusive");
async function createTlsDispatcher(settings, logger) {
  checkExclusive(settings);
  const mode = tlsMode(settings);
  switch (mode) {
    case "pinned": {
      const expected = normalizeFingerprint(settings.fingerprint ?? "");
      return new import_undici2.Agent({ connect: pinningConnector(expected) });
    }
    case "ca-file": {
      const file = settings.caFile ?? "";
      let ca;
      try {
        ca = await readFile(file, "utf8");
      } catch (error) {
        throw new ConfigurationError(
          `cannot read the TLS CA file ${file}: ${error.message}`,
          "point proxmox.tls.caFile at a PEM file readable on the runner"
        );
      }
      if (!ca.includes("-----BEGIN CERTIFICATE-----")) {
        throw new ConfigurationError(
          `the TLS CA file ${file} holds no PEM certificate`,
          "use the PEM CA certificate (/etc/pve/pve-root-ca.pem on a Proxmox node)"
        );
      }
      return new import_undici2.Agent({ connect: { ca, rejectUnauthorized: true } });
    }
    case "insecure":
      logger.warning(
        "TLS verification of the Proxmox certificate is OFF (insecure: true): anyone on the network path can read the API token. Pin the certificate fingerprint instead."
      );
      return new import_undici2.Agent({ connect: { rejectUnauthorized: false } });
    case "verified":
      return new import_undici2.Agent({ connect: { rejectUnauthorized: true } });
  }
}
__name(createTlsDispatcher, "createTlsDispatcher");
function pinningConnector(expected) {
  const base = (0, import_undici2.buildConnector)({ rejectUnauthorized: false, maxCachedSessions: 0 });
  return (options, callback) => {
    base(options, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error("TLS connection failed"), null);
        return;
      }
      const actual = socket instanceof tls.TLSSocket ? socket.getPeerCertificate().fingerprint256 : void 0;
      if (actual !== expected) {
        socket.destroy();
        callback(
          new FingerprintMismatchError(expected, actual ?? "no certificate (not a TLS connection)"),
          null
        );
        return;
      }
      callback(null, socket);
    });
  };
}
__name(pinningConnector, "pinningConnector");
function presentedFingerprint(host, port, timeoutMs = 5e3) {
  return new Promise((resolve) => {
    const socket = tls.connect({
      host,
      port,
      servername: isIP(host) ? void 0 : host,
      rejectUnauthorized: false
    });
    const done = /* @__PURE__ */ __name((value) => {
      socket.destroy();
      resolve(value);
    }, "done");
    socket.setTimeout(timeoutMs, () => done(void 0));
    socket.once("secureConnect", () => done(socket.getPeerCertificate().fingerprint256));
    socket.once("error", () => done(void 0));
  });
}
__name(presentedFingerprint, "presentedFingerprint");

// actions/lib/proxmox/http-transport.ts
import { AsyncLocalStorage } from "node:async_hooks";
var import_undici3 = __toESM(require_undici(), 1);

// actions/lib/proxmox/unreachable.ts
function networkErrorCode(error) {
  let current = error;
  for (let depth = 0; depth < 6 && current; depth++) {
    const e = current;
    if (typeof e.code === "string")
      return {
        code: e.code,
        message: typeof e.message === "string" ? e.message : "",
        cause: current
      };
    if (e.name === "AbortError" || e.name === "TimeoutError")
      return { code: "ETIMEDOUT", message: "request timed out", cause: current };
    current = e.cause;
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: "UNKNOWN", message, cause: error };
}
__name(networkErrorCode, "networkErrorCode");
var UNTRUSTED = /* @__PURE__ */ new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
  "CERT_SIGNATURE_FAILURE"
]);
var TRANSIENT = /* @__PURE__ */ new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EPIPE",
  "ETIMEDOUT",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "UND_ERR_SOCKET",
  "UND_ERR_CONNECT_TIMEOUT",
  "UND_ERR_HEADERS_TIMEOUT",
  "UND_ERR_BODY_TIMEOUT",
  "UND_ERR_CLOSED"
]);
var PIN_HINT = "set proxmox.tls.fingerprint in cluster.yaml (or PROXMOX_TLS_FINGERPRINT)";
async function explainNetworkError(error, target, presented = presentedFingerprint) {
  const { host, port } = target;
  const { code, message, cause } = networkErrorCode(error);
  const make = /* @__PURE__ */ __name((detail, fix, transient = false) => new ProxmoxUnreachableError(host, port, code, detail, fix, transient), "make");
  if (code === FINGERPRINT_MISMATCH && cause instanceof FingerprintMismatchError) {
    return make(
      `TLS ${cause.message}`,
      `if the Proxmox certificate was renewed on purpose, pin the new one (${PIN_HINT}; compare with \`pvenode cert info\` on the node); otherwise this is not the server you expect \u2014 do not continue`
    );
  }
  if (UNTRUSTED.has(code)) {
    const actual = await presented(host, port).catch(() => void 0);
    return make(
      `TLS certificate not trusted (${code}: ${message})${actual ? `; the server presented the certificate with SHA-256 fingerprint ${actual}` : ""}`,
      `Proxmox uses a self-signed certificate by default: pin it (${PIN_HINT}${actual ? ` to ${actual}` : ""} after checking it with \`pvenode cert info\` on the node), or trust its CA with proxmox.tls.caFile (/etc/pve/pve-root-ca.pem)`
    );
  }
  if (code === "CERT_HAS_EXPIRED" || code === "CERT_NOT_YET_VALID") {
    return make(
      `TLS certificate is ${code === "CERT_HAS_EXPIRED" ? "expired" : "not yet valid"} (${message})`,
      "renew the node certificate (`pvecm updatecerts --force` or ACME) or check the runner's clock"
    );
  }
  if (code === "ERR_TLS_CERT_ALTNAME_INVALID") {
    return make(
      `TLS certificate is not valid for the host name '${host}' (${message})`,
      `use a URL whose host name is in the certificate, or pin the certificate fingerprint (${PIN_HINT})`
    );
  }
  if (code === "EPROTO" || code === "ERR_SSL_WRONG_VERSION_NUMBER" || /wrong version number|packet length too long/i.test(message)) {
    return make(
      `the TLS handshake failed (${code}: ${message})`,
      "check that the URL uses https:// and the Proxmox API port (8006)"
    );
  }
  if (code === "ECONNREFUSED") {
    return make(
      "connection refused",
      `check that pveproxy is running on the node (\`systemctl status pveproxy\`) and that port ${port} is open from the runner`,
      true
    );
  }
  if (code === "ENOTFOUND") {
    return make(
      `the host name '${host}' does not resolve`,
      "check PROXMOX_URL / proxmox.endpoint, and the runner's DNS"
    );
  }
  if (TRANSIENT.has(code)) {
    return make(
      `${code}: ${message}`,
      `check that the runner can reach ${host}:${port} (firewall, VPN, routing) and that the node is up`,
      true
    );
  }
  return make(
    `${code}: ${message}`,
    `check that the runner can reach ${host}:${port} and that the URL is the Proxmox API (https://host:8006)`
  );
}
__name(explainNetworkError, "explainNetworkError");

// actions/lib/proxmox/http-transport.ts
var API_PREFIX = "/api2/json";
var SUCCESS_CONTENT_TYPE = "application/json;charset=UTF-8";
var ProxmoxTransport = class {
  constructor(options) {
    this.options = options;
    const { connection } = options;
    this.hostForUrl = connection.host.includes(":") ? `[${connection.host}]` : connection.host;
    this.engine = new ProxmoxEngine({
      host: this.hostForUrl,
      port: connection.port,
      schema: connection.schema,
      tokenID: connection.tokenId,
      tokenSecret: connection.tokenSecret,
      queryTimeout: options.requestTimeoutMs ?? 6e4,
      fetch: this.fetchOnce
    });
  }
  options;
  static {
    __name(this, "ProxmoxTransport");
  }
  engine;
  exchanges = new AsyncLocalStorage();
  hostForUrl;
  fetchOnce = /* @__PURE__ */ __name(async (url, init) => {
    const exchange = this.exchanges.getStore();
    if (exchange?.sent) {
      throw exchange.networkError instanceof Error ? exchange.networkError : new Error("request already sent once");
    }
    if (exchange) exchange.sent = true;
    try {
      const response = await (0, import_undici3.fetch)(url, { ...init, dispatcher: this.options.dispatcher });
      if (exchange) {
        exchange.status = response.status;
        exchange.statusText = response.statusText;
        if (response.status !== 200) exchange.bodyText = await response.clone().text();
      }
      return response;
    } catch (error) {
      if (exchange) exchange.networkError = error;
      throw error;
    }
  }, "fetchOnce");
  /** ApiRequestable: called by the proxmox-api proxy for every `$get/$post/$put/$delete`. */
  async doRequest(httpMethod, path, pathTemplate, params) {
    const method = httpMethod.toUpperCase();
    const once = /* @__PURE__ */ __name(() => this.requestOnce(method, path, pathTemplate, params ? { ...params } : void 0), "once");
    if (method !== "GET") return once();
    const { retry, logger } = this.options;
    return withRetries(
      once,
      retry,
      (error, attempt, delay) => logger.info(
        `Proxmox GET ${apiPath(path)} failed (${getErrorMessage(error).split("\n")[0]}); retry ${attempt} of ${retry.maxAttempts - 1} in ${delay} ms`
      )
    );
  }
  async requestOnce(method, path, pathTemplate, params) {
    const exchange = { sent: false };
    this.options.logger.debug(`Proxmox ${method} ${apiPath(path)}`);
    try {
      return await this.exchanges.run(
        exchange,
        () => this.engine.doRequest(method, path, pathTemplate, params)
      );
    } catch (error) {
      throw await this.explain(method, apiPath(path), exchange, error);
    }
  }
  /**
   * A multipart upload (`POST …/storage/{s}/upload`), which proxmox-api cannot send. Same TLS,
   * same token, same error mapping; never retried (it is a write).
   */
  async upload(path, form) {
    const { connection } = this.options;
    const exchange = { sent: true };
    const url = `${connection.schema}://${this.hostForUrl}:${connection.port}${API_PREFIX}${path}`;
    this.options.logger.debug(`Proxmox POST ${path} (upload)`);
    let text;
    try {
      const response = await (0, import_undici3.fetch)(url, {
        method: "POST",
        body: form,
        headers: { Authorization: `PVEAPIToken=${connection.tokenId}=${connection.tokenSecret}` },
        dispatcher: this.options.dispatcher
      });
      exchange.status = response.status;
      exchange.statusText = response.statusText;
      text = await response.text();
      exchange.bodyText = text;
      if (response.status !== 200 || response.headers.get("content-type") !== SUCCESS_CONTENT_TYPE)
        throw new Error(`upload answered ${response.status}`);
    } catch (error) {
      if (exchange.status === void 0) exchange.networkError = error;
      throw await this.explain("POST", path, exchange, error);
    }
    return JSON.parse(text).data;
  }
  async explain(method, path, exchange, error) {
    const { connection } = this.options;
    if (exchange.networkError !== void 0) {
      return explainNetworkError(
        exchange.networkError,
        { host: connection.host, port: connection.port, tlsMode: tlsMode(connection.tls) },
        this.options.presentedFingerprint
      );
    }
    const status = exchange.status;
    if (status === void 0 || status === 200) {
      return new Error(
        `Proxmox ${method} ${path}: unexpected response: ${getErrorMessage(error)}`,
        { cause: error }
      );
    }
    const body = parseBody(exchange.bodyText);
    const serverMessage = (body.message ?? exchange.statusText ?? "").trim() || `HTTP ${status}`;
    if (status === 401)
      return new ProxmoxAuthError(connection.tokenId, connection.url, connection.sources);
    if (status === 403) {
      const { aclPath, privileges } = parsePermissionMessage(serverMessage);
      return new ProxmoxPermissionError(
        method,
        path,
        connection.tokenId,
        aclPath,
        privileges,
        serverMessage
      );
    }
    return new ProxmoxApiError(method, path, status, serverMessage, body.errors);
  }
};
function apiPath(path) {
  return path.startsWith(API_PREFIX) ? path.slice(API_PREFIX.length) || "/" : path;
}
__name(apiPath, "apiPath");
function parseBody(text) {
  if (!text) return {};
  try {
    const json = JSON.parse(text);
    const errors = json.errors && typeof json.errors === "object" ? Object.fromEntries(Object.entries(json.errors).map(([k, v]) => [k, String(v).trim()])) : void 0;
    return {
      ...typeof json.message === "string" ? { message: json.message } : {},
      ...errors ? { errors } : {}
    };
  } catch {
    return { message: text.slice(0, 500) };
  }
}
__name(parseBody, "parseBody");
function parsePermissionMessage(message) {
  const match = /\((\/[^,)]*),\s*([A-Za-z][\w.]*(?:\s*[|,]\s*[A-Za-z][\w.]*)*)\)/.exec(message);
  if (!match) return { privileges: [] };
  return {
    aclPath: match[1].trim(),
    privileges: match[2].split(/[|,]/).map((p) => p.trim()).filter(Boolean)
  };
}
__name(parsePermissionMessage, "parsePermissionMessage");

// actions/lib/proxmox/client.ts
async function createProxmoxClient(options) {
  const connection = resolveConnection(
    options,
    options.env ?? process.env,
    options.maskSecret
  );
  const { logger } = options;
  if (connection.schema === "http") {
    logger.warning(
      `the Proxmox URL ${connection.url} is plain http: the API token travels unencrypted`
    );
  }
  const dispatcher = await createTlsDispatcher(connection.tls, logger);
  const retry = { ...defaultRetryPolicy, ...options.retry };
  const clock = {
    sleep: options.clock?.sleep ?? realSleep,
    now: options.clock?.now ?? Date.now
  };
  const transport = new ProxmoxTransport({
    connection,
    dispatcher,
    logger,
    retry,
    ...options.requestTimeoutMs ? { requestTimeoutMs: options.requestTimeoutMs } : {},
    ...options.presentedFingerprint ? { presentedFingerprint: options.presentedFingerprint } : {}
  });
  return {
    api: proxmoxApi(transport),
    endpoint: {
      url: connection.url,
      host: connection.host,
      port: connection.port,
      tokenId: connection.tokenId,
      tlsMode: tlsMode(connection.tls)
    },
    logger,
    retry,
    clock,
    upload: /* @__PURE__ */ __name((path, form) => transport.upload(path, form), "upload"),
    close: /* @__PURE__ */ __name(() => dispatcher.close(), "close")
  };
}
__name(createProxmoxClient, "createProxmoxClient");

// actions/lib/proxmox/tasks.ts
function parseUpid(upid) {
  const parts = upid.split(":");
  if (parts[0] !== "UPID" || parts.length < 9)
    throw new Error(`not a Proxmox task id (UPID): ${JSON.stringify(upid)}`);
  return {
    upid,
    node: parts[1],
    type: parts[5],
    id: parts[6],
    user: parts[7],
    starttime: parseInt(parts[4], 16)
  };
}
__name(parseUpid, "parseUpid");
var MINUTE = 6e4;
var TASK_TIMEOUTS_MS = {
  qmcreate: 30 * MINUTE,
  qmclone: 30 * MINUTE,
  qmconfig: 30 * MINUTE,
  qmtemplate: 10 * MINUTE,
  qmdestroy: 10 * MINUTE,
  qmstart: 10 * MINUTE,
  qmstop: 5 * MINUTE,
  qmshutdown: 10 * MINUTE,
  qmreboot: 10 * MINUTE,
  resize: 10 * MINUTE,
  qmmove: 60 * MINUTE,
  download: 60 * MINUTE,
  imgcopy: 60 * MINUTE
};
var DEFAULT_TASK_TIMEOUT_MS = 30 * MINUTE;
function taskTimeout(type, timeoutMs) {
  if (typeof timeoutMs === "number") return timeoutMs;
  return timeoutMs?.[type] ?? TASK_TIMEOUTS_MS[type] ?? DEFAULT_TASK_TIMEOUT_MS;
}
__name(taskTimeout, "taskTimeout");
function notVisibleYet(error) {
  return error instanceof ProxmoxApiError && error.status === 400 && (isNotFound(error) || "upid" in error.paramErrors);
}
__name(notVisibleYet, "notVisibleYet");
async function waitForTask(client, upid, options = {}) {
  const task = parseUpid(upid);
  const timeout = taskTimeout(task.type, options.timeoutMs);
  const interval = options.pollIntervalMs ?? 1e3;
  const { clock, logger } = client;
  const deadline = clock.now() + timeout;
  const taskApi = client.api.nodes.$(task.node).tasks.$(upid);
  for (let poll = 0; ; poll++) {
    let status;
    try {
      status = await taskApi.status.$get();
    } catch (error) {
      if (!notVisibleYet(error) || poll > 30) throw error;
    }
    if (status?.status === "stopped") {
      const exitStatus = status.exitstatus ?? "unexpected status";
      if (exitStatus === "OK") return { upid, exitStatus, warnings: [] };
      const lines = await taskLogTail(client, task, options.logTailLines ?? 20);
      if (exitStatus.startsWith("WARNINGS")) {
        const warnings = lines.filter((l) => l.startsWith("WARN"));
        for (const w of warnings) logger.warning(`${task.type} ${task.id}: ${w}`);
        return { upid, exitStatus, warnings };
      }
      throw new TaskFailedError(upid, task.node, task.type, exitStatus, lines);
    }
    if (clock.now() >= deadline) {
      throw new TaskTimeoutError(
        upid,
        task.node,
        task.type,
        timeout,
        await taskLogTail(client, task, options.logTailLines ?? 20).catch(() => [])
      );
    }
    await clock.sleep(interval);
  }
}
__name(waitForTask, "waitForTask");
async function taskLogTail(client, task, count) {
  try {
    const entries = await client.api.nodes.$(task.node).tasks.$(task.upid).log.$get({ start: 0, limit: 1e5 });
    return entries.map((e) => e.t).filter((t) => t !== "no content").slice(-count);
  } catch (error) {
    client.logger.debug(`could not read the log of ${task.upid}: ${String(error)}`);
    return [];
  }
}
__name(taskLogTail, "taskLogTail");
function expectUpid(value, what) {
  if (typeof value === "string" && value.startsWith("UPID:")) return value;
  throw new ConfigurationError(
    `Proxmox answered ${what} without a task id (${JSON.stringify(value)})`,
    "check that the URL points at a Proxmox VE 8 or newer API"
  );
}
__name(expectUpid, "expectUpid");

// actions/lib/proxmox/vms.ts
function splitTags(tags) {
  if (typeof tags !== "string") return [];
  return tags.split(/[;, ]+/).map((t) => t.trim().toLowerCase()).filter(Boolean);
}
__name(splitTags, "splitTags");
function joinTags(tags) {
  return [...new Set(tags.map((t) => t.toLowerCase()))].sort().join(";");
}
__name(joinTags, "joinTags");
async function listVms(client) {
  const rows = await client.api.cluster.resources.$get({ type: "vm" });
  return rows.filter((r) => r.type === "qemu").map((r) => ({
    vmid: Number(r.vmid),
    node: String(r.node),
    ...typeof r.name === "string" ? { name: r.name } : {},
    ...typeof r.status === "string" ? { status: r.status } : {},
    template: Number(r.template ?? 0) === 1,
    tags: splitTags(r.tags),
    ...typeof r.lock === "string" && r.lock ? { lock: r.lock } : {},
    ...r.maxmem !== void 0 ? { maxmem: Number(r.maxmem) } : {},
    ...r.maxcpu !== void 0 ? { maxcpu: Number(r.maxcpu) } : {},
    ...r.maxdisk !== void 0 ? { maxdisk: Number(r.maxdisk) } : {}
  }));
}
__name(listVms, "listVms");
async function findVm(client, vmid) {
  return (await listVms(client)).find((vm) => vm.vmid === vmid);
}
__name(findVm, "findVm");
async function isVmidFree(client, vmid) {
  try {
    await client.api.cluster.nextid.$get({ vmid });
    return true;
  } catch (error) {
    if (error instanceof ProxmoxApiError && error.status === 400 && /already exists|not available|in use/i.test(
      JSON.stringify(error.paramErrors) + error.serverMessage
    ))
      return false;
    throw error;
  }
}
__name(isVmidFree, "isVmidFree");
async function vmConfig(client, node, vmid) {
  try {
    return await client.api.nodes.$(node).qemu.$(vmid).config.$get();
  } catch (error) {
    if (isNotFound(error)) return void 0;
    throw error;
  }
}
__name(vmConfig, "vmConfig");
async function visibleVmConfig(client, node, vmid) {
  if (!await findVm(client, vmid)) return void 0;
  return vmConfig(client, node, vmid);
}
__name(visibleVmConfig, "visibleVmConfig");
async function waitForUnlock(client, node, vmid, timeoutMs = 30 * 6e4, intervalMs = 1e3) {
  const deadline = client.clock.now() + timeoutMs;
  for (; ; ) {
    const config = await vmConfig(client, node, vmid);
    if (!config?.lock) return;
    if (client.clock.now() >= deadline)
      throw new Error(
        `VM ${vmid} on ${node} is still locked (${typeof config.lock === "string" ? config.lock : "locked"}) after ${Math.round(timeoutMs / 1e3)} s`
      );
    await client.clock.sleep(intervalMs);
  }
}
__name(waitForUnlock, "waitForUnlock");
async function destroyVm(client, node, vmid, wait = {}) {
  if (!await visibleVmConfig(client, node, vmid)) return false;
  let upid;
  try {
    upid = expectUpid(
      await client.api.nodes.$(node).qemu.$(vmid).$delete({ purge: true, "destroy-unreferenced-disks": true }),
      `DELETE VM ${vmid}`
    );
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
  await waitForTask(client, upid, wait);
  return true;
}
__name(destroyVm, "destroyVm");

// actions/lib/proxmox/from-config.ts
function connectionInputsOf(inputs) {
  return {
    url: inputs["proxmox-url"],
    tokenId: inputs["proxmox-token-id"],
    tokenSecret: inputs["proxmox-token-secret"],
    fingerprint: inputs["proxmox-fingerprint"]
  };
}
__name(connectionInputsOf, "connectionInputsOf");
function connectionForCluster(loaded, inputs, env) {
  const { tokenIdEnv, tokenSecretEnv } = loaded.config.proxmox;
  const tokenId = inputs.tokenId || env[tokenIdEnv] || void 0;
  const tokenSecret = inputs.tokenSecret || env[tokenSecretEnv] || void 0;
  return {
    ...inputs.url ? { url: inputs.url } : {},
    ...tokenId ? { tokenId } : {},
    ...tokenSecret ? { tokenSecret } : {},
    ...inputs.fingerprint ? { tls: { fingerprint: inputs.fingerprint } } : {},
    defaults: { url: loaded.plan.proxmox.endpoint, tls: loaded.plan.proxmox.tls },
    sources: {
      tokenId: inputs.tokenId ? "the proxmox-token-id input" : `the ${tokenIdEnv} environment variable (proxmox.tokenIdEnv)`,
      tokenSecret: inputs.tokenSecret ? "the proxmox-token-secret input" : `the ${tokenSecretEnv} environment variable (proxmox.tokenSecretEnv)`
    }
  };
}
__name(connectionForCluster, "connectionForCluster");

// actions/lib/proxmox/permissions.ts
async function effectivePermissions(client, paths, userid) {
  const result = {};
  for (const path of paths) {
    const answer = await client.api.access.permissions.$get({
      path,
      ...userid ? { userid } : {}
    });
    result[path] = answer?.[path] ?? {};
  }
  return result;
}
__name(effectivePermissions, "effectivePermissions");

// actions/lib/proxmox/ownership.ts
function clusterTags(cluster) {
  return ["pve-kube", `cluster-${cluster}`];
}
__name(clusterTags, "clusterTags");
function isOwnedBy(vm, cluster) {
  return clusterTags(cluster).every((tag) => vm.tags.includes(tag));
}
__name(isOwnedBy, "isOwnedBy");

// actions/lib/proxmox/settle.ts
async function settle(client, step) {
  const attempts = step.attempts ?? 4;
  for (let attempt = 1; ; attempt++) {
    if (await step.isDone()) return attempt === 1 ? "already" : "done";
    try {
      const answer = await step.send();
      if (typeof answer === "string" && answer.startsWith("UPID:"))
        await waitForTask(client, answer, step.wait);
      if (await step.isDone()) return "done";
      throw new Error(`${step.what}: Proxmox reported success, but the change is not visible`);
    } catch (error) {
      if (attempt >= attempts || !worthAnotherLook(error)) throw error;
      const delay = backoffDelay(attempt - 1, client.retry);
      client.logger.info(
        `${step.what}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}; looking again in ${delay} ms (attempt ${attempt + 1} of ${attempts})`
      );
      await client.clock.sleep(delay);
    }
  }
}
__name(settle, "settle");
function worthAnotherLook(error) {
  if (error instanceof ProxmoxUnreachableError) return error.transient;
  if (isLockTimeout(error) || isVmLocked(error)) return true;
  return error instanceof ProxmoxApiError && error.status >= 500 && error.status !== 501;
}
__name(worthAnotherLook, "worthAnotherLook");

export {
  resolveConnection,
  ProxmoxApiError,
  isAlreadyExists,
  defaultRetryPolicy,
  backoffDelay,
  isTransient,
  FINGERPRINT_MISMATCH,
  FingerprintMismatchError,
  tlsMode,
  createTlsDispatcher,
  createProxmoxClient,
  parseUpid,
  TASK_TIMEOUTS_MS,
  waitForTask,
  expectUpid,
  splitTags,
  joinTags,
  listVms,
  findVm,
  isVmidFree,
  vmConfig,
  visibleVmConfig,
  waitForUnlock,
  destroyVm,
  connectionInputsOf,
  connectionForCluster,
  effectivePermissions,
  clusterTags,
  isOwnedBy,
  settle,
  worthAnotherLook
};
