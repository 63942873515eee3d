import { describe, expect, it } from "vitest";
import {
  type Decision,
  decideForHost,
  evaluate,
  parseExpression,
  type RequestFacts,
} from "../../checks/edge/expression/index.js";

function expr(text: string) {
  const r = parseExpression(text);
  if (!r.ok) throw new Error(`${r.error} at ${r.at} in ${text}`);
  return r.expression;
}

/** An HTTPS GET probe of `path` on `host` (port not given). */
function probe(text: string, host: string, path = "/", more: Partial<RequestFacts> = {}): Decision {
  return evaluate(expr(text), { host, path, scheme: "https", ...more });
}

function kind(d: Decision): string {
  return d.kind;
}

describe("fields decided from the request a probe sends", () => {
  it("http.host, compared case-sensitively against the lower-case host", () => {
    expect(kind(probe('http.host eq "api.example.com"', "api.example.com"))).toBe("match");
    expect(kind(probe('http.host eq "api.example.com"', "API.Example.com"))).toBe("match");
    expect(kind(probe('http.host eq "API.example.com"', "api.example.com"))).toBe("no-match");
    expect(kind(probe('lower(http.host) eq "api.example.com"', "API.example.com"))).toBe("match");
    expect(kind(probe('upper(http.host) eq "API.EXAMPLE.COM"', "api.example.com"))).toBe("match");
  });
  it("the path, the URI (path and query) and the full URI", () => {
    expect(kind(probe('http.request.uri.path eq "/health"', "a.com", "/health"))).toBe("match");
    expect(kind(probe('raw.http.request.uri.path eq "/health"', "a.com", "/health"))).toBe("match");
    expect(kind(probe('http.request.uri eq "/health"', "a.com", "/health"))).toBe("match");
    expect(kind(probe('http.request.uri eq "/health?x=1"', "a.com", "/health?x=1"))).toBe("match");
    expect(kind(probe('http.request.uri.path eq "/health"', "a.com", "/health?x=1"))).toBe("match");
    expect(kind(probe('http.request.uri.query eq ""', "a.com", "/health"))).toBe("match");
    expect(kind(probe('http.request.full_uri eq "https://a.com/health"', "a.com", "/health"))).toBe("match");
    expect(kind(probe('http.request.full_uri eq "http://a.com/health"', "a.com", "/health"))).toBe(
      "no-match",
    );
    expect(
      kind(probe('http.request.full_uri eq "http://a.com/health"', "a.com", "/health", { scheme: "http" })),
    ).toBe("match");
  });
  it("the path extension, lower-cased, empty for hidden files", () => {
    const ext = 'http.request.uri.path.extension eq "mp3"';
    expect(kind(probe(ext, "a.com", "/foo.mp3"))).toBe("match");
    expect(kind(probe(ext, "a.com", "/foo.MP3"))).toBe("match");
    expect(kind(probe(ext, "a.com", "/.foo.mp3"))).toBe("match");
    expect(kind(probe('http.request.uri.path.extension eq "bz2"', "a.com", "/foo.tar.bz2"))).toBe("match");
    for (const p of ["/foo", "/.mp3", "/foo."]) {
      expect(kind(probe('http.request.uri.path.extension eq ""', "a.com", p))).toBe("match");
    }
    expect(kind(probe('raw.http.request.uri.path.extension eq "MP3"', "a.com", "/foo.MP3"))).toBe("match");
  });
  it("ssl is true for HTTPS and false for HTTP", () => {
    expect(kind(probe("ssl", "a.com"))).toBe("match");
    expect(kind(probe("not ssl", "a.com"))).toBe("no-match");
    expect(kind(probe("ssl", "a.com", "/", { scheme: "http" }))).toBe("no-match");
  });
  it("cf.edge.server_port when the port is given, undecidable otherwise", () => {
    expect(kind(probe("cf.edge.server_port eq 8443", "a.com", "/", { port: 8443 }))).toBe("match");
    expect(kind(probe("cf.edge.server_port in {80 443 2053..2096}", "a.com", "/", { port: 2083 }))).toBe(
      "match",
    );
    expect(kind(probe("cf.edge.server_port in {80 443}", "a.com", "/", { port: 8443 }))).toBe("no-match");
    expect(kind(probe("cf.edge.server_port ge 1024", "a.com", "/", { port: 8443 }))).toBe("match");
    expect(kind(probe("cf.edge.server_port & 1", "a.com", "/", { port: 443 }))).toBe("match");
    expect(kind(probe("cf.edge.server_port & 4", "a.com", "/", { port: 443 }))).toBe("no-match");
    expect(kind(probe("cf.edge.server_port eq 8443", "a.com"))).toBe("undecidable");
  });
  it("the full URI on a non-default port is undecidable (the docs do not say whether it carries :port)", () => {
    const d = probe('starts_with(http.request.full_uri, "https://a.com/")', "a.com", "/", { port: 8443 });
    expect(d).toMatchObject({ kind: "undecidable" });
    expect(
      kind(probe('starts_with(http.request.full_uri, "https://a.com/")', "a.com", "/", { port: 443 })),
    ).toBe("match");
  });
  it("the method is GET for a probe", () => {
    expect(kind(probe('http.request.method eq "GET"', "a.com"))).toBe("match");
    expect(kind(probe('http.request.method in {"POST" "PUT"}', "a.com"))).toBe("no-match");
  });
  it("cf.zone.name when the zone is given", () => {
    expect(kind(probe('cf.zone.name eq "example.com"', "a.example.com", "/", { zone: "example.com" }))).toBe(
      "match",
    );
    expect(kind(probe('cf.zone.name eq "example.com"', "a.example.com"))).toBe("undecidable");
  });
  it("a path URL normalization would change is undecidable", () => {
    for (const p of ["/a/../b", "/%68ello", "/a//b", "/a\\b", "/caf\u00e9", "/./x"]) {
      const d = probe('http.request.uri.path eq "/b"', "a.com", p);
      expect(d, p).toMatchObject({ kind: "undecidable" });
      if (d.kind === "undecidable") expect(d.why).toContain("normalization");
    }
  });
});

describe("operators", () => {
  const p = (text: string, path = "/blog/post.html") => kind(probe(text, "www.example.com", path));
  it("eq, ne and ordering compare strings bytewise", () => {
    expect(p('http.host ne "example.com"')).toBe("match");
    expect(p('http.host lt "x"')).toBe("match");
    expect(p('http.host gt "x"')).toBe("no-match");
    expect(p('http.host le "www.example.com"')).toBe("match");
    expect(p('http.host ge "www.example.com"')).toBe("match");
    expect(p('http.request.uri.path < "/c"')).toBe("match");
  });
  it("contains, also with a list of strings", () => {
    expect(p('http.request.uri.path contains "/blog/"')).toBe("match");
    expect(p('http.request.uri.path contains "/Blog/"')).toBe("no-match");
    expect(p('http.request.uri.path contains {"/shop" "post"}')).toBe("match");
    expect(p('http.request.uri.path contains {"/shop" "/cart"}')).toBe("no-match");
  });
  it("in with strings", () => {
    expect(p('http.host in {"example.com" "www.example.com"}')).toBe("match");
    expect(p('http.host in {"example.com" "api.example.com"}')).toBe("no-match");
  });
  it("wildcard is case-insensitive and strict wildcard case-sensitive, on the whole value", () => {
    expect(p('http.host wildcard "*.EXAMPLE.com"')).toBe("match");
    expect(p('http.host strict wildcard "*.EXAMPLE.com"')).toBe("no-match");
    expect(p('http.host strict wildcard "*.example.com"')).toBe("match");
    expect(p('http.request.uri.path wildcard "/blog/*"')).toBe("match");
    expect(p('http.request.uri.path wildcard "/blog"')).toBe("no-match");
    expect(p('http.request.uri.path wildcard r"/blog/*.html"')).toBe("match");
    expect(p('http.request.uri.path wildcard r"/blog/\\*"', "/blog/*")).toBe("match");
    expect(p('http.request.uri.path wildcard r"/blog/\\*"', "/blog/x")).toBe("no-match");
  });
  it("matches with a regular expression", () => {
    expect(p('http.host matches "^(www|store|blog)\\.example\\.com$"')).toBe("match");
    expect(p('http.host matches r"^(store|blog)\\.example\\.com$"')).toBe("no-match");
    expect(p('http.host ~ "example"')).toBe("match");
    expect(p('http.request.uri.path matches r"(?i)^/BLOG/"')).toBe("match");
    expect(p('http.request.uri.path matches r"^/blog/[a-z]+\\.html$"')).toBe("match");
    expect(p('http.request.uri.path matches r"^/blog/\\d+$"')).toBe("no-match");
  });
  it("functions people write: starts_with, ends_with, len, concat, substring, to_string, url_decode, remove_bytes", () => {
    expect(p('starts_with(http.request.uri.path, "/blog")')).toBe("match");
    expect(p('ends_with(http.request.uri.path, ".html")')).toBe("match");
    expect(p('not ends_with(http.request.uri.path, ".php")')).toBe("match");
    expect(p("len(http.host) eq 15")).toBe("match");
    expect(
      p('concat("https://", http.host, http.request.uri.path) eq "https://www.example.com/blog/post.html"'),
    ).toBe("match");
    expect(p('substring(http.host, -3) eq "com"')).toBe("match");
    expect(p('substring(http.host, 0, 3) eq "www"')).toBe("match");
    expect(p('to_string(cf.edge.server_port) eq "443"')).toBe("undecidable");
    expect(kind(probe('to_string(cf.edge.server_port) eq "443"', "a.com", "/", { port: 443 }))).toBe("match");
    expect(kind(probe('to_string(ssl) eq "true"', "a.com"))).toBe("match");
    expect(p('remove_bytes(http.host, "\\x2e\\x77") eq "examplecom"')).toBe("match");
    expect(p('url_decode(http.request.uri.path) eq "/blog/post.html"')).toBe("match");
  });
});

describe("undecidable: what depends on the visitor, lists, regexes outside the subset", () => {
  const undecidable = [
    "ip.src in {192.0.2.0/24 2001:db8::/32}",
    'ip.src.country eq "GB"',
    'http.cookie contains "session"',
    "cf.bot_management.score lt 30",
    "cf.client.bot",
    'http.user_agent contains "curl"',
    'any(http.request.headers["x-debug"][*] == "1")',
    'http.request.headers["host"][0] eq "a.com"',
    'any(http.request.uri.args.names[*] == "x")',
    "http.host in $my_list",
    "ip.src in $cf.open_proxies",
    'http.host matches r"\\p{Greek}"',
    'http.host matches r"(?x) a b"',
    'http.host matches r"[[:alpha:]]+"',
    'http.host matches r"(?=a)"',
    'http.host matches r"[a-z&&[^x]]"',
    'http.host matches "a{2000}"',
    'regex_replace(http.host, "a", "b") eq "x"',
    'wildcard_replace(http.host, "*", "x") eq "x"',
    'no_such_function(http.host) eq "x"',
    'lookup_json_string(http.request.body.raw, "a") eq "b"',
    'is_timed_hmac_valid_v0("k", http.request.uri, 10, http.request.timestamp.sec, 8)',
    'some.unknown.field eq "x"',
    'http.host eq "\\xff"',
    "http.host eq 5",
    "http.host",
    "cf.edge.server_port",
  ];
  for (const text of undecidable) {
    it(text, () => {
      const d = probe(text, "www.example.com", "/", { port: 443 });
      expect(d.kind).toBe("undecidable");
      if (d.kind === "undecidable") expect(d.why.length).toBeGreaterThan(10);
    });
  }
  it("names the field, list or regex in the reason", () => {
    const why = (text: string) => {
      const d = probe(text, "a.com");
      return d.kind === "undecidable" ? d.why : "";
    };
    expect(why("ip.src in {192.0.2.0/24}")).toContain("ip.src");
    expect(why("http.host in $my_list")).toContain("$my_list");
    expect(why('http.host matches r"\\p{Greek}"')).toContain("\\p{Greek}");
    expect(why("cf.bot_management.score lt 30")).toContain("bot");
  });
});

describe("three-valued logic makes unknowns irrelevant when it can", () => {
  const host = "api.example.com";
  const cases: [string, Decision["kind"]][] = [
    ['http.host eq "api.example.com" or ip.src in {192.0.2.0/24}', "match"],
    ['ip.src in {192.0.2.0/24} or http.host eq "api.example.com"', "match"],
    ['http.host eq "www.example.com" and http.cookie contains "x"', "no-match"],
    ['http.cookie contains "x" and http.host eq "www.example.com"', "no-match"],
    ['http.host eq "api.example.com" and http.cookie contains "x"', "undecidable"],
    ['http.host eq "www.example.com" or http.cookie contains "x"', "undecidable"],
    ['http.host eq "api.example.com" xor http.cookie contains "x"', "undecidable"],
    ['http.host eq "api.example.com" xor ssl', "no-match"],
    ['not (http.host eq "www.example.com" and cf.client.bot)', "match"],
    ["true or cf.client.bot", "match"],
    ["false and cf.client.bot", "no-match"],
    ["cf.client.bot or not cf.client.bot", "undecidable"],
  ];
  for (const [text, want] of cases) {
    it(`${text}  =>  ${want}`, () => expect(kind(probe(text, host))).toBe(want));
  }
});

describe("decideForHost: every request to the hostname", () => {
  const d = (text: string, host: string, path?: string, options = {}) =>
    decideForHost(expr(text), host, path, options);
  it("decides host conditions whatever the path", () => {
    expect(kind(d('http.host eq "api.example.com"', "api.example.com"))).toBe("match");
    expect(kind(d('http.host eq "api.example.com"', "www.example.com"))).toBe("no-match");
    expect(kind(d('http.host wildcard "*.example.com"', "deep.api.example.com"))).toBe("match");
  });
  it("needs the path for path conditions and takes it as given", () => {
    expect(d('starts_with(http.request.uri.path, "/api/")', "a.com")).toMatchObject({ kind: "undecidable" });
    expect(kind(d('starts_with(http.request.uri.path, "/api/")', "a.com", "/api/x"))).toBe("match");
    expect(kind(d('starts_with(http.request.uri.path, "/api/")', "a.com", "/web"))).toBe("no-match");
  });
  it("treats the scheme, method, port and query string as the visitor's choice", () => {
    expect(d("ssl", "a.com", "/")).toMatchObject({ kind: "undecidable" });
    expect(d("ssl", "a.com", "/", { scheme: "https" })).toEqual({ kind: "match" });
    expect(d('http.request.method eq "GET"', "a.com", "/")).toMatchObject({ kind: "undecidable" });
    expect(d("cf.edge.server_port eq 443", "a.com", "/")).toMatchObject({ kind: "undecidable" });
    expect(d('http.request.uri.query eq ""', "a.com", "/")).toMatchObject({ kind: "undecidable" });
  });
  it("knows the URI starts with the path even when the query string is unknown", () => {
    expect(kind(d('starts_with(http.request.uri, "/api")', "a.com", "/api/v1"))).toBe("match");
    expect(kind(d('starts_with(http.request.uri, "/api/v1?")', "a.com", "/api/v1"))).toBe("undecidable");
    expect(kind(d('starts_with(http.request.uri, "/web")', "a.com", "/api/v1"))).toBe("no-match");
    expect(kind(d('http.request.uri eq "/api/v1"', "a.com", "/api/v1"))).toBe("undecidable");
    expect(kind(d('http.request.uri eq "/web"', "a.com", "/api/v1"))).toBe("no-match");
    expect(kind(d('http.request.uri eq "/api/v1x"', "a.com", "/api/v1"))).toBe("no-match");
    expect(kind(d('http.request.uri contains "api"', "a.com", "/api/v1"))).toBe("match");
    expect(kind(d('http.request.uri contains "zzz"', "a.com", "/api/v1"))).toBe("undecidable");
    expect(kind(d('http.request.uri in {"/x" "/y"}', "a.com", "/api/v1"))).toBe("no-match");
    expect(kind(d('http.request.uri matches "^/api/"', "a.com", "/api/v1"))).toBe("match");
    expect(kind(d('http.request.uri matches "^/api/v1$"', "a.com", "/api/v1"))).toBe("undecidable");
    expect(kind(d('http.request.full_uri wildcard "*://a.com/api/*"', "a.com", "/api/v1"))).toBe("match");
    expect(kind(d('http.request.full_uri wildcard "*://b.com/*"', "a.com", "/api/v1"))).toBe("undecidable");
    expect(
      kind(d('http.request.full_uri wildcard "https://b.com/*"', "a.com", "/api/v1", { scheme: "https" })),
    ).toBe("no-match");
    expect(
      kind(
        d('http.request.full_uri wildcard "https://a.com/api/v1"', "a.com", "/api/v1", { scheme: "https" }),
      ),
    ).toBe("undecidable");
    expect(
      kind(
        d('http.request.full_uri wildcard "https://a.com/api/v2"', "a.com", "/api/v1", { scheme: "https" }),
      ),
    ).toBe("no-match");
    expect(kind(d('lower(http.request.uri) wildcard "/API/*"', "a.com", "/api/v1"))).toBe("match");
    expect(kind(d('concat("x", http.request.uri) eq "x/api/v1"', "a.com", "/api/v1"))).toBe("undecidable");
    expect(kind(d('concat("x", http.request.uri) eq "y/api/v1"', "a.com", "/api/v1"))).toBe("no-match");
  });
  it("a path with a query string fixes the query string", () => {
    expect(kind(d('http.request.uri eq "/api?x=1"', "a.com", "/api?x=1"))).toBe("match");
    expect(kind(d('http.request.uri.query eq "x=1"', "a.com", "/api?x=1"))).toBe("match");
  });
  it("says when HTTP and HTTPS requests are decided differently", () => {
    const r = d('http.host eq "a.com" and ssl', "a.com", "/");
    expect(r.kind).toBe("undecidable");
    if (r.kind === "undecidable") expect(r.why).toContain("HTTPS");
    expect(kind(d('http.host eq "b.com" and ssl', "a.com", "/"))).toBe("no-match");
    expect(kind(d('http.request.full_uri wildcard "*.com/*"', "a.com", "/"))).toBe("match");
  });
  it("decides cf.zone.name when the zone is given", () => {
    expect(
      kind(d('cf.zone.name eq "example.com"', "www.example.com", undefined, { zone: "example.com" })),
    ).toBe("match");
  });
});
