import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { computeDrift } from "../../checks/diff/drift.js";
import { admittedOn } from "../../checks/diff/enforced-firewall.js";
import { parseNftRuleset } from "../../checks/diff/nft-ruleset.js";
import { CLOUDFLARE_IPV4, CLOUDFLARE_IPV6, desiredZone, liveZone, origin, RANGES } from "./helpers.js";

/**
 * A real nftables ruleset, loaded into a network namespace this test creates and exported with
 * `nft -j list ruleset`: the firewall drift must name exactly the Cloudflare ranges it leaves out.
 * No packet is sent anywhere. Needs root and nftables (`apt-get install -y nftables`); under
 * CI=true a namespace that cannot be created fails the test instead of skipping it.
 */

const NAMESPACE = `cfpl-fw-${process.pid}-${randomBytes(3).toString("hex")}`;
const LEFT_OUT_V4 = ["131.0.72.0/22", "172.64.0.0/13", "198.41.128.0/17"];
const LEFT_OUT_V6 = ["2c0f:f248::/32"];

let workdir: string | undefined;
let created = false;
let setupProblem: string | undefined;
let exported = "";

function run(command: string, args: string[]): string {
  return execFileSync(command, args, { encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

beforeAll(() => {
  try {
    run("nft", ["--version"]);
  } catch {
    setupProblem = "nft is not installed (apt-get install -y nftables)";
    return;
  }
  try {
    run("ip", ["netns", "add", NAMESPACE]);
    created = true;
  } catch (error) {
    setupProblem = `cannot create network namespace ${NAMESPACE} (needs root): ${String(error)}`;
    return;
  }
  workdir = mkdtempSync(join(tmpdir(), "cfpl-fw-"));
  const admitted4 = CLOUDFLARE_IPV4.filter((cidr) => !LEFT_OUT_V4.includes(cidr));
  const admitted6 = CLOUDFLARE_IPV6.filter((cidr) => !LEFT_OUT_V6.includes(cidr));
  const file = join(workdir, "origin.nft");
  writeFileSync(
    file,
    `flush ruleset
table inet filter {
  set cloudflare4 { type ipv4_addr; flags interval; elements = { ${admitted4.join(", ")} } }
  chain input {
    type filter hook input priority filter; policy drop;
    ct state established,related accept
    iif "lo" accept
    tcp dport 22 ip saddr 203.0.113.0/24 accept
    tcp dport 443 ip saddr @cloudflare4 accept
    tcp dport 443 ip6 saddr { ${admitted6.join(", ")} } accept
  }
}
`,
  );
  run("ip", ["netns", "exec", NAMESPACE, "nft", "-f", file]);
  exported = run("ip", ["netns", "exec", NAMESPACE, "nft", "-j", "list", "ruleset"]);
  writeFileSync(join(workdir, "origin.nft.json"), exported);
});

afterAll(() => {
  if (created) run("ip", ["netns", "del", NAMESPACE]);
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

function requireLab(skip: (note: string) => void): void {
  if (setupProblem === undefined) return;
  if (process.env.CI === "true") throw new Error(`network lab unavailable under CI: ${setupProblem}`);
  skip(setupProblem);
}

describe("firewall drift against a real nftables ruleset", () => {
  it("reads what the namespace's firewall admits on 443", (context) => {
    requireLab((note) => context.skip(note));
    const fw = parseNftRuleset(exported, { file: "origin.nft.json", ports: [443] });
    expect(fw.defaultPolicy).toBe("drop");
    expect(fw.unknowns).toEqual([]);
    const on443 = admittedOn(fw, 443);
    for (const cidr of LEFT_OUT_V4) expect(on443).not.toContain(cidr);
    expect(on443).toContain("173.245.48.0/20");
    expect(admittedOn(fw, 80)).toEqual([]);
  });

  it("reports exactly the Cloudflare ranges the ruleset leaves out, predicting 522", (context) => {
    requireLab((note) => context.skip(note));
    const web = origin("web", {
      ipv4: ["192.0.2.10"],
      ipv6: ["2001:db8::10"],
      ports: [{ port: 443, scheme: "https" }],
    });
    const desired = desiredZone("example.com", {
      origins: [web],
      hostnames: [{ fqdn: "www.example.com", origin: "web", proxied: true, edgePorts: [443] }],
    });
    const enforced = parseNftRuleset(exported, { file: "origin.nft.json", ports: [443] });
    const drift = computeDrift({
      zones: [{ desired, live: liveZone("example.com") }],
      ranges: RANGES,
      enforced: new Map([["web", enforced]]),
    });
    expect(drift.dns).toEqual([]);
    expect(drift.firewall).toEqual([
      expect.objectContaining({
        zone: "example.com",
        origin: "web",
        kind: "enforced-missing",
        ports: [443],
        cidrs: [...LEFT_OUT_V4, ...LEFT_OUT_V6],
        predicts: "522",
      }),
    ]);
  });
});
