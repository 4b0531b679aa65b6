import { runAction } from "../../lib/action-entry.js";
import { run } from "./run.js";

await runAction({ name: "kubeadm-bootstrap", main: async () => void (await run()) });
