import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { repoPath } from "../../helpers/repo.js";

const run = promisify(execFile);
const ansibleDir = repoPath("ansible");
const playbooks = ["facts.yml", "site.yml", "removals.yml", "check.yml"];

/**
 * The real Ansible tools (Debian packages ansible and ansible-lint, installed by `.ci/run`): a
 * missing tool fails here, it does not skip.
 */
describe("ansible/ content", () => {
  it("passes ansible-lint with the production profile", async () => {
    const { stdout, stderr } = await run(
      "ansible-lint",
      ["--profile", "production", "--nocolor", ...playbooks],
      {
        cwd: ansibleDir,
        env: { ...process.env, ANSIBLE_CONFIG: `${ansibleDir}/ansible.cfg` },
      },
    );
    expect(`${stdout}\n${stderr}`).toMatch(
      /Passed with production profile: 0 failure\(s\), 0 warning\(s\)/,
    );
  });

  it.each(playbooks)("%s passes ansible-playbook --syntax-check", async (playbook) => {
    const { stdout } = await run(
      "ansible-playbook",
      ["--syntax-check", "-i", "localhost,", playbook],
      {
        cwd: ansibleDir,
        env: { ...process.env, ANSIBLE_CONFIG: `${ansibleDir}/ansible.cfg` },
      },
    );
    expect(stdout).toContain(`playbook: ${playbook}`);
  });
});
