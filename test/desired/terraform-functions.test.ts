import { describe, expect, it } from "vitest";
import { Unknown } from "../../checks/desired/terraform/value.js";
import { evaluateExpression, evaluateIn, tfFolder, whyUnknown } from "./tf-folder.js";

/** Terraform functions the sweep of public configurations found missing or differing from Terraform. */
describe("sets iterate in Terraform's order", () => {
  it("orders sets of strings lexically and sets of numbers numerically, without duplicates", async () => {
    expect(await evaluateExpression('toset(["www", "api", "www"])')).toEqual(["api", "www"]);
    expect(await evaluateExpression("toset([10, 2, 1])")).toEqual([1, 2, 10]);
    expect(await evaluateExpression('setunion(["b"], ["a", "b"])')).toEqual(["a", "b"]);
    expect(await evaluateExpression('[for h in toset(["b", "a"]) : "${h}.example.org"]')).toEqual([
      "a.example.org",
      "b.example.org",
    ]);
    expect(await evaluateExpression('tolist(toset(["c", "a"]))[0]')).toBe("a");
  });

  it("converts a variable typed set(string) the same way", async () => {
    const dir = tfFolder({
      "main.tf": 'variable "hosts" {\n  type    = set(string)\n  default = ["www", "api", "www"]\n}\n',
    });
    expect(await evaluateIn(dir, "${[for h in var.hosts : h]}")).toEqual([["api", "www"]]);
  });
});

describe("IP network functions", () => {
  it("computes IPv6 hosts and subnets", async () => {
    expect(await evaluateExpression('cidrhost("2001:db8::/64", 5)')).toBe("2001:db8::5");
    expect(await evaluateExpression('cidrsubnet("2001:db8::/48", 16, 1)')).toBe("2001:db8:0:1::/64");
    expect(await evaluateExpression('cidrhost("2001:db8:0:1::/64", -1)')).toBe(
      "2001:db8:0:1:ffff:ffff:ffff:ffff",
    );
  });

  it("keeps the IPv4 results of Terraform's documented examples", async () => {
    expect(await evaluateExpression('cidrhost("10.12.112.0/20", 16)')).toBe("10.12.112.16");
    expect(await evaluateExpression('cidrhost("10.12.112.0/20", -1)')).toBe("10.12.127.255");
    expect(await evaluateExpression('cidrnetmask("172.16.0.0/12")')).toBe("255.240.0.0");
    expect(await evaluateExpression('cidrsubnet("172.16.0.0/12", 4, 2)')).toBe("172.18.0.0/16");
    expect(await evaluateExpression('cidrsubnets("10.1.0.0/16", 4, 4, 8, 4)')).toEqual([
      "10.1.0.0/20",
      "10.1.16.0/20",
      "10.1.32.0/24",
      "10.1.48.0/20",
    ]);
    expect(await evaluateExpression('cidrsubnets("fd00:fd12:3456:7890::/56", 16, 16, 16, 32)')).toEqual([
      "fd00:fd12:3456:7800::/72",
      "fd00:fd12:3456:7800:100::/72",
      "fd00:fd12:3456:7800:200::/72",
      "fd00:fd12:3456:7800:300::/88",
    ]);
  });

  it("refuses what Terraform refuses: no netmask for IPv6, a number out of range", async () => {
    const cases: [string, string][] = [
      ['cidrnetmask("2001:db8::/64")', "only IPv4 prefixes have a netmask"],
      ['cidrsubnet("10.0.0.0/8", 8, 256)', "has no subnet number 256"],
      ['cidrhost("10.0.0.0/30", 4)', "has no host number 4"],
      ['can(cidrhost("10.0.0.0/33", 1))', "(known: false)"],
    ];
    for (const [expression, why] of cases) {
      const value = await evaluateExpression(expression);
      if (why.startsWith("(known")) expect(whyUnknown(value)).toBe(why);
      else {
        expect(value).toBeInstanceOf(Unknown);
        expect(whyUnknown(value)).toContain(why);
      }
    }
  });
});

describe("hash functions", () => {
  it("computes base64sha256, base64sha512 and sha512 as Terraform documents them", async () => {
    expect(await evaluateExpression('base64sha256("hello world")')).toBe(
      "uU0nuZNNPgilLlLX2n2r+sSE7+N6U4DukIj3rOLvzek=",
    );
    expect(await evaluateExpression('sha512("hello world")')).toBe(
      "309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f",
    );
    expect(await evaluateExpression('base64sha512("hello world")')).toBe(
      "MJ7MSJwS1utMxA9QyQLytNDtd+5RGnx6m808qG1M2G+YndNbxf9JlnDaNCVbRbDP2DDoH2Bdz33FVC6TrpzXbw==",
    );
  });
});

describe("csvdecode reads CSV as Terraform does (RFC 4180)", () => {
  it("keeps commas, doubled quotes and line breaks inside quoted fields", async () => {
    const csv = 'name,content\nwww,"v=spf1 a,mx ~all"\n_dmarc,"say ""hi"""\n\nmulti,"a\nb"\n';
    expect(await evaluateExpression('csvdecode(file("r.csv"))', { "r.csv": csv })).toEqual([
      { name: "www", content: "v=spf1 a,mx ~all" },
      { name: "_dmarc", content: 'say "hi"' },
      { name: "multi", content: "a\nb" },
    ]);
  });

  it("refuses a record whose number of fields differs from the header, as Terraform does", async () => {
    expect(whyUnknown(await evaluateExpression('csvdecode("a,b\\n1\\n")'))).toMatch(/record 2 has 1 fields/);
    expect(await evaluateExpression('can(csvdecode("a,b\\n1\\n"))')).toBe(false);
  });
});
