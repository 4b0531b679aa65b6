import { runAction } from "../../lib/action-entry.js";
import { run } from "./preflight-action.js";

await runAction({ name: "preflight", main: async () => void (await run()) });
