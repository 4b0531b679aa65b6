import { runAction } from "../../lib/action-entry.js";

// the action's module and what it imports load after the entry has started: the entry itself stays small
await runAction({
  name: "drift-check",
  main: async () => void (await (await import("./drift-check-action.js")).run()),
});
