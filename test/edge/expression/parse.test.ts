import { describe, expect, it } from "vitest";
import type { Expression, Rhs, ValueExpr } from "../../../checks/edge/expression/ast.js";
import { MAX_NESTING } from "../../../checks/edge/expression/facts.js";
import { parseExpression, printExpression } from "../../../checks/edge/expression/index.js";

function parse(text: string): Expression {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(`${r.error} at ${r.at}`);
  return r.expression;
}

function parseError(text: string): { error: string; at: number } {
  const r = parseExpression(text);
  if (r.ok) throw new Error(`expected a syntax error in ${text}`);
  return r;
}

/** A compact picture of the tree: and(a,b), not(x), field op rhs. */
function shape(e: Expression): string {
  switch (e.type) {
    case "logical":
      return `${e.op}(${e.items.map(shape).join(",")})`;
    case "not":
      return `not(${shape(e.arg)})`;
    case "bool":
      return String(e.value);
    case "test":
      return valueShape(e.value);
    case "compare":
      return `${valueShape(e.lhs)} ${e.op} ${rhsShape(e.rhs)}`;
  }
}

function valueShape(v: ValueExpr): string {
  const idx = v.indexes
    .map((i) =>
      i.kind === "each" ? "[*]" : i.kind === "key" ? `[${JSON.stringify(i.value)}]` : `[${i.value}]`,
    )
    .join("");
  if (v.type === "field") return v.name + idx;
  return `${v.name}(${v.args.map((a) => (a.type === "literal" ? JSON.stringify(a.value.kind === "int" ? a.value.value.toString() : a.value.kind === "ip" ? a.value.text : a.value.value) : shape(a))).join(",")})${idx}`;
}

function rhsShape(r: Rhs): string {
  switch (r.kind) {
    case "literal":
      return r.value.kind === "int"
        ? r.value.value.toString()
        : r.value.kind === "ip"
          ? r.value.text
          : JSON.stringify(r.value.value);
    case "regex":
    case "wildcard":
      return `/${r.pattern}/`;
    case "list":
      return `$${r.name}`;
    case "set":
      return `{${r.items
        .map((i) =>
          i.kind === "int-range" || i.kind === "ip-range"
            ? `${i.from}..${i.to}`
            : i.kind === "int"
              ? i.value.toString()
              : i.kind === "ip"
                ? i.text
                : JSON.stringify(i.value),
        )
        .join(" ")}}`;
  }
}

describe("precedence: not, then and, xor, or", () => {
  const cases: [string, string][] = [
    ["ssl and a.b or c.d", "or(and(ssl,a.b),c.d)"],
    ["ssl or a.b and c.d", "or(ssl,and(a.b,c.d))"],
    ["ssl xor a.b and c.d or e.f", "or(xor(ssl,and(a.b,c.d)),e.f)"],
    ["ssl or a.b xor c.d", "or(ssl,xor(a.b,c.d))"],
    ["ssl and a.b and c.d", "and(ssl,a.b,c.d)"],
    ["not ssl and a.b", "and(not(ssl),a.b)"],
    ["not (ssl and a.b)", "not(and(ssl,a.b))"],
    ["not not ssl", "not(not(ssl))"],
    ["! ssl && a.b || c.d ^^ e.f", "or(and(not(ssl),a.b),xor(c.d,e.f))"],
    ["(ssl or a.b) and c.d", "and(or(ssl,a.b),c.d)"],
    ['!http.host eq "a.com"', 'not(http.host eq "a.com")'],
    ['not http.host in {"a" "b"} or ssl', 'or(not(http.host in {"a" "b"}),ssl)'],
    ["((((ssl))))", "ssl"],
    ["true", "true"],
    ["false or ssl", "or(false,ssl)"],
  ];
  for (const [text, want] of cases) {
    it(`${text}  =>  ${want}`, () => expect(shape(parse(text))).toBe(want));
  }
});

describe("comparison operators in both notations", () => {
  const cases: [string, string][] = [
    ['http.host eq "a"', 'http.host eq "a"'],
    ['http.host == "a"', 'http.host eq "a"'],
    ['http.host ne "a"', 'http.host ne "a"'],
    ['http.host != "a"', 'http.host ne "a"'],
    ["cf.edge.server_port lt 10", "cf.edge.server_port lt 10"],
    ["cf.edge.server_port < 10", "cf.edge.server_port lt 10"],
    ["cf.edge.server_port <= 10", "cf.edge.server_port le 10"],
    ["cf.edge.server_port le 10", "cf.edge.server_port le 10"],
    ["cf.edge.server_port > 10", "cf.edge.server_port gt 10"],
    ["cf.edge.server_port >= 10", "cf.edge.server_port ge 10"],
    ["cf.edge.server_port ge 10", "cf.edge.server_port ge 10"],
    ['http.host contains "x"', 'http.host contains "x"'],
    ['http.host matches "^a$"', "http.host matches /^a$/"],
    ['http.host ~ "^a$"', "http.host matches /^a$/"],
    ['http.host wildcard "*.a.com"', "http.host wildcard /*.a.com/"],
    ['http.host strict wildcard "*.A.com"', "http.host strict wildcard /*.A.com/"],
    ['http.host strict   wildcard "x"', "http.host strict wildcard /x/"],
    ["cf.edge.server_port & 1", "cf.edge.server_port bitwise_and 1"],
    ["cf.edge.server_port bitwise_and 0x10", "cf.edge.server_port bitwise_and 16"],
    ['http.host eq"a"', 'http.host eq "a"'],
    ['http.host=="a"&&ssl', 'and(http.host eq "a",ssl)'],
  ];
  for (const [text, want] of cases) {
    it(`${text}  =>  ${want}`, () => expect(shape(parse(text))).toBe(want));
  }
  it("reads && after a value as and, not as bitwise &", () => {
    expect(shape(parse("cf.edge.server_port & 4 && ssl"))).toBe("and(cf.edge.server_port bitwise_and 4,ssl)");
  });
});

describe("strings", () => {
  const rhs = (text: string) => {
    const e = parse(text);
    if (e.type !== "compare") throw new Error("not a comparison");
    return e.rhs;
  };
  it('unescapes \\" \\\\ \\xHH and \\OOO in quoted strings', () => {
    expect(rhs('http.host eq "a\\"b\\\\c\\x41\\102"')).toMatchObject({
      value: { kind: "string", value: 'a"b\\cAB', utf8: true },
    });
  });
  it("marks bytes that are not UTF-8", () => {
    expect(rhs('http.host eq "\\xff"')).toMatchObject({ value: { kind: "string", utf8: false } });
  });
  it("refuses other escapes, at the backslash", () => {
    expect(parseError('http.host eq "a\\nb"')).toMatchObject({ at: 15 });
    expect(parseError('http.host eq "a\\x4"').error).toContain("hex");
    expect(parseError('http.host eq "\\400"').error).toContain("octal");
  });
  it("reads raw strings with and without #", () => {
    expect(rhs('http.host eq r"a\\b"')).toMatchObject({ value: { value: "a\\b", raw: true } });
    expect(rhs('http.host eq r#"a"b"#')).toMatchObject({ value: { value: 'a"b' } });
    expect(rhs('http.host eq r##"a"#b"##')).toMatchObject({ value: { value: 'a"#b' } });
    expect(rhs('http.host eq r""')).toMatchObject({ value: { value: "" } });
    expect(rhs('http.host eq r#""#')).toMatchObject({ value: { value: "" } });
  });
  it("ends a raw string at the first quote followed by its number of #", () => {
    expect(parseError('http.host eq r#"a"')).toMatchObject({ at: 13 });
    expect(shape(parse('http.host eq r"a" or ssl'))).toBe('or(http.host eq "a",ssl)');
  });
  it("refuses more than 255 # in a raw string", () => {
    const h = "#".repeat(256);
    expect(parseError(`http.host eq r${h}"a"${h}`).error).toContain("255");
    const ok = "#".repeat(255);
    expect(parse(`http.host eq r${ok}"a"${ok}`).type).toBe("compare");
  });
  it("keeps regex escapes in quoted patterns except the quote outside a class", () => {
    expect(rhs('http.request.uri.path matches "^/api\\.v1\\"x"')).toEqual({
      kind: "regex",
      pattern: '^/api\\.v1"x',
      raw: false,
    });
    expect(rhs('http.request.uri.path matches "[\\"]"')).toEqual({
      kind: "regex",
      pattern: '[\\"]',
      raw: false,
    });
    expect(rhs('http.request.uri.path matches "[a\\]]\\d"')).toEqual({
      kind: "regex",
      pattern: "[a\\]]\\d",
      raw: false,
    });
    expect(rhs('http.request.uri.path matches r"/login\\.aspx$"')).toEqual({
      kind: "regex",
      pattern: "/login\\.aspx$",
      raw: true,
    });
  });
  it("reports an unterminated string at its start", () => {
    expect(parseError('ssl and http.host eq "abc')).toMatchObject({ at: 21 });
  });
});

describe("inline lists, ranges and named lists", () => {
  it("reads strings, integers, integer ranges and radixes", () => {
    expect(shape(parse('http.host in {"a.com" "b.com"}'))).toBe('http.host in {"a.com" "b.com"}');
    expect(shape(parse("cf.edge.server_port in {80 443 8000..8009 0x1F 010 0}"))).toBe(
      "cf.edge.server_port in {80 443 8000..8009 31 8 0}",
    );
  });
  it("reads IP addresses, CIDR ranges and IP ranges", () => {
    expect(
      shape(parse("ip.src in {198.51.100.1 198.51.100.3..198.51.100.7 192.0.2.0/24 2001:0db8::/32 ::1}")),
    ).toBe("ip.src in {198.51.100.1 198.51.100.3..198.51.100.7 192.0.2.0/24 2001:0db8::/32 ::1}");
    expect(shape(parse("ip.src eq 203.0.113.0"))).toBe("ip.src eq 203.0.113.0");
    expect(shape(parse("ip.src in 203.0.113.0/24"))).toBe("ip.src in {203.0.113.0/24}");
  });
  it("accepts lists across lines", () => {
    expect(shape(parse('(http.host in {\n  "a.example.org"\n\t"b.example.org"\n})\n'))).toBe(
      'http.host in {"a.example.org" "b.example.org"}',
    );
  });
  it("refuses reversed ranges, mixed ranges and junk", () => {
    expect(parseError("cf.edge.server_port in {10..1}").at).toBe(24);
    expect(parseError("ip.src in {10.0.0.1..::1}").at).toBe(11);
    expect(parseError("cf.edge.server_port in {80, 443}").at).toBe(26);
    expect(parseError("cf.edge.server_port in {80").error).toContain("closing }");
    expect(parseError("cf.edge.server_port in {08}").at).toBe(24);
  });
  it("reads named lists, managed ones with dots", () => {
    expect(shape(parse("ip.src in $office_network"))).toBe("ip.src in $office_network");
    expect(shape(parse("ip.src in $cf.open_proxies"))).toBe("ip.src in $cf.open_proxies");
    expect(parseError("ip.src in $Office").at).toBe(10);
    expect(parseError("ip.src in $").at).toBe(10);
  });
  it("reads contains with a list of strings", () => {
    expect(shape(parse('http.request.uri.path contains {"/a" "/b"}'))).toBe(
      'http.request.uri.path contains {"/a" "/b"}',
    );
  });
});

describe("functions and indexes", () => {
  const cases: [string, string][] = [
    ['lower(http.host) eq "a"', 'lower(http.host) eq "a"'],
    ['starts_with(http.request.uri.path, "/api")', 'starts_with(http.request.uri.path,"/api")'],
    ['concat("https://", http.host, "/") eq "x"', 'concat("https://",http.host,"/") eq "x"'],
    ["len(http.host) gt 5", "len(http.host) gt 5"],
    ['substring(http.host, -3) eq "com"', 'substring(http.host,"-3") eq "com"'],
    ['http.request.headers["accept"][0] eq "x"', 'http.request.headers["accept"][0] eq "x"'],
    [
      'any(lower(http.request.headers.names[*])[*] == "content-type")',
      'any(lower(http.request.headers.names[*])[*] eq "content-type")',
    ],
    [
      'all(http.request.headers["content-type"][*] == "application/json")',
      'all(http.request.headers["content-type"][*] eq "application/json")',
    ],
    [
      "not any(cf.bot_management.detection_ids[*] eq 33554817)",
      "not(any(cf.bot_management.detection_ids[*] eq 33554817))",
    ],
    ['ends_with ( http.request.uri.path , ".html" )', 'ends_with(http.request.uri.path,".html")'],
    [
      'lookup_json_integer(http.request.body.raw, "a", 1) eq 2',
      'lookup_json_integer(http.request.body.raw,"a","1") eq 2',
    ],
    ["no_such_function()", "no_such_function()"],
  ];
  for (const [text, want] of cases) {
    it(`${text}  =>  ${want}`, () => expect(shape(parse(text))).toBe(want));
  }
  it("refuses a missing ) and a negative index", () => {
    expect(parseError('lower(http.host eq "a"').error).toContain(")");
    expect(parseError('http.request.headers.names[-1] eq "a"').at).toBe(26);
  });
});

describe("syntax errors carry the offset", () => {
  const cases: [string, number][] = [
    ["", 0],
    ["   ", 0],
    ["http.host eq", 12],
    ['http.host eq "a" http.host', 17],
    ['http.host eq "a" and', 20],
    ['(http.host eq "a"', 17],
    ['http.host eq "a")', 16],
    ["http.host eq x.y", 13],
    ["and ssl", 0],
    ['http.host wildcard "a**b"', 19],
    ['http.host wildcard r"a\\b"', 19],
    ["http.host matches 5", 18],
    ['http.host strict "a"', 10],
    ["$my_list", 0],
    ['http.host EQ "a"', 10],
    ["ssl AND ssl", 4],
  ];
  for (const [text, at] of cases) {
    it(`${JSON.stringify(text)} fails at ${at}`, () => {
      const e = parseError(text);
      expect(e.at).toBe(at);
      expect(e.error.length).toBeGreaterThan(5);
    });
  }
});

describe("bounded work", () => {
  it(`refuses nesting deeper than ${MAX_NESTING} with an error, not a stack overflow`, () => {
    const deep = `${"(".repeat(5000)}ssl${")".repeat(5000)}`;
    expect(parseError(deep).error).toContain("nesting");
    expect(parseError(`${"not ".repeat(5000)}ssl`).error).toContain("nesting");
    expect(parseError(`${"lower(".repeat(5000)}http.host${")".repeat(5000)} eq "a"`).error).toContain(
      "nesting",
    );
    const ok = `${"(".repeat(MAX_NESTING)}ssl${")".repeat(MAX_NESTING)}`;
    expect(parse(ok)).toMatchObject({ type: "test" });
    const over = `${"(".repeat(MAX_NESTING + 1)}ssl${")".repeat(MAX_NESTING + 1)}`;
    expect(parseError(over)).toMatchObject({ at: MAX_NESTING + 1 });
  });
  it("parses a long flat expression into one node per operand", () => {
    const n = 20_000;
    const text = Array.from({ length: n }, (_, i) => `http.host eq "h${i}.example.com"`).join(" or ");
    const e = parse(text);
    expect(e.type === "logical" && e.items.length).toBe(n);
  });
});

describe("printing", () => {
  it("prints text that parses to the same tree", () => {
    const texts = [
      '(http.host eq "a\\"b" or not ssl) and http.request.uri.path matches "^/x\\.y"',
      'http.host wildcard r"*.example.com" xor cf.edge.server_port in {80 443..444}',
      'any(lower(http.request.headers.names[*])[*] == "content-type") and ip.src in $office',
      'http.request.uri.path matches r#"a"b"#',
    ];
    for (const t of texts) {
      const once = parse(t);
      expect(shape(parse(printExpression(once)))).toBe(shape(once));
    }
  });
});
