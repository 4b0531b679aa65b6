import { runAction } from "../../lib/run.js";
import { run } from "./run.js";

await runAction({ name: "tofu-provision", main: async () => void (await run()) });
