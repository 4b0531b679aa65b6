import type { FaultOptions } from "./fault-options.js";
import { FAULT_PROFILES, isFaultProfileName } from "./fault-profiles.js";

export type { FaultOptions } from "./fault-options.js";

/** Mulberry32: small, fast, seedable — the same seed gives the same fault sequence. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Parses the CLI form `5xx=0.1,596=0.05,drop=0.01,latency=50,lock=0.1,storage=0.02,offline=pve3`,
 * or a named profile (sim/fault-profiles.ts) with optional overrides: `profile=writes,drop=0.01`.
 * The profile is applied first wherever it stands, so a key next to it always wins.
 */
export function parseFaultSpec(spec: string): FaultOptions {
  const parts = spec.split(",").filter(Boolean);
  const profiles = parts.filter((p) => p.startsWith("profile="));
  if (profiles.length > 1) throw new Error("one fault 'profile' at a time");
  const name = profiles[0]?.slice("profile=".length) ?? "";
  if (profiles.length && !isFaultProfileName(name))
    throw new Error(
      `unknown fault profile '${name}' (known: ${Object.keys(FAULT_PROFILES).join(", ")})`,
    );
  const out: FaultOptions = isFaultProfileName(name) ? { ...FAULT_PROFILES[name] } : {};
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
          `unknown fault '${key ?? ""}' (known: profile, 5xx, 596, drop, latency, lock, storage, offline, scope)`,
        );
    }
    if (key !== "offline" && key !== "scope" && !Number.isFinite(n))
      throw new Error(`fault '${key ?? ""}' needs a number`);
  }
  return out;
}
