import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { Unknown } from "../../checks/desired/terraform/value.js";
import { evaluateExpression, tfFolder, whyUnknown } from "./tf-folder.js";

/**
 * regex(), regexall() and replace() take RE2 patterns (Go's syntax). The sweep found
 * `(?P<name>...)` and malformed patterns crashing the reader (a JavaScript SyntaxError).
 */
describe("RE2 patterns in regex, regexall and replace", () => {
  it("reads (?P<name>...) groups as named captures", async () => {
    expect(await evaluateExpression('regex("(?P<host>[a-z]+)\\\\.(?P<zone>.+)", "www.example.org")')).toEqual(
      {
        host: "www",
        zone: "example.org",
      },
    );
    expect(await evaluateExpression('regexall("(?P<n>\\\\d)", "a1b2")')).toEqual([{ n: "1" }, { n: "2" }]);
  });

  it("applies a leading flag group and the \\A and \\z anchors", async () => {
    expect(await evaluateExpression('regex("(?i)^WWW", "www.example.org")')).toBe("www");
    expect(await evaluateExpression('can(regex("\\\\Aab\\\\z", "ab\\n"))')).toBe(false);
    expect(await evaluateExpression('regex("\\\\Aab\\\\z", "ab")')).toBe("ab");
  });

  it("turns Go replacement references into JavaScript ones", async () => {
    expect(await evaluateExpression('replace("www-example", "/(?P<a>\\\\w+)-(\\\\w+)/", "$2.$${a}")')).toBe(
      "example.www",
    );
  });

  it("answers can() false for a malformed pattern, as Terraform refuses it", async () => {
    expect(await evaluateExpression('can(regex("[", "abc"))')).toBe(false);
    expect(await evaluateExpression('try(regex("[", "abc"), "fallback")')).toBe("fallback");
  });

  it("leaves RE2 syntax JavaScript cannot run unknown, naming it, rather than running another meaning", async () => {
    const value = await evaluateExpression('regex("[[:alpha:]]+", "abc")');
    expect(value).toBeInstanceOf(Unknown);
    expect(whyUnknown(value)).toContain("[[:alpha:]]");
  });

  it("reads a configuration whose record name comes from a named capture, without crashing", async () => {
    const dir = tfFolder({
      "main.tf": `
locals {
  parts = regex("^(?P<sub>[^.]+)\\\\.(?P<zone>.+)$", "app.example.org")
}
resource "cloudflare_record" "app" {
  zone_id = "0123456789abcdef0123456789abcdef"
  name    = local.parts.sub
  type    = "A"
  value   = "192.0.2.7"
}
`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.zones[0]!.records.map((r) => r.fqdn)).toEqual(["app"]);
  });
});
