import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "preflight",
  main: async () => void (await (await import("./preflight-action.js")).run()),
});
