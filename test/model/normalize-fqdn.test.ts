import { domainToASCII } from "node:url";
import { describe, expect, it } from "vitest";
import { normalizeFqdn } from "../../checks/model/record.js";

/** What `normalizeFqdn` promises, written out the long way: the one-pass shortcut must agree with it. */
function longWay(name: string): string {
  const lower = name.trim().toLowerCase();
  const ascii = /[\u0080-\uffff]/.test(lower) ? domainToASCII(lower) || lower : lower;
  return ascii.endsWith(".") ? ascii.slice(0, -1) : ascii;
}

describe("normalizeFqdn", () => {
  const names = [
    "www.example.com",
    "WWW.Example.COM",
    "www.example.com.",
    " www.example.com ",
    "\twww.example.com\n",
    "\u00a0www.example.com",
    "www.example.com\ufeff",
    "bücher.example",
    "BÜCHER.example.",
    "xn--bcher-kva.example",
    "_dmarc.example.com",
    "*.example.com",
    "@",
    "",
    ".",
    "a.b.c.d.e.f.g",
    "h0.z000.bench.test",
    "with space.example",
    "tab\tinside.example",
    "del\u007f.example",
    "zero\u200bwidth.example",
    "ß.example",
    "Z",
    "z",
    "[.example",
    "~.example",
  ];

  it("leaves a name that is already normal as it is (the same string)", () => {
    const name = "h0.z000.bench.test";
    expect(normalizeFqdn(name)).toBe(name);
    expect(normalizeFqdn("xn--bcher-kva.example")).toBe("xn--bcher-kva.example");
  });

  it.each(names)("agrees with trim, lower-case, Punycode and no final dot for %j", (name) => {
    expect(normalizeFqdn(name)).toBe(longWay(name));
  });

  it("converts upper case, spaces around, a final dot and Unicode", () => {
    expect(normalizeFqdn(" WWW.Example.COM. ")).toBe("www.example.com");
    expect(normalizeFqdn("Bücher.Example")).toBe("xn--bcher-kva.example");
  });
});
