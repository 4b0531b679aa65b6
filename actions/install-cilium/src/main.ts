import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "install-cilium",
  main: async () => void (await (await import("./install-cilium-action.js")).run()),
});
