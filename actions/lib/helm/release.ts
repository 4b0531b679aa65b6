import { z } from "zod";

/** One release as `helm list --output json` prints it. */
const listedRelease = z.object({
  name: z.string(),
  namespace: z.string(),
  revision: z.union([z.string(), z.number()]).transform((r) => Number(r)),
  status: z.string(),
  /** "<chart name>-<chart version>", e.g. cilium-1.20.2 */
  chart: z.string(),
  app_version: z.string().optional(),
});

export interface DeployedRelease {
  name: string;
  namespace: string;
  revision: number;
  /** deployed, failed, pending-install, pending-upgrade, ... */
  status: string;
  chartName: string;
  chartVersion: string;
}

/** "cilium-1.20.2" -> { name: cilium, version: 1.20.2 } (chart names may contain dashes). */
export function splitChartLabel(label: string): { name: string; version: string } {
  const match = /^(.*)-(v?\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?)$/.exec(label);
  return match ? { name: match[1]!, version: match[2]! } : { name: label, version: "" };
}

/** The named release from `helm list --output json`, or undefined when it is not installed. */
export function parseHelmList(stdout: string, release: string): DeployedRelease | undefined {
  const parsed = z.array(listedRelease).parse(JSON.parse(stdout.trim() || "[]"));
  const found = parsed.find((r) => r.name === release);
  if (!found) return undefined;
  const chart = splitChartLabel(found.chart);
  return {
    name: found.name,
    namespace: found.namespace,
    revision: found.revision,
    status: found.status,
    chartName: chart.name,
    chartVersion: chart.version,
  };
}

/** `helm get values --output json`: the user-supplied values (`null` when there are none). */
export function parseHelmValues(stdout: string): Record<string, unknown> {
  const parsed: unknown = JSON.parse(stdout.trim() || "null");
  return parsed && typeof parsed === "object" && !Array.isArray(parsed)
    ? (parsed as Record<string, unknown>)
    : {};
}
