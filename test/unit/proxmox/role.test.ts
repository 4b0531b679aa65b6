import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  pveKubeReadOnlyRolePrivileges,
  pveKubeRolePrivileges,
} from "../../../actions/lib/proxmox/privileges.js";
import { repoPath } from "../../helpers/repo.js";

describe("the PVEKube role", () => {
  it("is documented exactly as the union of what any run requires", () => {
    const doc = readFileSync(repoPath("docs/proxmox-client.md"), "utf8");
    const line = /pveum role add PVEKube --privs "([^"]+)"/.exec(doc)?.[1];
    expect(line?.split(",")).toEqual(pveKubeRolePrivileges());
  });

  it("documents PVEKubeReadOnly exactly as the read half of it, and both setups without a grant on /", () => {
    const doc = readFileSync(repoPath("docs/proxmox-client.md"), "utf8");
    const line = /pveum role add PVEKubeReadOnly --privs "([^"]+)"/.exec(doc)?.[1];
    expect(line?.split(",")).toEqual(pveKubeReadOnlyRolePrivileges());
    expect(doc).not.toMatch(/pveum acl modify \/ /);
  });

  it("reads the guest agent with the privilege of the Proxmox major version", () => {
    expect(pveKubeRolePrivileges(9)).toContain("VM.GuestAgent.Audit");
    expect(pveKubeRolePrivileges(8)).toContain("VM.Monitor");
    expect(pveKubeRolePrivileges(8)).not.toContain("VM.GuestAgent.Audit");
  });
});
