import { describe, expect, it } from "vitest";
import { allRoutes } from "../../../sim/routes/index.js";
import { loadOfficialSchema } from "../../helpers/pve-schema.js";

const official = loadOfficialSchema();

/**
 * pve-sim carries its own route definitions; this walks every one and proves it against the
 * official Proxmox VE 9.1 schema: the path and method exist, every parameter pve-sim accepts
 * exists there with the same type, and every parameter Proxmox requires is required here too.
 */
describe("pve-sim routes conform to the official Proxmox VE API schema", () => {
  it.each(allRoutes.map((r) => [`${r.method} ${r.path}`, r] as const))("%s", (_name, route) => {
    const methods = official.get(route.path);
    expect(methods, `path ${route.path} is not in the official schema`).toBeDefined();
    const method = methods?.[route.method];
    expect(method, `${route.method} ${route.path} is not in the official schema`).toBeDefined();
    const props = method?.parameters?.properties ?? {};
    const problems: string[] = [];
    for (const [name, spec] of Object.entries(route.params)) {
      const theirs = props[name];
      if (!theirs) {
        problems.push(`parameter '${name}' does not exist officially`);
        continue;
      }
      if ((theirs.type ?? "string") !== spec.type)
        problems.push(
          `parameter '${name}' is ${spec.type} here, ${theirs.type ?? "string"} officially`,
        );
      if (theirs.enum && spec.enum) {
        const extra = spec.enum.filter((v) => !theirs.enum?.includes(v));
        if (extra.length)
          problems.push(`parameter '${name}' accepts ${extra.join(", ")} which Proxmox does not`);
      }
    }
    for (const [name, theirs] of Object.entries(props)) {
      const required = !theirs.optional;
      if (required && !(name in route.params))
        problems.push(`required parameter '${name}' is missing here`);
      else if (required && route.params[name]?.optional)
        problems.push(`parameter '${name}' is required officially but optional here`);
    }
    expect(problems).toEqual([]);
  });

  it("serves the routes the bpg provider and pve-kube need", () => {
    expect(allRoutes.length).toBeGreaterThan(50);
  });
});
