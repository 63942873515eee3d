import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CLOUDFLARE_IPV6 } from "../diff/helpers.js";
import { driftOn, readFirewall, verdictOn } from "./cloud-firewall-helpers.js";

/**
 * Real public configurations (test/fixtures/cloud-firewalls, each pinned in its SOURCE.json) read
 * with an origin whose allowlist names their firewall. Expectations come from reading the sources
 * by hand (see each SOURCE.json's notes), not from the checker.
 */
const FIXTURES = join(import.meta.dirname, "..", "fixtures", "cloud-firewalls");
const input = (slug: string, ...path: string[]) => join(FIXTURES, slug, "input", ...path);

describe("the cloud firewall fixtures", () => {
  it("are pinned to a repository and a commit", () => {
    const slugs = readdirSync(FIXTURES);
    expect(slugs.length).toBeGreaterThanOrEqual(4);
    for (const slug of slugs) {
      const source = JSON.parse(readFileSync(join(FIXTURES, slug, "SOURCE.json"), "utf8"));
      expect(source.repository).toMatch(/^[\w.-]+\/[\w.-]+$/);
      expect(source.commit).toMatch(/^[0-9a-f]{40}$/);
      expect(source.url).toContain(source.commit);
    }
  });
});

describe("AWS: Wycliffe-USA/terraform-modules aws/cloudflare-sg (a rule resource, ranges through a module)", () => {
  const folder = input("aws-wycliffe-cloudflare-sg", "aws", "cloudflare-sg");
  const resource = "aws_security_group.cloudflare_https";

  it("joins the aws_security_group_rule to its group and reads the module's cloudflare_ip_ranges output", async () => {
    const { drift, desired } = await readFirewall(folder, { resource, ports: [443] });
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
    expect(desired.inputs?.firewalls).toEqual([
      { zone: "example.com", origin: "web", resources: [resource], rules: 1, undecided: [] },
    ]);
  });

  it("fails for an IPv6 origin: the rule admits Cloudflare's IPv4 ranges only", async () => {
    const { drift } = await readFirewall(folder, { resource, ipv6: ["2001:db8::10"], ports: [443] });
    expect(verdictOn(drift, 443)).toEqual(["missing 522"]);
    expect(driftOn(drift, 443, "enforced-missing").cidrs).toEqual([...CLOUDFLARE_IPV6].sort());
  });

  it("fails on port 80, which no rule opens", async () => {
    const { drift } = await readFirewall(folder, { resource, ports: [80, 443] });
    expect(verdictOn(drift, 80)).toEqual(["missing 522"]);
  });
});

describe("Hetzner: vincentbockaert/terraform-hetzner-infra (4.x cidr_blocks, both families)", () => {
  const folder = input("hetzner-vincentbockaert");
  const resource = "hcloud_firewall.default_firewall";
  const read = () =>
    readFirewall(folder, { resource, ipv6: ["2001:db8::10"], ports: [80, 443, 22, 25565, 8443] });

  it("passes on 80 and 443, which admit data.cloudflare_ip_ranges.cloudflare.cidr_blocks", async () => {
    const { drift } = await read();
    expect(verdictOn(drift, 80)).toEqual(["pass"]);
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
  });

  it("is exposed on 22 (0.0.0.0/0 and ::/0)", async () => {
    const { drift } = await read();
    expect(verdictOn(drift, 22)).toEqual(["exposed"]);
  });

  it("is unknown on 25565, whose sources are a variable without a default", async () => {
    const { drift } = await read();
    expect(verdictOn(drift, 25565)).toEqual(["unknown"]);
    expect(driftOn(drift, 25565, "enforced-unknown").rules).toEqual([
      expect.stringMatching(
        /^hcloud_firewall\.default_firewall\.rule\[4\]\.source_ips: .*variable minecraft_whitelist_cidrs has no value/,
      ),
    ]);
  });

  it("fails on 8443, which the firewall does not open", async () => {
    const { drift } = await read();
    expect(verdictOn(drift, 8443)).toEqual(["missing 522"]);
  });
});

describe("GCP: saraalka/saraproject (Terraform 0.11 list-in-a-list, target tags)", () => {
  const folder = input("gcp-saraalka");

  it("passes for an IPv4 origin on 80 and 443, taking the target tags to include it", async () => {
    const { drift, origin } = await readFirewall(folder, {
      resource: "google_compute_firewall.allow_cloudflare",
      ports: [80, 443],
    });
    expect(verdictOn(drift, 80)).toEqual(["pass"]);
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
    expect(origin.cloudFirewall?.firewalls[0]?.assumptions).toEqual([
      expect.stringContaining("google_compute_firewall.allow_cloudflare.target_tags"),
    ]);
  });

  it("fails for the ICMP-only rule, which opens no TCP port", async () => {
    const { drift } = await readFirewall(folder, { resource: "google_compute_firewall.allow_icmp" });
    expect(verdictOn(drift, 443)).toEqual(["missing 522"]);
  });
});

describe("DigitalOcean: captn3m0/nebula (open to everyone)", () => {
  it("is exposed on 80 and 443 over IPv4 and IPv6", async () => {
    const { drift } = await readFirewall(input("digitalocean-nebula", "digitalocean"), {
      resource: "digitalocean_firewall.web",
      ipv4: ["192.0.2.10"],
      ipv6: ["2001:db8::10"],
      ports: [80, 443],
    });
    expect(verdictOn(drift, 80)).toEqual(["exposed"]);
    expect(driftOn(drift, 443, "enforced-extra").cidrs).toEqual(["0.0.0.0/0", "::/0"]);
  });
});

describe("DigitalOcean: andrewsomething/terraform-digitalocean-firewall-cloudflare (ranges fetched at apply)", () => {
  it("is unknown on 80 and 443: data.http is read only when applying", async () => {
    const { drift } = await readFirewall(input("digitalocean-andrewsomething"), {
      resource: "digitalocean_firewall.inbound_cloudflare",
      ports: [80, 443],
    });
    expect(verdictOn(drift, 80)).toEqual(["unknown"]);
    expect(verdictOn(drift, 443)).toEqual(["unknown"]);
    expect(driftOn(drift, 443, "enforced-unknown").rules?.[0]).toMatch(
      /^digitalocean_firewall\.inbound_cloudflare\.inbound_rule\[1\]\.source_addresses: .*data\.http\.cloudflare_ip4_addrs/,
    );
  });
});
