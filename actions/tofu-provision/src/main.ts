import { runAction } from "../../lib/action-entry.js";
import { run } from "./tofu-provision-action.js";

await runAction({ name: "tofu-provision", main: async () => void (await run()) });
