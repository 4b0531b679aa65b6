import { defineConfig } from "vitest/config";

// Three suites: `unit` is the fast common one (pve-sim in-process, results service, config, actions);
// `integration` holds what drives real external tools (OpenTofu + bpg provider, Ansible, the local
// runner end to end, the lab's guests) and is slower; `lab` deploys the whole lab (root,
// systemd-nspawn, the lab image) and runs alone. `npm test` runs `unit` and `integration`; `lab`
// runs only with `npm run test:lab` until it has run green (README, "The lab").
export default defineConfig({
  test: {
    // @actions/workflow-parser imports its JSON schema without an import attribute, which Node
    // refuses; inlined, vite transforms that import (the esbuild bundles handle it the same way).
    server: { deps: { inline: ["@actions/workflow-parser"] } },
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["test/unit/**/*.test.ts"],
          // one line at the start when the official Proxmox API schema is absent (what skips, why)
          globalSetup: ["test/setup/schema-notice.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          testTimeout: 900_000,
          hookTimeout: 900_000,
          // real tools on a 2-core machine: one file at a time keeps timings honest
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
        },
      },
      {
        extends: true,
        test: {
          name: "lab",
          include: ["test/lab/**/*.test.ts"],
          // a cold first run builds nothing here (npm test's pretest did) but boots six guests
          testTimeout: 1_800_000,
          hookTimeout: 1_800_000,
          // one lab on the machine: files and tests strictly one after another
          pool: "forks",
          poolOptions: { forks: { singleFork: true } },
          sequence: { concurrent: false },
        },
      },
    ],
  },
});
