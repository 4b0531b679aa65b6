import { describe, expect, it } from "vitest";
import { tofuProcessEnv } from "../../../actions/lib/tofu/tool-env.js";

describe("tofuProcessEnv", () => {
  it.each([
    [{ PATH: "/bin" }, []],
    [{ PATH: "/bin", TF_LOG: "TRACE" }, ["TF_LOG"]],
    [
      { TF_LOG_PROVIDER: "DEBUG", TF_LOG_CORE: "DEBUG", TF_LOG_PATH: "/tmp/tf.log" },
      ["TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"],
    ],
    // an empty value turns nothing on, so it is not reported (and still removed)
    [{ TF_LOG: "" }, []],
  ])("%j drops %j", (input: NodeJS.ProcessEnv, dropped: string[]) => {
    const out = tofuProcessEnv(input);
    expect(out.dropped).toEqual(dropped);
    for (const name of ["TF_LOG", "TF_LOG_PROVIDER", "TF_LOG_CORE", "TF_LOG_PATH"])
      expect(out.env).not.toHaveProperty(name);
    expect(out.env).toMatchObject({ TF_IN_AUTOMATION: "1", TF_INPUT: "0" });
    expect(input).not.toHaveProperty("TF_IN_AUTOMATION");
  });

  it("keeps everything else", () => {
    expect(
      tofuProcessEnv({ PATH: "/bin", PROXMOX_VE_API_TOKEN: "x", TF_CLI_CONFIG_FILE: "/c" }).env,
    ).toEqual({
      PATH: "/bin",
      PROXMOX_VE_API_TOKEN: "x",
      TF_CLI_CONFIG_FILE: "/c",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
    });
  });
});
