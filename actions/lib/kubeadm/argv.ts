import path from "node:path";

export interface PlaybookRun {
  /** ansible/ of this pve-kube checkout */
  ansibleDir: string;
  /** facts.yml, site.yml or removals.yml */
  playbook: string;
  inventoryFile: string;
  /** extra variables (rendered configuration, join material): a 0600 JSON file, never argv */
  varsFile: string;
  privateKeyFile: string;
  user: string;
  /** plan mode: --check --diff (no change on any node) */
  check?: boolean;
  forks?: number;
  verbose?: boolean;
}

/**
 * ansible-playbook's argv. Secrets never travel on the command line (another user could read
 * them in /proc): they are in the extra-vars file, referenced with `@`.
 */
export function ansiblePlaybookArgs(run: PlaybookRun): string[] {
  return [
    "--inventory",
    run.inventoryFile,
    "--user",
    run.user,
    "--private-key",
    run.privateKeyFile,
    "--extra-vars",
    `@${run.varsFile}`,
    "--forks",
    String(run.forks ?? 10),
    ...(run.check ? ["--check", "--diff"] : []),
    ...(run.verbose ? ["-v"] : []),
    path.join(run.ansibleDir, run.playbook),
  ];
}

/**
 * The environment of every Ansible run: our ansible.cfg, the pinned known_hosts with strict
 * checking (a host whose key changed is refused, never re-learned), no colour and no retry files,
 * and the timing callback's output file.
 */
export function ansibleEnv(options: {
  base: NodeJS.ProcessEnv;
  ansibleDir: string;
  knownHostsFile: string;
  timingFile: string;
  tmpDir: string;
  /** ControlPersist sockets (short path); default <tmpDir>/cp */
  controlPathDir?: string;
}): NodeJS.ProcessEnv {
  return {
    ...options.base,
    ANSIBLE_CONFIG: path.join(options.ansibleDir, "ansible.cfg"),
    ANSIBLE_HOST_KEY_CHECKING: "True",
    ANSIBLE_SSH_ARGS: [
      "-o ControlMaster=auto",
      "-o ControlPersist=60s",
      `-o UserKnownHostsFile=${options.knownHostsFile}`,
      "-o StrictHostKeyChecking=yes",
      "-o IdentitiesOnly=yes",
      "-o BatchMode=yes",
    ].join(" "),
    ANSIBLE_CONTROL_PATH_DIR: options.controlPathDir ?? path.join(options.tmpDir, "cp"),
    ANSIBLE_LOCAL_TEMP: path.join(options.tmpDir, "local"),
    ANSIBLE_NOCOLOR: "1",
    ANSIBLE_FORCE_COLOR: "0",
    ANSIBLE_RETRY_FILES_ENABLED: "False",
    PVE_KUBE_TIMING_FILE: options.timingFile,
    PYTHONUNBUFFERED: "1",
  };
}

/** ssh-keyscan's argv for first contact with new hosts (ed25519 and ecdsa keys). */
export function keyscanArgs(ips: string[], timeoutSeconds = 5): string[] {
  return ["-T", String(timeoutSeconds), "-t", "ed25519,ecdsa", ...ips];
}
