import { runAction } from "../../lib/action-entry.js";
import { run } from "./build-template-action.js";

await runAction({ name: "build-template", main: async () => void (await run()) });
