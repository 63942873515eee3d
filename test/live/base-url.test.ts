import { describe, expect, it } from "vitest";
import { UsageError } from "../../checks/errors.js";
import { displayUrl, endpointOf, parseApiBaseUrl, redactUserinfo } from "../../checks/live/base-url.js";

describe("parseApiBaseUrl", () => {
  it("accepts http(s) URLs with a host and a path", () => {
    expect(parseApiBaseUrl("https://api.cloudflare.com/client/v4")).toBe(
      "https://api.cloudflare.com/client/v4",
    );
    expect(parseApiBaseUrl(" http://127.0.0.1:8080/client/v4/ ")).toBe("http://127.0.0.1:8080/client/v4");
    expect(parseApiBaseUrl("http://[::1]:8080/client/v4")).toBe("http://[::1]:8080/client/v4");
  });

  it.each([
    ["api.cloudflare.com/client/v4", /not a valid URL/],
    ["http://127.0.0.1:port/client/v4", /not a valid URL/],
    ["ftp://127.0.0.1/client/v4", /its scheme is "ftp"/],
    ["file:///etc/passwd", /its scheme is "file"/],
    ["https://api.cloudflare.com/client/v4?x=1", /without a query or fragment/],
    ["https://api.cloudflare.com/client/v4#top", /without a query or fragment/],
  ])("refuses %s", (raw, why) => {
    expect(() => parseApiBaseUrl(raw)).toThrow(UsageError);
    expect(() => parseApiBaseUrl(raw)).toThrow(why);
  });

  it("refuses userinfo without repeating the password, even when the URL does not parse", () => {
    for (const raw of [
      "https://ci:s3cr3t-pw@api.example/client/v4",
      "https://ci:s3cr3t-pw@api.example:port/v4",
    ]) {
      const error = (() => {
        try {
          parseApiBaseUrl(raw);
        } catch (e) {
          return e as Error;
        }
      })();
      expect(error).toBeInstanceOf(UsageError);
      expect(error!.message).toContain("CLOUDFLARE_API_BASE_URL");
      expect(error!.message).not.toContain("s3cr3t-pw");
    }
  });
});

describe("URLs in messages", () => {
  it("strip userinfo, query and fragment", () => {
    expect(displayUrl("https://u:p@h.example:8443/a/b?token=x#f")).toBe("https://h.example:8443/a/b");
    expect(redactUserinfo("see https://u:p@ss@h.example/x and http://h2/y")).toBe(
      "see https://[redacted]@h.example/x and http://h2/y",
    );
    expect(
      endpointOf(
        "http://127.0.0.1:1/client/v4/zones/abc/dns_records?page=2&per_page=3",
        "http://127.0.0.1:1/client/v4",
      ),
    ).toBe("/zones/abc/dns_records");
  });
});
