import { describe, expect, it } from "vitest";
import { apiText, echoesSecret, WITHHELD } from "../../checks/live/api-text.js";

const TOKEN = "Fq7Zx2LmN9pR4tW8yB3cD6eG1hJ5kQ0sUvXaYzC2";

describe("apiText", () => {
  it("withholds text echoing the token or any piece of 8+ characters, anywhere in it", () => {
    for (let length = 8; length <= 16; length++) {
      for (const start of [0, 7, TOKEN.length - length]) {
        const piece = TOKEN.slice(start, start + length);
        expect(echoesSecret(`error: ${piece}!`, TOKEN)).toBe(true);
        expect(apiText(`error: ${piece}!`, TOKEN)).toBe(WITHHELD);
      }
    }
    expect(apiText(`x${"y".repeat(300)}${TOKEN}`, TOKEN)).toBe(WITHHELD);
    expect(apiText(encodeURIComponent(`a/${TOKEN}`), TOKEN)).toBe(WITHHELD);
  });

  it("quotes other text on one line, bounded", () => {
    expect(echoesSecret(`error: ${TOKEN.slice(0, 7)}`, TOKEN)).toBe(false);
    expect(apiText("Invalid zone\r\nidentifier\u0007", TOKEN)).toBe("Invalid zone identifier");
    expect(apiText("a".repeat(300), TOKEN)).toBe(`${"a".repeat(200)}…`);
  });
});
