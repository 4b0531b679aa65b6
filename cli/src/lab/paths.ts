import path from "node:path";

/**
 * Everything the lab keeps lives in one folder of the checkout, `.local-run/lab/` (git-ignored):
 * `npm run lab -- --down` removes it with everything else the lab made.
 */
export interface LabPaths {
  root: string;
  /** the generated cluster profile */
  clusterFile: string;
  /** pve-sim's state, certificate and tokens; its log; the OpenTofu state (XDG_STATE_HOME) */
  simDir: string;
  simState: string;
  simLog: string;
  /** the running pve-sim's address and pid, so a second run and `lab exec` find it */
  daemonFile: string;
  /** pve-sim's guests: one instance directory (overlays, seeds, the ledger the reaper reads) */
  guestsDir: string;
  /** the Unix socket that carries the Proxmox API into the lab's network namespace */
  apiSocket: string;
  /** the lab's own SSH key pair, known_hosts and an ssh config using both */
  sshDir: string;
  sshKey: string;
  sshConfig: string;
  knownHosts: string;
  /** `lab exec` puts this first on PATH: an `ssh` that uses the lab's ssh config */
  binDir: string;
  /** later phases leave the cluster's admin kubeconfig here (issue 11) */
  kubeconfig: string;
  /** this lab instance's cluster uid (metadata.uid of its profile), made by its first run */
  clusterUid: string;
}

export function labPaths(checkout: string): LabPaths {
  const root = path.join(checkout, ".local-run", "lab");
  const simDir = path.join(root, "pve-sim");
  const sshDir = path.join(root, "ssh");
  return {
    root,
    clusterFile: path.join(root, "cluster.yaml"),
    simDir,
    simState: path.join(simDir, "state.json"),
    simLog: path.join(simDir, "pve-sim.log"),
    daemonFile: path.join(root, "pve-sim.json"),
    guestsDir: path.join(root, "guests"),
    apiSocket: path.join(root, "pve-sim.sock"),
    sshDir,
    sshKey: path.join(sshDir, "id_ed25519"),
    sshConfig: path.join(sshDir, "config"),
    knownHosts: path.join(sshDir, "known_hosts"),
    binDir: path.join(root, "bin"),
    kubeconfig: path.join(root, "kubeconfig"),
    clusterUid: path.join(root, "cluster-uid"),
  };
}
