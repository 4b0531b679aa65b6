import { z } from "zod";
import { SSH_PUBLIC_KEY } from "./patterns.js";
import { envName } from "./schema-infra.js";

export const sshSchema = z.strictObject({
  user: z
    .string()
    .regex(/^[a-z_][a-z0-9_-]{0,31}$/, "must be a Linux user name")
    .default("ubuntu"),
  publicKeys: z
    .array(
      z
        .string()
        .regex(
          new RegExp(SSH_PUBLIC_KEY),
          "must be an OpenSSH public key line such as 'ssh-ed25519 AAAA... comment'",
        ),
    )
    .min(1)
    .describe("Public keys authorised on every VM."),
  privateKeyEnv: envName
    .default("SSH_PRIVATE_KEY")
    .describe("Environment variable holding the private key Ansible uses."),
});

/** Where OpenTofu keeps its state. Artifacts are not a state store: no locking, no consistency, limited retention. */
export const stateBackendSchema = z
  .discriminatedUnion("backend", [
    z.strictObject({
      backend: z.literal("local"),
      path: z
        .string()
        .regex(
          /^(\/|~\/)/,
          "must be an absolute path (or start with ~/): a path in the workspace is wiped by actions/checkout, and with it every VM's state",
        )
        .optional()
        .describe(
          "State file on the runner; default ~/.local/state/pve-kube/tofu/<cluster>-<uid>/terraform.tfstate.",
        ),
    }),
    z.strictObject({
      backend: z.literal("s3"),
      bucket: z.string().min(3),
      key: z.string().min(1),
      region: z.string().min(1).default("us-east-1"),
      endpoint: z.url().optional(),
      usePathStyle: z.boolean().default(false),
      accessKeyEnv: envName.default("AWS_ACCESS_KEY_ID"),
      secretKeyEnv: envName.default("AWS_SECRET_ACCESS_KEY"),
    }),
    z.strictObject({
      backend: z.literal("pg"),
      connStrEnv: envName.default("PG_CONN_STR"),
      schemaName: z.string().min(1).optional(),
    }),
    z.strictObject({
      backend: z.literal("http"),
      address: z.url(),
      lockAddress: z.url().optional(),
      unlockAddress: z.url().optional(),
      usernameEnv: envName.optional(),
      passwordEnv: envName.optional(),
    }),
  ])
  .prefault({ backend: "local" });
