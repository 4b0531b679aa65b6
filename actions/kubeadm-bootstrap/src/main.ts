import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "kubeadm-bootstrap",
  main: async () => void (await (await import("./kubeadm-bootstrap-action.js")).run()),
});
