import { describe, expect, it } from "vitest";
import { CLOUDFLARE_IPV4 } from "../diff/helpers.js";
import { driftOn, readFirewall, verdictOn, writeFolder } from "./cloud-firewall-helpers.js";

/**
 * One cloud firewall resource type at a time, read from HCL through the real readers and compared
 * with Cloudflare's ranges as `check` compares them: it fails when a Cloudflare range is missing,
 * passes when all are admitted, is exposed when 0.0.0.0/0 is admitted on the origin's port, and is
 * unknown when the CIDRs come from a variable without a default.
 */

const RANGES_SOURCE = `data "cloudflare_ip_ranges" "cloudflare" {}\n`;
const MISSING = "131.0.72.0/22";
const hclList = (cidrs: readonly string[]): string => `[${cidrs.map((c) => JSON.stringify(c)).join(", ")}]`;

/** How each type admits a list of IPv4 sources on TCP 443; `sources` is an HCL expression. */
interface TypeCase {
  readonly type: string;
  /** The resource the allowlist names. */
  readonly address: string;
  /** The attribute the unknown's cause names. */
  readonly attribute: RegExp;
  readonly hcl: (sources: string) => string;
}

const CASES: TypeCase[] = [
  {
    type: "aws_security_group",
    address: "aws_security_group.web",
    attribute: /aws_security_group\.web\.ingress\[0\]\.cidr_blocks/,
    hcl: (sources) => `
resource "aws_security_group" "web" {
  name = "web"
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ${sources}
  }
  egress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = ["0.0.0.0/0"]
  }
}`,
  },
  {
    type: "aws_vpc_security_group_ingress_rule",
    address: "aws_security_group.web",
    attribute: /aws_vpc_security_group_ingress_rule\.https\.cidr_ipv4/,
    hcl: (sources) => `
resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each          = toset(${sources})
  security_group_id = aws_security_group.web.id
  cidr_ipv4         = each.value
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}`,
  },
  {
    type: "aws_security_group_rule",
    address: "aws_security_group.web",
    attribute: /aws_security_group_rule\.https\.cidr_blocks/,
    hcl: (sources) => `
resource "aws_security_group" "web" {
  name = "web"
}
resource "aws_security_group_rule" "https" {
  type              = "ingress"
  security_group_id = aws_security_group.web.id
  from_port         = 443
  to_port           = 443
  protocol          = "tcp"
  cidr_blocks       = ${sources}
}
resource "aws_security_group_rule" "out" {
  type              = "egress"
  security_group_id = aws_security_group.web.id
  from_port         = 0
  to_port           = 0
  protocol          = "-1"
  cidr_blocks       = ["0.0.0.0/0"]
}`,
  },
  {
    type: "google_compute_firewall",
    address: "google_compute_firewall.https",
    attribute: /google_compute_firewall\.https\.source_ranges/,
    hcl: (sources) => `
resource "google_compute_firewall" "https" {
  name      = "allow-https"
  network   = "default"
  direction = "INGRESS"
  allow {
    protocol = "tcp"
    ports    = ["80", "443"]
  }
  source_ranges = ${sources}
  target_tags   = ["web"]
}`,
  },
  {
    type: "hcloud_firewall",
    address: "hcloud_firewall.web",
    attribute: /hcloud_firewall\.web\.rule\[1\]\.source_ips/,
    hcl: (sources) => `
resource "hcloud_firewall" "web" {
  name = "web"
  rule {
    direction  = "in"
    protocol   = "icmp"
    source_ips = ["0.0.0.0/0", "::/0"]
  }
  rule {
    direction  = "in"
    protocol   = "tcp"
    port       = "443"
    source_ips = ${sources}
  }
}`,
  },
  {
    type: "digitalocean_firewall",
    address: "digitalocean_firewall.web",
    attribute: /digitalocean_firewall\.web\.inbound_rule\[0\]\.source_addresses/,
    hcl: (sources) => `
resource "digitalocean_firewall" "web" {
  name = "web"
  inbound_rule {
    protocol         = "tcp"
    port_range       = "443"
    source_addresses = ${sources}
  }
  outbound_rule {
    protocol              = "tcp"
    port_range            = "all"
    destination_addresses = ["0.0.0.0/0", "::/0"]
  }
}`,
  },
  {
    type: "azurerm_network_security_group",
    address: "azurerm_network_security_group.web",
    attribute: /azurerm_network_security_group\.web\.security_rule\[0\]\.source_address_prefixes/,
    hcl: (sources) => `
resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "https"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "Tcp"
    source_port_range          = "*"
    destination_port_range     = "443"
    source_address_prefixes    = ${sources}
    destination_address_prefix = "*"
  }
}`,
  },
  {
    type: "azurerm_network_security_rule",
    address: "azurerm_network_security_group.web",
    attribute: /azurerm_network_security_rule\.https\.source_address_prefixes/,
    hcl: (sources) => `
resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
}
resource "azurerm_network_security_rule" "https" {
  name                        = "https"
  priority                    = 100
  direction                   = "Inbound"
  access                      = "Allow"
  protocol                    = "Tcp"
  source_port_range           = "*"
  destination_port_range      = "443"
  source_address_prefixes     = ${sources}
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.web.name
}
resource "azurerm_network_security_rule" "deny" {
  name                        = "deny-internet"
  priority                    = 4000
  direction                   = "Inbound"
  access                      = "Deny"
  protocol                    = "*"
  source_port_range           = "*"
  destination_port_range      = "*"
  source_address_prefix       = "Internet"
  destination_address_prefix  = "*"
  resource_group_name         = "rg"
  network_security_group_name = azurerm_network_security_group.web.name
}`,
  },
];

describe.each(CASES)("$type", (c) => {
  const read = (sources: string, extra = "") =>
    readFirewall(writeFolder({ "main.tf": `${RANGES_SOURCE}${extra}${c.hcl(sources)}\n` }), {
      resource: c.address,
    });

  it("fails when a Cloudflare range is missing, naming exactly that range (522)", async () => {
    const { drift } = await read(hclList(CLOUDFLARE_IPV4.filter((cidr) => cidr !== MISSING)));
    expect(verdictOn(drift, 443)).toEqual(["missing 522"]);
    expect(driftOn(drift, 443, "enforced-missing").cidrs).toEqual([MISSING]);
  });

  it("passes when all of Cloudflare's ranges are admitted (from cloudflare_ip_ranges)", async () => {
    const { drift, desired } = await read("data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks");
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
    expect(desired.inputs?.firewalls?.[0]).toMatchObject({ origin: "web", undecided: [] });
  });

  it("passes when all of Cloudflare's ranges are admitted (written out)", async () => {
    const { drift } = await read(hclList(CLOUDFLARE_IPV4));
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
  });

  it("is exposed when 0.0.0.0/0 is admitted on the origin's port", async () => {
    const { drift } = await read('["0.0.0.0/0"]');
    expect(verdictOn(drift, 443)).toEqual(["exposed"]);
    expect(driftOn(drift, 443, "enforced-extra").cidrs).toEqual(["0.0.0.0/0"]);
  });

  it("is unknown when the CIDRs come from a variable without a default, naming the attribute", async () => {
    const { drift } = await read("var.allowed", 'variable "allowed" {\n  type = list(string)\n}\n');
    expect(verdictOn(drift, 443)).toEqual(["unknown"]);
    const unknown = driftOn(drift, 443, "enforced-unknown");
    expect(unknown.predicts).toBe("522");
    expect(unknown.rules?.join("\n")).toMatch(c.attribute);
    expect(unknown.rules?.join("\n")).toMatch(/variable allowed has no value/);
  });

  it("does not count a port no rule opens (8443 here) as admitted", async () => {
    const { drift } = await readFirewall(
      writeFolder({ "main.tf": `${RANGES_SOURCE}${c.hcl(hclList(CLOUDFLARE_IPV4))}\n` }),
      { resource: c.address, ports: [443, 8443] },
    );
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
    expect(verdictOn(drift, 8443)).toEqual(["missing 522"]);
  });
});

describe("provider semantics", () => {
  const read = (hcl: string, resource: string, ports = [443], families: { ipv6?: string[] } = {}) =>
    readFirewall(writeFolder({ "main.tf": `${RANGES_SOURCE}${hcl}\n` }), { resource, ports, ...families });

  it("GCP: an ingress rule with no source at all applies to 0.0.0.0/0 (Google's default)", async () => {
    const { drift } = await read(
      `resource "google_compute_firewall" "web" {
  name    = "web"
  network = "default"
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
}`,
      "google_compute_firewall.web",
    );
    expect(verdictOn(drift, 443)).toEqual(["exposed"]);
  });

  it("GCP: a disabled rule and an EGRESS rule admit nothing", async () => {
    for (const attribute of ["disabled = true", 'direction = "EGRESS"']) {
      const { drift } = await read(
        `resource "google_compute_firewall" "web" {
  name          = "web"
  network       = "default"
  ${attribute}
  allow {
    protocol = "tcp"
  }
  source_ranges = ["0.0.0.0/0"]
}`,
        "google_compute_firewall.web",
      );
      expect(verdictOn(drift, 443)).toEqual(["missing 522"]);
    }
  });

  it("GCP: a deny of higher priority in the same allowlist wins over the allow", async () => {
    const { drift } = await read(
      `resource "google_compute_firewall" "allow" {
  name          = "allow"
  network       = "default"
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
  source_ranges = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
}
resource "google_compute_firewall" "deny" {
  name          = "deny"
  network       = "default"
  priority      = 500
  deny {
    protocol = "all"
  }
  source_ranges = ["104.16.0.0/12"]
}`,
      "google_compute_firewall.allow",
    );
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
    const both = await readFirewall(
      writeFolder({
        "main.tf": `${RANGES_SOURCE}resource "google_compute_firewall" "allow" {
  name          = "allow"
  network       = "default"
  allow {
    protocol = "tcp"
    ports    = ["443"]
  }
  source_ranges = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
}
resource "google_compute_firewall" "deny" {
  name          = "deny"
  network       = "default"
  priority      = 500
  deny {
    protocol = "all"
  }
  source_ranges = ["104.16.0.0/12"]
}
`,
      }),
      { resource: ["google_compute_firewall.allow", "google_compute_firewall.deny"] },
    );
    expect(driftOn(both.drift, 443, "enforced-missing").cidrs).toEqual(["104.16.0.0/13", "104.24.0.0/14"]);
  });

  it("Azure: `*` and `Internet` are everyone; another service tag is undecided", async () => {
    const nsg = (prefix: string) => `resource "azurerm_network_security_group" "web" {
  name                = "web"
  location            = "westeurope"
  resource_group_name = "rg"
  security_rule {
    name                       = "web"
    priority                   = 100
    direction                  = "Inbound"
    access                     = "Allow"
    protocol                   = "*"
    source_port_range          = "*"
    destination_port_ranges    = ["80", "443"]
    source_address_prefix      = "${prefix}"
    destination_address_prefix = "*"
  }
}`;
    for (const prefix of ["*", "Internet", "Any"])
      expect(verdictOn((await read(nsg(prefix), "azurerm_network_security_group.web")).drift, 443)).toEqual([
        "exposed",
      ]);
    const tagged = await read(nsg("AzureCloud"), "azurerm_network_security_group.web");
    expect(verdictOn(tagged.drift, 443)).toEqual(["unknown"]);
    expect(driftOn(tagged.drift, 443, "enforced-unknown").rules?.[0]).toMatch(/service tag AzureCloud/);
  });

  it("AWS: protocol -1 opens every port; security groups, prefix lists and self as sources are undecided", async () => {
    const all = await read(
      `resource "aws_security_group" "web" {
  ingress {
    from_port   = 0
    to_port     = 0
    protocol    = "-1"
    cidr_blocks = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
  }
}`,
      "aws_security_group.web",
      [443, 8443],
    );
    expect(verdictOn(all.drift, 8443)).toEqual(["pass"]);
    for (const [attribute, cause] of [
      ['security_groups = ["sg-0a1b2c3d"]', /security group\(s\) as sources \(sg-0a1b2c3d\)/],
      ['prefix_list_ids = ["pl-12345678"]', /prefix list\(s\) \(pl-12345678\)/],
      ["self = true", /the group's own members/],
    ] as const) {
      const { drift } = await read(
        `resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
  }
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    ${attribute}
  }
}`,
        "aws_security_group.web",
      );
      // Cloudflare is certainly admitted; who else is, the configuration does not say.
      expect(verdictOn(drift, 443)).toEqual(["unknown"]);
      const unknown = driftOn(drift, 443, "enforced-unknown");
      expect(unknown.predicts).toBeNull();
      expect(unknown.rules?.[0]).toMatch(cause);
    }
  });

  it("AWS: a dynamic ingress over Cloudflare's ranges is read as one rule per range", async () => {
    const dynamic = (collection: string) => `variable "cidrs" {
  type = list(string)
}
resource "aws_security_group" "web" {
  dynamic "ingress" {
    for_each = ${collection}
    content {
      from_port   = 443
      to_port     = 443
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}`;
    const ranges = await read(
      dynamic("toset(data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks)"),
      "aws_security_group.web",
    );
    expect(verdictOn(ranges.drift, 443)).toEqual(["pass"]);
    // Read in full: not listed as unresolved.
    expect(ranges.desired.inputs?.unresolved).toEqual([]);
    const unknown = await read(dynamic("var.cidrs"), "aws_security_group.web");
    expect(verdictOn(unknown.drift, 443)).toEqual(["unknown"]);
    expect(unknown.desired.inputs?.unresolved).toContainEqual(
      expect.objectContaining({ address: "aws_security_group.web", attribute: "dynamic.ingress" }),
    );
  });

  it("Hetzner and DigitalOcean: `any`, `all` and `1-65535` are every port", async () => {
    const hetzner = await read(
      `resource "hcloud_firewall" "web" {
  rule {
    direction  = "in"
    protocol   = "tcp"
    port       = "any"
    source_ips = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
  }
}`,
      "hcloud_firewall.web",
      [8443],
    );
    expect(verdictOn(hetzner.drift, 8443)).toEqual(["pass"]);
    for (const range of ["all", "1-65535"]) {
      const { drift } = await read(
        `resource "digitalocean_firewall" "web" {
  name = "web"
  inbound_rule {
    protocol         = "tcp"
    port_range       = "${range}"
    source_addresses = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
  }
}`,
        "digitalocean_firewall.web",
        [8443],
      );
      expect(verdictOn(drift, 8443)).toEqual(["pass"]);
    }
  });

  it("resolves 4.x cidr_blocks (both families) and concat() of the 5.x lists through a local", async () => {
    for (const sources of ["data.cloudflare_ip_ranges.cloudflare.cidr_blocks", "local.cloudflare"]) {
      const { drift } = await read(
        `locals {
  cloudflare = concat(data.cloudflare_ip_ranges.cloudflare.ipv4_cidrs, data.cloudflare_ip_ranges.cloudflare.ipv6_cidrs)
}
resource "hcloud_firewall" "web" {
  rule {
    direction  = "in"
    protocol   = "tcp"
    port       = "443"
    source_ips = ${sources}
  }
}`,
        "hcloud_firewall.web",
        [443],
        { ipv6: ["2001:db8::10"] },
      );
      expect(verdictOn(drift, 443)).toEqual(["pass"]);
    }
  });

  it("does not take Cloudflare's China network list for the ranges of /ips", async () => {
    const { drift } = await read(
      `resource "hcloud_firewall" "web" {
  rule {
    direction  = "in"
    protocol   = "tcp"
    port       = "443"
    source_ips = data.cloudflare_ip_ranges.cloudflare.china_ipv4_cidr_blocks
  }
}`,
      "hcloud_firewall.web",
    );
    expect(verdictOn(drift, 443)).toEqual(["unknown"]);
    expect(driftOn(drift, 443, "enforced-unknown").rules?.[0]).toMatch(/China or JD Cloud/);
  });

  it("is unknown when the named group sits in a module whose count is not known", async () => {
    const folder = writeFolder({
      "main.tf": `variable "n" {
  type = number
}
module "edge" {
  source = "./edge"
  count  = var.n
}
`,
      "edge/main.tf": `resource "aws_security_group" "web" {
  name = "web"
}
`,
    });
    const { drift } = await readFirewall(folder, { resource: "module.edge[0].aws_security_group.web" });
    expect(verdictOn(drift, 443)).toEqual(["unknown"]);
    expect(driftOn(drift, 443, "enforced-unknown").rules?.[0]).toMatch(
      /^module\.edge\.count: variable n has no value/,
    );
  });

  it("reports what it could not read only about firewalls an allowlist names", async () => {
    const { desired } = await read(
      `variable "db_cidrs" {
  type = list(string)
}
resource "aws_security_group" "db" {
  dynamic "ingress" {
    for_each = var.db_cidrs
    content {
      from_port   = 5432
      to_port     = 5432
      protocol    = "tcp"
      cidr_blocks = [ingress.value]
    }
  }
}
resource "aws_security_group" "web" {
  ingress {
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = data.cloudflare_ip_ranges.cloudflare.ipv4_cidr_blocks
  }
}`,
      "aws_security_group.web",
    );
    expect(desired.inputs?.unresolved).toEqual([]);
  });

  it("is bad input when a firewall the allowlist names holds a value Terraform would refuse", async () => {
    await expect(
      read(
        `resource "aws_security_group" "web" {
  ingress {
    from_port   = "https"
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["203.0.113.0/24"]
  }
}`,
        "aws_security_group.web",
      ),
    ).rejects.toThrow(
      /main\.tf at aws_security_group\.web\.ingress\[0\]\.from_port: expected a whole number/,
    );
  });
});

describe("naming resources with several instances", () => {
  const rules = (cidrs: readonly string[]) => `resource "aws_security_group" "web" {
  count = 2
  name  = "web-\${count.index}"
}
resource "aws_vpc_security_group_ingress_rule" "https" {
  for_each          = toset(${hclList(cidrs)})
  security_group_id = aws_security_group.web[0].id
  cidr_ipv4         = each.value
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}
`;

  it("reads every instance of a rule resource named as a whole", async () => {
    const { drift } = await readFirewall(writeFolder({ "main.tf": rules(CLOUDFLARE_IPV4) }), {
      resource: "aws_vpc_security_group_ingress_rule.https",
    });
    expect(verdictOn(drift, 443)).toEqual(["pass"]);
  });

  it("joins rules to the one instance of a counted group they name", async () => {
    const folder = writeFolder({ "main.tf": rules(CLOUDFLARE_IPV4) });
    expect(
      verdictOn((await readFirewall(folder, { resource: "aws_security_group.web[0]" })).drift, 443),
    ).toEqual(["pass"]);
    expect(
      verdictOn((await readFirewall(folder, { resource: "aws_security_group.web[1]" })).drift, 443),
    ).toEqual(["missing 522"]);
  });

  it("is unknown when a counted group is named without saying which instance", async () => {
    const { drift } = await readFirewall(writeFolder({ "main.tf": rules(CLOUDFLARE_IPV4) }), {
      resource: "aws_security_group.web",
    });
    expect(verdictOn(drift, 443)).toEqual(["unknown"]);
    expect(driftOn(drift, 443, "enforced-unknown").rules?.[0]).toMatch(/2 instances .*name one/);
  });
});
