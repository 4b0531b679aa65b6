import type { z } from "zod";
import type { FieldPath } from "./yaml-source.js";

interface Def {
  type: string;
  shape?: Record<string, z.ZodType>;
  innerType?: z.ZodType;
  in?: z.ZodType;
  element?: z.ZodType;
  valueType?: z.ZodType;
  options?: z.ZodType[];
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Peels optional/default/prefault/pipe wrappers off a schema. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (;;) {
    const def = defOf(current);
    const inner = def.innerType ?? (def.type === "pipe" ? def.in : undefined);
    if (!inner) return current;
    current = inner;
  }
}

/** The schemas that may stand at `path` (several for unions). */
export function schemasAt(root: z.ZodType, path: FieldPath): z.ZodType[] {
  let current = [unwrap(root)];
  for (const segment of path) {
    const next: z.ZodType[] = [];
    for (const schema of current) {
      const def = defOf(schema);
      if (def.type === "object" && typeof segment === "string" && def.shape?.[segment])
        next.push(unwrap(def.shape[segment]));
      else if (def.type === "array" && typeof segment === "number" && def.element)
        next.push(unwrap(def.element));
      else if (def.type === "record" && def.valueType) next.push(unwrap(def.valueType));
      else if (def.type === "union") {
        for (const option of def.options ?? []) {
          const optionDef = defOf(unwrap(option));
          if (
            optionDef.type === "object" &&
            typeof segment === "string" &&
            optionDef.shape?.[segment]
          )
            next.push(unwrap(optionDef.shape[segment]));
        }
      }
    }
    current = next;
  }
  return current.flatMap((schema) => {
    const def = defOf(schema);
    return def.type === "union" ? (def.options ?? []).map(unwrap) : [schema];
  });
}

/** Keys an object at `path` accepts, for "did you mean" hints. */
export function knownKeysAt(root: z.ZodType, path: FieldPath): string[] {
  const keys = new Set<string>();
  for (const schema of schemasAt(root, path)) {
    const def = defOf(schema);
    if (def.type === "object") for (const key of Object.keys(def.shape ?? {})) keys.add(key);
  }
  return [...keys];
}

/** The description of a field, to tell what a missing key is for. */
export function describeField(root: z.ZodType, path: FieldPath): string | undefined {
  for (const schema of schemasAt(root, path)) {
    const description = (schema as { description?: string }).description;
    if (description) return description;
  }
  return undefined;
}
