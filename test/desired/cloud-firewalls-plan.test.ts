import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { withCloudFirewalls } from "../../checks/diff/cloud-firewall.js";
import { computeDrift } from "../../checks/diff/drift.js";
import { CLOUDFLARE_IPV4, RANGES } from "../diff/helpers.js";
import { verdictOn } from "./cloud-firewall-helpers.js";

/**
 * A plan (`terraform show -json`, written by hand to the documented format 1.x): the data source is
 * read at plan time, so the group's CIDRs are literal; a rule resource's `security_group_id` is
 * known only after apply and joins its group through the configuration's references; an existing
 * group and its rule are joined by their literal id.
 */

const change = (after: unknown, afterUnknown: unknown, actions = ["create"]) => ({
  actions,
  before: actions[0] === "create" ? null : after,
  after,
  after_unknown: afterUnknown,
  before_sensitive: false,
  after_sensitive: {},
});

const ingress = (cidrs: string[], ipv6: string[] = []) => ({
  cidr_blocks: cidrs,
  description: "",
  from_port: 443,
  ipv6_cidr_blocks: ipv6,
  prefix_list_ids: [],
  protocol: "tcp",
  security_groups: [],
  self: false,
  to_port: 443,
});

function plan(origins: { name: string; resource: string }[]) {
  return {
    format_version: "1.2",
    terraform_version: "1.9.5",
    planned_values: {
      outputs: {
        cf_preflight: {
          sensitive: false,
          value: {
            schemaVersion: 2,
            zones: [
              {
                zone: "example.com",
                origins: origins.map((o) => ({
                  name: o.name,
                  ipv4: ["192.0.2.10"],
                  ipv6: ["2001:db8::10"],
                  ports: [{ port: 443, scheme: "https" }],
                  allowlist: { resource: o.resource },
                })),
              },
            ],
          },
        },
      },
      root_module: {},
    },
    resource_changes: [
      {
        address: "aws_security_group.web",
        mode: "managed",
        type: "aws_security_group",
        name: "web",
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: change(
          { name: "web", ingress: [ingress(CLOUDFLARE_IPV4)], egress: [] },
          { id: true, arn: true, owner_id: true, ingress: [{ cidr_blocks: [false] }] },
        ),
      },
      {
        address: "aws_vpc_security_group_ingress_rule.v6",
        mode: "managed",
        type: "aws_vpc_security_group_ingress_rule",
        name: "v6",
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: change(
          { cidr_ipv6: "::/0", from_port: 443, to_port: 443, ip_protocol: "tcp" },
          { id: true, arn: true, security_group_id: true, security_group_rule_id: true },
        ),
      },
      {
        address: "aws_security_group.legacy",
        mode: "managed",
        type: "aws_security_group",
        name: "legacy",
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: change({ id: "sg-0123abcd", name: "legacy", ingress: [], egress: [] }, {}, ["no-op"]),
      },
      {
        address: "aws_security_group_rule.legacy_https",
        mode: "managed",
        type: "aws_security_group_rule",
        name: "legacy_https",
        provider_name: "registry.terraform.io/hashicorp/aws",
        change: change(
          {
            type: "ingress",
            security_group_id: "sg-0123abcd",
            from_port: 443,
            to_port: 443,
            protocol: "tcp",
            cidr_blocks: CLOUDFLARE_IPV4.slice(1),
            ipv6_cidr_blocks: null,
          },
          {},
          ["no-op"],
        ),
      },
    ],
    configuration: {
      provider_config: {
        aws: { name: "aws", full_name: "registry.terraform.io/hashicorp/aws" },
      },
      root_module: {
        resources: [
          {
            address: "aws_vpc_security_group_ingress_rule.v6",
            mode: "managed",
            type: "aws_vpc_security_group_ingress_rule",
            name: "v6",
            expressions: {
              security_group_id: { references: ["aws_security_group.web.id", "aws_security_group.web"] },
              cidr_ipv6: { constant_value: "::/0" },
            },
          },
        ],
        outputs: { cf_preflight: { expression: { references: [] } } },
      },
    },
  };
}

async function readPlan(document: unknown) {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-cloudfw-plan-"));
  const file = join(dir, "plan.json");
  writeFileSync(file, JSON.stringify(document));
  const desired = await readDesiredSources({ plan: { file } });
  const origins = desired.zones.flatMap((z) => z.origins);
  const enforced = withCloudFirewalls(origins, RANGES, new Map());
  const drift = computeDrift({
    zones: [],
    ranges: RANGES,
    origins: origins.map((origin) => ({ origin, zone: "example.com" })),
    enforced,
  }).firewall;
  return { desired, drift };
}

describe("cloud firewalls read from a plan", () => {
  it("joins a rule whose security_group_id is known only after apply through the configuration's references", async () => {
    const { drift, desired } = await readPlan(plan([{ name: "web", resource: "aws_security_group.web" }]));
    expect(desired.inputs?.firewalls?.[0]).toMatchObject({ resources: ["aws_security_group.web"], rules: 2 });
    // IPv4: the plan's literal copy of Cloudflare's ranges; IPv6: the separate rule admits everyone.
    expect(verdictOn(drift, 443)).toEqual(["exposed"]);
    expect(drift.find((d) => d.kind === "enforced-extra")?.cidrs).toEqual(["::/0"]);
    expect(drift.some((d) => d.kind === "enforced-missing")).toBe(false);
  });

  it("joins an existing group and its rule by the group's literal id", async () => {
    const { drift } = await readPlan(plan([{ name: "legacy", resource: "aws_security_group.legacy" }]));
    const missing = drift.filter((d) => d.kind === "enforced-missing").flatMap((d) => d.cidrs);
    // The rule leaves out the first IPv4 range and has no IPv6 at all.
    expect(missing).toContain(CLOUDFLARE_IPV4[0]);
    expect(missing).toContain("2400:cb00::/32");
  });

  it("names the group by its id too (sg-0123abcd), as a plan's outputs may give it", async () => {
    const { desired } = await readPlan(plan([{ name: "legacy", resource: "sg-0123abcd" }]));
    expect(desired.inputs?.firewalls?.[0]?.resources).toEqual(["aws_security_group.legacy"]);
  });

  it("treats a group the plan deletes as not declared (exit 2 material)", async () => {
    const document = plan([{ name: "web", resource: "aws_security_group.web" }]);
    document.resource_changes[0]!.change = change({ name: "web", ingress: [], egress: [] }, {}, [
      "delete",
    ]) as (typeof document.resource_changes)[0]["change"];
    await expect(readPlan(document)).rejects.toThrow(/aws_security_group\.web is not declared/);
  });
});
