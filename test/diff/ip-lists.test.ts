import { describe, expect, it } from "vitest";
import { diffIpLists } from "../../checks/diff/ip-lists.js";
import type { IpList } from "../../checks/model/ip-list.js";

const list = (name: string, items: string[], accountId = "acc1"): IpList => ({ name, accountId, items });

describe("diffIpLists", () => {
  it("passes when the items are the same, written differently", () => {
    expect(
      diffIpLists(
        [list("office", ["192.0.2.1", "2001:DB8::/32"])],
        [list("office", ["2001:db8::/32", "192.0.2.1/32"])],
      ),
    ).toEqual([]);
  });
  it("fails with list-missing when a declared item is not live", () => {
    const [drift] = diffIpLists(
      [list("office", ["192.0.2.1", "198.51.100.0/24"])],
      [list("office", ["192.0.2.1"])],
    );
    expect(drift).toMatchObject({
      kind: "list-missing",
      list: "office",
      origin: "office",
      cidrs: ["198.51.100.0/24"],
      predicts: null,
    });
  });
  it("fails with list-extra when a live item is not declared", () => {
    const [drift] = diffIpLists(
      [list("office", ["192.0.2.1"])],
      [list("office", ["192.0.2.1", "203.0.113.5"])],
    );
    expect(drift).toMatchObject({ kind: "list-extra", cidrs: ["203.0.113.5"] });
  });
  it("fails with list-missing naming every item when the list does not exist", () => {
    const [drift] = diffIpLists(
      [list("office", ["192.0.2.1"])],
      [list("office", ["192.0.2.1"], "other-account")],
    );
    expect(drift).toMatchObject({ kind: "list-missing", cidrs: ["192.0.2.1"] });
    expect(drift?.message).toMatch(/does not exist/);
  });
  it("passes when a live list is not declared by the code at all", () => {
    expect(diffIpLists([], [list("someone-elses", ["192.0.2.1"])])).toEqual([]);
  });
});
