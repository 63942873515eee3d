import { describe, expect, it } from "vitest";
import { yamlDecode as parseYaml, YamlNotRead } from "../../checks/desired/terraform/yaml-decode.js";
import { evaluateExpression, whyUnknown } from "./tf-folder.js";

/** yamldecode as Terraform (go-cty-yaml) reads the YAML files configurations keep DNS data in. */
describe("yamldecode", () => {
  it("reads a records file with anchors and aliases (tuana9a/platform dns.yml shape)", async () => {
    const yaml = [
      "imperial-ally-285602:",
      "  - type: A",
      "    content: 199.36.158.100",
      "orisis:",
      "  - type: A",
      "    content: &orisis-ip 14.225.1.214",
      '"*.coder":',
      "  - content: *orisis-ip",
      "utils.bm:",
      "  - content: *orisis-ip # same host",
      "",
    ].join("\n");
    const value = await evaluateExpression('yamldecode(file("dns.yml"))', { "dns.yml": yaml });
    expect(value).toEqual({
      "imperial-ally-285602": [{ type: "A", content: "199.36.158.100" }],
      orisis: [{ type: "A", content: "14.225.1.214" }],
      "*.coder": [{ content: "14.225.1.214" }],
      "utils.bm": [{ content: "14.225.1.214" }],
    });
  });

  it("resolves plain scalars as go-cty-yaml does, YAML 1.1 booleans included", () => {
    expect(
      parseYaml(
        "a: yes\nb: Off\nc: ~\nd:\ne: 300\nf: 1_000\ng: 0.5\nh: 0x1F\ni: 10.0.0.1\nj: '007'\nk: \"on\"\nl: -3\n",
      ),
    ).toEqual({
      a: true,
      b: false,
      c: null,
      d: null,
      e: 300,
      f: 1000,
      g: 0.5,
      h: "0x1F",
      i: "10.0.0.1",
      j: "007",
      k: "on",
      l: -3,
    });
  });

  it("reads sequences at the key's indentation, nested sequences, flow collections and quoted escapes", () => {
    const yaml = [
      "---",
      "records:",
      "- name: www",
      "  proxied: true",
      "  tags: [web, 'edge', \"a,b\"]",
      "- name: mx",
      "  data: {priority: 10, target: mail.example.com}",
      "matrix:",
      "  - - 1",
      "    - 2",
      'text: "v=spf1 \\"quoted\\" ~all"',
      "single: 'it''s'",
      "empty: []",
    ].join("\n");
    expect(parseYaml(yaml)).toEqual({
      records: [
        { name: "www", proxied: true, tags: ["web", "edge", "a,b"] },
        { name: "mx", data: { priority: 10, target: "mail.example.com" } },
      ],
      matrix: [[1, 2]],
      text: 'v=spf1 "quoted" ~all',
      single: "it's",
      empty: [],
    });
  });

  it("reads literal and folded block scalars with their chomping", () => {
    const yaml = "lit: |\n  line one\n  line two\n\nfold: >-\n  a\n  b\n\n  c\nnext: x\n";
    expect(parseYaml(yaml)).toEqual({ lit: "line one\nline two\n", fold: "a b\nc", next: "x" });
  });

  it("reports what it does not read as unknown instead of guessing", async () => {
    for (const text of [
      "a: !!int 10",
      "base: &b {x: 1}\nother:\n  <<: *b",
      "when: 2024-01-01",
      "n: 0o17",
      "n: .inf",
    ])
      expect(() => parseYaml(text), text).toThrow(YamlNotRead);
    const value = await evaluateExpression('yamldecode("a: !!int 10")');
    expect(whyUnknown(value)).toMatch(/^yamldecode\(\): the tag !!int on line 1 is not read by cf-preflight/);
  });

  it("reads what go-cty-yaml reads: !!str, a plain scalar over several lines, a later duplicate key", () => {
    expect(parseYaml("a: !!str 10\nb: this goes\n  on and on\nc: 1\nc: 2\n")).toEqual({
      a: "10",
      b: "this goes on and on",
      c: 2,
    });
  });

  it("refuses what Terraform refuses: several documents, a self-referencing anchor, a null key", () => {
    expect(() => parseYaml("a: 1\n---\nb: 2")).toThrow(/2 YAML documents/);
    expect(() => parseYaml("a: &x [1, *x]")).toThrow(/anchor|not valid YAML/);
    expect(() => parseYaml("~: 1")).toThrow(/key cannot be null/);
  });
});
