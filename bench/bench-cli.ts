/**
 * The benchmarks of pve-kube. Each prints what it measured (ratios and counts, never a verdict);
 * nothing here is a test.
 *
 *   npx vite-node bench/bench-cli.ts                        # every benchmark with its defaults
 *   npx vite-node bench/bench-cli.ts tofu-provision --sizes 7,25 --time-scale 1
 *   npx vite-node bench/bench-cli.ts tofu-faults --seeds 5 --profiles all,writes
 *   npx vite-node bench/bench-cli.ts demo-faults --trials 40 --parallel 4   # only when named
 *   npx vite-node bench/bench-cli.ts cold-start --runs 21
 *   npx vite-node bench/bench-cli.ts kubeadm-bootstrap       # the lab; only when named
 *
 * vite-node (it comes with vitest) runs the TypeScript sources as they are: the repository's
 * `.js` import suffixes and Node 20 rule out `node --experimental-strip-types`.
 */

/** name → what it measures and how to run it */
const BENCHMARKS: Record<
  string,
  {
    about: string;
    load: () => Promise<{ main: (args: string[]) => Promise<void> }>;
    /** heavy (the lab, tens of minutes): runs only when named, never as part of "every benchmark" */
    explicit?: boolean;
  }
> = {
  "tofu-provision": {
    about:
      "makespan, Proxmox API calls per VM and the ratio to the critical-path bound of provisioning 7 and 25 VMs",
    load: () => import("./tofu-provision.js"),
  },
  "tofu-faults": {
    about:
      "how many runs apply needs to converge when pve-sim injects HTTP 5xx/596 and lock timeouts",
    load: () => import("./tofu-faults.js"),
  },
  "demo-faults": {
    about:
      "how often the deploy demo (npm start: deploy.yml on pve-sim) succeeds in its first run under pve-sim's fault profiles, the retries within the run and their time, and whether a re-run then changes nothing — tens of minutes; only when named",
    load: () => import("./demo-faults.js"),
    explicit: true,
  },
  "kubeadm-bootstrap": {
    about:
      "the kubeadm-bootstrap phase's wall time against kubeadm's own critical path (init + serial control-plane joins + slowest worker join) on a fresh lab — root and the lab image; only when named",
    load: () => import("./kubeadm-bootstrap.js"),
    explicit: true,
  },
  "cold-start": {
    about:
      "size of the built bundles, each action's cold start against `node -e 0` (median, interleaved) and the dist freshness gate's time",
    load: () => import("./cold-start.js"),
  },
};

async function main(argv: string[]): Promise<void> {
  if (argv.includes("--help") || argv.includes("-h")) {
    console.log("npx vite-node bench/bench-cli.ts [name...] [options of the named benchmark]\n");
    for (const [name, b] of Object.entries(BENCHMARKS))
      console.log(`  ${name.padEnd(16)} ${b.about}`);
    return;
  }
  const names = argv.filter((a, i) => !a.startsWith("-") && !argv[i - 1]?.startsWith("--"));
  const options = argv.filter((a) => !names.includes(a));
  const unknown = names.filter((n) => !(n in BENCHMARKS));
  if (unknown.length)
    throw new Error(
      `unknown benchmark ${unknown.join(", ")} (known: ${Object.keys(BENCHMARKS).join(", ")})`,
    );
  const chosen = names.length
    ? names
    : Object.keys(BENCHMARKS).filter((n) => !BENCHMARKS[n]?.explicit);
  for (const name of chosen) {
    const bench = BENCHMARKS[name];
    if (!bench) continue;
    console.log(`\n== ${name}: ${bench.about}`);
    await (await bench.load()).main(options);
  }
}

// vite-node hands the script's own arguments over from argv[2] on
await main(process.argv.slice(2));

export {};
