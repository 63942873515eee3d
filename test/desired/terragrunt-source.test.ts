import { describe, expect, it } from "vitest";
import { isRemoteSource, remoteSubdir, splitLocalSource } from "../../checks/desired/terragrunt/source.js";

/** How a terraform { source } string is split into where Terragrunt copies from and where it runs. */
describe("a Terragrunt terraform { source }", () => {
  it.each([
    ["../modules//dns", false],
    ["/abs/modules/dns", false],
    ["modules/dns", false],
    ["file:///abs/modules//dns", false],
    ["git::https://example.com/org/repo.git//dns?ref=v1", true],
    ["git@github.com:org/repo.git//dns?ref=v1", true],
    ["github.com/org/repo//dns?ref=v1", true],
    ["tfr:///cloudflare/dns/cloudflare?version=1.0.0", true],
    ["https://example.com/modules.zip//dns", true],
    ["s3::https://s3.amazonaws.com/bucket/modules.zip", true],
    ["bucket.s3-eu-west-1.amazonaws.com/modules.zip", true],
  ])("%s is remote: %s", (source, remote) => {
    expect(isRemoteSource(source)).toBe(remote);
  });

  it("splits a local source at // and drops a ?ref= that means nothing to a local copy", () => {
    expect(splitLocalSource("../../modules//cloudflare/dns?ref=v1.2.0")).toEqual({
      root: "../../modules",
      subdir: "cloudflare/dns",
    });
    expect(splitLocalSource("/repo/modules//dns")).toEqual({ root: "/repo/modules", subdir: "dns" });
    expect(splitLocalSource("../modules/dns")).toEqual({ root: "../modules/dns", subdir: "" });
    expect(splitLocalSource("file:///repo/modules")).toEqual({ root: "/repo/modules", subdir: "" });
  });

  it("finds a remote source's subfolder after the scheme's //", () => {
    expect(remoteSubdir("git::https://example.com/org/repo.git//modules/dns?ref=v1")).toBe("modules/dns");
    expect(remoteSubdir("tfr:///cloudflare/dns/cloudflare?version=1.0.0")).toBe("");
    expect(remoteSubdir("github.com/org/repo//dns")).toBe("dns");
  });
});
