/**
 * Facts about the Cloudflare Rules language (the wirefilter-based language of ruleset rules,
 * Configuration Rules, Origin Rules and Redirect Rules) that the evaluator rests on. Checked
 * 2026-11-30 against developers.cloudflare.com/ruleset-engine/rules-language/ (operators, values,
 * functions, fields), rules/normalization/, and the public source of cloudflare/wirefilter where the
 * docs are silent (literal syntax). Cloudflare changes these: keep the date current when re-checked.
 */

/** Comparison operators, English and C-like notation (operators page). Checked 2026-11-30. */
export const COMPARISON_OPERATORS = {
  eq: ["eq", "=="],
  ne: ["ne", "!="],
  lt: ["lt", "<"],
  le: ["le", "<="],
  gt: ["gt", ">"],
  ge: ["ge", ">="],
  contains: ["contains"],
  matches: ["matches", "~"],
  wildcard: ["wildcard"],
  strictWildcard: ["strict wildcard"],
  in: ["in"],
  /** Integer fields only (wirefilter's `IntOp`). */
  bitwiseAnd: ["bitwise_and", "&"],
} as const;

/**
 * Logical operators, in order of precedence: `not` first, then `and`, `xor`, `or` (operators page,
 * "Order of precedence"). `not` applies to the simple expression after it (a comparison, a boolean
 * field or a parenthesised group), so `not a and b` is `(not a) and b`. Checked 2026-11-30.
 */
export const LOGICAL_OPERATORS = {
  not: ["not", "!"],
  and: ["and", "&&"],
  xor: ["xor", "^^"],
  or: ["or", "||"],
} as const;

/**
 * Whitespace between tokens. wirefilter skips only space, CR and LF; the checker also accepts tabs
 * (they come from Terraform heredocs) because a rule that reached the API was already accepted by
 * Cloudflare's parser, and refusing it here would only turn a decision into "unknown". Checked 2026-11-30.
 */
export const WHITESPACE = new Set([" ", "\r", "\n", "\t"]);

/**
 * Quoted strings: `\"` and `\\`, `\xHH` (two hex digits) and `\OOO` (three octal digits) are the only
 * escapes; anything else after a backslash is an error (wirefilter `lex_quoted_string`). On the right
 * of `matches` the quoted string follows regex escaping: every escape is kept for the regex engine
 * except `\"` outside a character class (values page, "Quoted string syntax"). Checked 2026-11-30.
 */
export const QUOTED_STRING_ESCAPES = ['"', "\\", "xHH", "OOO"] as const;

/**
 * Raw strings: `r"..."`, or `r#"..."#` with up to 255 `#`; nothing is escaped inside (values page,
 * "Raw string syntax"). Checked 2026-11-30.
 */
export const RAW_STRING_MAX_HASHES = 255;

/**
 * Integer literals (wirefilter's `i64` lexer; the docs only show decimals): `0x` starts hexadecimal,
 * a leading `0` means octal (`010` is 8), otherwise decimal with an optional `-`. Inline lists accept
 * integer ranges `1..10` (inclusive) and IP addresses, CIDR ranges and `a..b` IP ranges (values
 * page, "Inline lists"). Checked 2026-11-30.
 */
export const INTEGER_LITERAL_RULES = { hexPrefix: "0x", octalLeadingZero: true } as const;

/**
 * List names after `$`: lower-case letters, digits, `_` (values page, "Lists"); managed lists add `.`
 * (`$cf.open_proxies`, wirefilter `ListName`). A list's content is account data the checker does
 * not read, so `in $list` is undecidable. Checked 2026-11-30.
 */
export const LIST_NAME_PATTERN = /^[a-z0-9_][a-z0-9_.]*$/;

/**
 * Wildcard operators: `wildcard` is case-insensitive, `strict wildcard` case-sensitive; `*` matches
 * zero or more characters and the whole field value must match; `\*` is a literal star and `\\` a
 * literal backslash; `**` is invalid (operators page, "Wildcard matching"; wirefilter rejects other
 * escapes). Case folding is ASCII only (wirefilter compares bytes). The docs' example C also lists
 * `https://example.com/folder/list.htm` as matching `*.example.com/*` or `example.com/*`, which
 * contradicts the whole-value rule and the wildcard crate wirefilter uses; the checker follows the
 * rule. Checked 2026-11-30.
 */
export const WILDCARD_ESCAPABLE: readonly string[] = ["*", "\\"];

/**
 * `matches` uses Rust's regex engine (operators page, "Regular expression matching"): partial match
 * (the pattern may match anywhere unless anchored), no look-around or back-references, Unicode-aware
 * classes. The checker evaluates only a subset it can reproduce exactly (see regex.ts); anything
 * else is undecidable, never approximated. Checked 2026-11-30.
 */
export const REGEX_ENGINE = "rust-regex" as const;

/**
 * `http.host` is the Host header of the visitor's request. The docs' `lower()` example shows it can
 * carry upper case ("WWW.cloudflare.com"); browsers always send the host in lower case (WHATWG URL
 * parsing lower-cases the host), so the checker evaluates rules for the lower-case hostname and treats
 * that as the hostname's value. Checked 2026-11-30.
 */
export const HOST_IS_LOWER_CASE = true;

/**
 * `http.request.full_uri` is `scheme://host/path?query` (fields reference, example
 * `https://www.example.org/articles/index?section=539061&expand=comments`). The docs never show a port
 * in it; whether a request on a non-default edge port (8443, 2053, ...) carries `:port` there is not
 * documented, so with a known non-default port the field is undecidable, and otherwise the checker
 * assumes the default port and no `:port`. Checked 2026-11-30.
 */
export const FULL_URI_PORT_UNDOCUMENTED = true;

/** Default edge port per scheme: 80 for HTTP, 443 for HTTPS. Checked 2026-11-30. */
export const DEFAULT_PORTS = { http: 80, https: 443 } as const;

/**
 * The method a probe sends: the checker's HTTP probes are GET requests, so a rule keyed on
 * `http.request.method` is decidable for the probe (`evaluate`) but not for "every request to the
 * hostname" (`decideForHost`), where visitors may use any method. Checked 2026-11-30.
 */
export const PROBE_METHOD = "GET";

/**
 * `http.request.uri.path.extension`: the lower-cased text after the last dot of the last path segment,
 * empty when there is none or when the segment's only dot is its first character (`/.mp3` → "").
 * The raw variant is not lower-cased ("without any transformation"). Checked 2026-11-30.
 */
export const PATH_EXTENSION_RULES = { lowerCased: true, leadingDotIsNotExtension: true } as const;

/**
 * URL normalization (rules/normalization/how-it-works): with "Normalize incoming URLs" on (the
 * default, Cloudflare type) rules see a normalized path: unreserved characters percent-decoded,
 * percent-encodings upper-cased, dot segments removed, and (Cloudflare type) `\` turned into `/` and
 * successive slashes merged. A path made only of unreserved and allowed reserved characters, with no
 * `%`, no `//` and no `.`/`..` segment, is the same under every setting, so `http.request.uri.path`
 * and its `raw.` twin equal the probed path; any other path is undecidable (it depends on the zone's
 * normalization setting). Checked 2026-11-30.
 */
export const NORMAL_PATH_CHARACTERS = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]*$/;

/**
 * Field namespaces the Rules language defines (fields reference). A field under one of them that the
 * checker cannot compute from the hostname, path and scheme depends on the visitor (address, headers,
 * cookies, bot and threat scores, geolocation, TLS details, query arguments, body, response).
 * Checked 2026-11-30.
 */
export const FIELD_NAMESPACES = [
  "http.",
  "ip.",
  "cf.",
  "raw.",
  "ssl",
  "tcp.",
  "udp.",
  "icmp.",
  "sip",
] as const;

/**
 * The function names documented on the functions page (transformation functions, HMAC validation,
 * Magic Firewall's `bit_slice`). Functions the evaluator does not compute are undecidable, never an
 * error. Checked 2026-11-30.
 */
export const DOCUMENTED_FUNCTIONS = [
  "any",
  "all",
  "cidr",
  "cidr6",
  "concat",
  "decode_base64",
  "ends_with",
  "join",
  "len",
  "lookup_json_integer",
  "lookup_json_string",
  "lower",
  "regex_replace",
  "remove_bytes",
  "remove_query_args",
  "split",
  "starts_with",
  "substring",
  "to_string",
  "upper",
  "url_decode",
  "uuidv4",
  "wildcard_replace",
  "bit_slice",
  "is_timed_hmac_valid_v0",
] as const;

/** Deepest nesting of parentheses, `not` and function calls the parser accepts (keeps recursion bounded). */
export const MAX_NESTING = 200;
