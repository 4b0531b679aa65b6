import { isDeepStrictEqual } from "node:util";

/**
 * `strategy.matrix` expansion with GitHub's include/exclude rules:
 * - the dimensions (every key but include/exclude) form a cartesian product, in key order;
 * - an exclude entry removes each combination that matches all of its keys;
 * - an include entry is merged into every combination whose ORIGINAL dimension values it does not
 *   contradict (values added by an earlier include may be overwritten); when it fits none, it
 *   becomes a combination of its own.
 */
export type MatrixCombination = Record<string, unknown>;

export class MatrixError extends Error {
  override name = "MatrixError";
}

function asEntries(value: unknown, key: string): Record<string, unknown>[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new MatrixError(`matrix.${key} must be a list of mappings`);
  return value.map((entry, i) => {
    if (!entry || typeof entry !== "object" || Array.isArray(entry))
      throw new MatrixError(`matrix.${key}[${i}] must be a mapping`);
    return entry as Record<string, unknown>;
  });
}

export function expandMatrix(matrix: unknown): MatrixCombination[] {
  if (!matrix || typeof matrix !== "object" || Array.isArray(matrix))
    throw new MatrixError("strategy.matrix must be a mapping");
  const record = matrix as Record<string, unknown>;
  const dimensions = Object.entries(record).filter(([k]) => k !== "include" && k !== "exclude");
  for (const [key, values] of dimensions) {
    if (!Array.isArray(values))
      throw new MatrixError(`matrix.${key} must be a list (got ${typeof values})`);
  }
  let combinations: MatrixCombination[] = [];
  if (dimensions.length > 0) {
    combinations = [{}];
    for (const [key, values] of dimensions) {
      combinations = combinations.flatMap((c) =>
        (values as unknown[]).map((v) => ({ ...c, [key]: v })),
      );
    }
  }
  const excludes = asEntries(record.exclude, "exclude");
  combinations = combinations.filter(
    (c) => !excludes.some((ex) => Object.entries(ex).every(([k, v]) => isDeepStrictEqual(c[k], v))),
  );

  const originalKeys = new Set(dimensions.map(([k]) => k));
  const base = combinations.map((c) => ({ ...c }));
  const extra: MatrixCombination[] = [];
  for (const include of asEntries(record.include, "include")) {
    let merged = false;
    for (const combination of base) {
      const fits = Object.entries(include).every(
        ([k, v]) => !originalKeys.has(k) || isDeepStrictEqual(combination[k], v),
      );
      if (fits) {
        Object.assign(combination, include);
        merged = true;
      }
    }
    if (!merged) extra.push({ ...include });
  }
  return [...base, ...extra];
}

/** `build (1, linux)`: the job name GitHub shows for a matrix leg. */
export function matrixLegName(jobName: string, combination: MatrixCombination | undefined): string {
  if (!combination || Object.keys(combination).length === 0) return jobName;
  const values = Object.values(combination).map((v) =>
    typeof v === "object" && v !== null ? JSON.stringify(v) : String(v),
  );
  return `${jobName} (${values.join(", ")})`;
}
