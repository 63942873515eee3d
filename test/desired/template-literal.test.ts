import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { evaluateExpression, tfFolder } from "./tf-folder.js";

/**
 * Strings written inside expressions: HashiCorp's parser hands them over as written, so `"\n"` in
 * `split("\n", ...)` must be decoded to a newline and a `<<-` heredoc de-indented, as Terraform does.
 * (Found by the sweep: a list built with split("\n", file(...)) came out as one element.)
 */
describe("string literals inside expressions", () => {
  it("decodes the escapes of quoted strings", async () => {
    expect(await evaluateExpression('"a\\tb\\n\\"q\\"\\\\ \\u00e9"')).toBe('a\tb\n"q"\\ é');
    expect(await evaluateExpression('length("\\n")')).toBe(1);
    expect(await evaluateExpression('split("\\n", "a\\nb\\nc")')).toEqual(["a", "b", "c"]);
  });

  it("keeps $${ and %%{ as the literal ${ and %{", async () => {
    expect(await evaluateExpression('"$${x} %%{y}"')).toBe("${x} %{y}");
  });

  it("reads a regular expression written with escaped backslashes", async () => {
    expect(await evaluateExpression('replace("a.b.c", "/\\\\./", "-")')).toBe("a-b-c");
  });

  it("keeps backslashes in heredocs, and strips the common indentation of <<- heredocs", async () => {
    expect(await evaluateExpression("jsonencode(<<EOT\n  a\\n\nEOT\n)")).toBe(JSON.stringify("  a\\n\n"));
    expect(await evaluateExpression("jsonencode(<<-EOT\n      a\n    b\n      c\n    EOT\n)")).toBe(
      JSON.stringify("  a\nb\n  c\n"),
    );
    expect(await evaluateExpression('jsonencode(<<-EOT\n    ${"x\\ty"} y\n      z\n    EOT\n)')).toBe(
      JSON.stringify("x\ty y\n  z\n"),
    );
  });

  it("keeps real newlines in a template with directives", async () => {
    expect(await evaluateExpression('"%{ for i in [1, 2] }${i}\\n%{ endfor }"')).toBe("1\n2\n");
  });

  it("expands for_each over the lines of a file split on \\n", async () => {
    const dir = tfFolder({
      "hosts.txt": "# comment\nwww\napi\n\nmail\n",
      "main.tf": `
locals {
  names = [for l in split("\\n", file("\${path.module}/hosts.txt")) : l if l != "" && substr(l, 0, 1) != "#"]
}
resource "cloudflare_record" "host" {
  for_each = toset(local.names)
  zone_id  = "0123456789abcdef0123456789abcdef"
  name     = each.value
  type     = "CNAME"
  value    = "edge.example.net"
}
`,
    });
    const desired = await readDesiredSources({ synth: dir });
    expect(desired.zones[0]!.records.map((r) => r.name ?? r.fqdn)).toEqual(["api", "mail", "www"]);
  });
});
