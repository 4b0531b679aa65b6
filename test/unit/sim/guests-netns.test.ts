import { describe, expect, it } from "vitest";
import { networkOf } from "../../../sim/guests/netns.js";

describe("networkOf: the network a guest's gateway address sits in (what the host guard covers)", () => {
  it.each([
    ["10.0.20.1/24", "10.0.20.0/24"],
    ["10.0.20.129/25", "10.0.20.128/25"],
    ["192.0.2.77/32", "192.0.2.77/32"],
    ["172.16.5.4/12", "172.16.0.0/12"],
    ["10.1.2.3/0", "0.0.0.0/0"],
  ])("%s → %s", (cidr, network) => {
    expect(networkOf(cidr)).toBe(network);
  });

  it("refuses what is not an IPv4 CIDR", () => {
    expect(() => networkOf("fd00::1/64")).toThrow(/not an IPv4 CIDR/);
  });
});
