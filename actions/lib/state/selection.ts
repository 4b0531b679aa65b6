import { closest } from "../config/did-you-mean.js";
import { ConfigurationError } from "../errors.js";
import { AVAILABLE_PHASES, PHASES, type Phase } from "./phases.js";

/**
 * The `phases` input of the deploy workflow: `all`, or phase names separated by commas, spaces or
 * new lines. Every name is checked, so a typo stops the run in preflight instead of silently
 * skipping a phase; a phase that this version does not ship yet is refused with that reason.
 * preflight is always part of the selection: it changes nothing and is the gate for the others.
 */
export function parsePhaseSelection(text: string, field = "phases"): Phase[] {
  const words = text
    .split(/[\s,]+/)
    .map((w) => w.trim())
    .filter(Boolean);
  if (words.length === 0 || (words.length === 1 && words[0]?.toLowerCase() === "all"))
    return [...AVAILABLE_PHASES];
  const problems: string[] = [];
  const chosen = new Set<Phase>(["preflight"]);
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
      `use 'all' or a comma-separated list of ${AVAILABLE_PHASES.join(", ")}`,
    );
  }
  // in pipeline order, whatever order they were given in
  return AVAILABLE_PHASES.filter((p) => chosen.has(p));
}
