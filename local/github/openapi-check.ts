import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { Ajv, type ValidateFunction } from "ajv";

/**
 * Checks requests and responses of the local GitHub server against GitHub's official OpenAPI
 * description (the @octokit/openapi package, a devDependency), the way pve-sim is checked against
 * the Proxmox schema: a route that drifts from what GitHub documents fails the test that used it.
 */
export interface OpenApiCheck {
  /** problems with a request body for `METHOD /template/path`; [] when it conforms */
  request(method: string, template: string, body: unknown): string[];
  /** problems with a response (status + JSON body) */
  response(method: string, template: string, status: number, body: unknown): string[];
}

type Json = Record<string, unknown>;

/**
 * OpenAPI 3.0 schema → JSON Schema ajv understands: `#/components/...` refs point into the
 * registered description, and `nullable: true` becomes an explicit `null` alternative.
 */
function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== "object") return node;
  const { nullable, ...rest } = node as Json;
  const out: Json = Object.fromEntries(
    Object.entries(rest).map(([key, value]) => [
      key,
      key === "$ref" && typeof value === "string" && value.startsWith("#/")
        ? `github-openapi${value}`
        : rewriteRefs(value),
    ]),
  );
  if (nullable !== true) return out;
  if (Array.isArray(out.enum) && !(out.enum as unknown[]).includes(null))
    out.enum = [...(out.enum as unknown[]), null];
  if (typeof out.type === "string") return { ...out, type: [out.type, "null"] };
  return { anyOf: [out, { type: "null" }] };
}

export function loadOpenApiCheck(): OpenApiCheck {
  const require = createRequire(import.meta.url);
  const file = require.resolve("@octokit/openapi/generated/api.github.com.json");
  const spec = JSON.parse(readFileSync(file, "utf8")) as {
    paths: Record<string, Record<string, Json>>;
    components: Json;
  };
  const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
  ajv.addSchema({ $id: "github-openapi", components: rewriteRefs(spec.components) });
  const compiled = new Map<string, ValidateFunction>();

  const operation = (method: string, template: string): Json => {
    const op = spec.paths[template]?.[method.toLowerCase()];
    if (!op) throw new Error(`${method} ${template} is not in GitHub's OpenAPI description`);
    return op;
  };
  const check = (key: string, schema: unknown, value: unknown): string[] => {
    let validate = compiled.get(key);
    if (!validate) {
      validate = ajv.compile(rewriteRefs(schema) as Json);
      compiled.set(key, validate);
    }
    if (validate(value)) return [];
    return (validate.errors ?? []).map(
      (e) => `${key}: ${e.instancePath || "(body)"} ${e.message ?? "invalid"}`,
    );
  };
  const jsonSchemaOf = (holder: unknown): unknown =>
    (holder as { content?: Record<string, { schema?: unknown }> } | undefined)?.content?.[
      "application/json"
    ]?.schema;

  return {
    request(method, template, body) {
      const op = operation(method, template);
      const schema = jsonSchemaOf(op.requestBody);
      if (schema === undefined) return body === undefined ? [] : [];
      return check(`request ${method} ${template}`, schema, body);
    },
    response(method, template, status, body) {
      const op = operation(method, template);
      const responses = op.responses as Record<string, unknown>;
      const declared = responses[String(status)];
      if (!declared) return [`${method} ${template}: status ${status} is not documented`];
      const resolved = (declared as { $ref?: string }).$ref
        ? (spec.components.responses as Record<string, unknown>)[
            String((declared as { $ref: string }).$ref)
              .split("/")
              .pop()!
          ]
        : declared;
      const schema = jsonSchemaOf(resolved);
      if (schema === undefined) return [];
      return check(`response ${status} ${method} ${template}`, schema, body);
    },
  };
}
