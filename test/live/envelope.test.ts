import { describe, expect, it } from "vitest";
import { checkEnvelope, describeApiErrors, isJsonContentType } from "../../checks/live/envelope.js";

const TOKEN = "tok-0123456789abcdefABCDEF";
const ok = (body: unknown) =>
  checkEnvelope(200, "application/json; charset=utf-8", JSON.stringify(body), TOKEN);

describe("checkEnvelope", () => {
  it("accepts success:true with a result, and hands back the parsed body", () => {
    const check = ok({ success: true, errors: [], messages: [], result: [] });
    expect(check).toEqual({ ok: true, body: { success: true, errors: [], messages: [], result: [] } });
  });

  it("refuses what is not JSON, by content type or by body", () => {
    expect(checkEnvelope(200, "text/html", "<html></html>", TOKEN)).toEqual({
      ok: false,
      problem: 'expected a JSON answer (application/json), got "text/html" (HTTP 200, 13 bytes)',
    });
    expect(checkEnvelope(200, null, "{}", TOKEN)).toMatchObject({ problem: /got no content type/ });
    expect(checkEnvelope(200, "application/json", '{"success":tr', TOKEN)).toMatchObject({
      problem: "the body is not valid JSON (it ends too early) (HTTP 200, 13 bytes)",
    });
    expect(checkEnvelope(200, "application/json", "[1]", TOKEN)).toMatchObject({ problem: /got an array/ });
    expect(checkEnvelope(200, "application/json", "null", TOKEN)).toMatchObject({ problem: /got null/ });
  });

  it("refuses success that is not true, and a missing or null result", () => {
    expect(ok({ success: false, errors: [{ code: 7, message: "nope" }], result: [] })).toMatchObject({
      problem: "success is false although the HTTP status is 200 (Cloudflare: 7: nope)",
    });
    expect(ok({ success: "true", result: [] })).toMatchObject({ problem: '"success" is not true (string)' });
    expect(ok({ result: [] })).toMatchObject({ problem: '"success" is missing' });
    expect(ok({ success: true })).toMatchObject({ problem: '"result" is missing although success is true' });
    expect(ok({ success: true, result: null })).toMatchObject({ problem: /"result" is null/ });
  });

  it("never quotes the body, and withholds API text that echoes the token", () => {
    const check = checkEnvelope(200, "application/json", `{"result": ${TOKEN}}`, TOKEN);
    expect(JSON.stringify(check)).not.toContain(TOKEN.slice(0, 8));
    expect(
      describeApiErrors(
        [
          { code: 1, message: `bad ${TOKEN.slice(4, 14)}` },
          { code: 2, message: "fine" },
        ],
        TOKEN,
      ),
    ).toBe("1: [withheld: it quotes part of the API token]; 2: fine");
  });

  it("bounds what it quotes of Cloudflare's errors", () => {
    const errors = Array.from({ length: 5 }, (_, i) => ({ code: i, message: `m${i}\n${"x".repeat(500)}` }));
    const text = describeApiErrors(errors, TOKEN);
    expect(text).toMatch(/^0: m0 x+…; 1: .*; 2: .*; and 2 more$/);
    expect(text.length).toBeLessThan(700);
    expect(text).not.toContain("\n");
  });
});

describe("isJsonContentType", () => {
  it("knows JSON media types", () => {
    expect(isJsonContentType("application/json")).toBe(true);
    expect(isJsonContentType("Application/JSON; charset=utf-8")).toBe(true);
    expect(isJsonContentType("application/problem+json")).toBe(true);
    expect(isJsonContentType("text/json-ish")).toBe(false);
    expect(isJsonContentType("text/html")).toBe(false);
    expect(isJsonContentType(null)).toBe(false);
  });
});
