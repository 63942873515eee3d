import { X509Certificate } from "node:crypto";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { cloudflareOriginCaRoots, parsePemBundle, trustAnchors } from "../../checks/probe/trust.js";

describe("the bundled Cloudflare Origin CA roots", () => {
  const roots = cloudflareOriginCaRoots();

  it("holds Cloudflare's two roots (ECC and RSA), self-signed CAs", () => {
    expect(roots).toHaveLength(2);
    for (const root of roots) {
      expect(root.ca).toBe(true);
      expect(root.checkIssued(root)).toBe(true);
      expect(root.subject).toMatch(/CloudFlare Origin SSL (ECC )?Certificate Authority/);
    }
  });

  it("has not expired (each root is valid for at least 30 more days)", () => {
    const soon = Date.now() + 30 * 86_400_000;
    for (const root of roots) expect(new Date(root.validTo).getTime()).toBeGreaterThan(soon);
  });

  it("is the same data as the shared copy, when that copy is at hand", () => {
    let shared: string;
    try {
      shared = readFileSync(new URL("../../../shared/cloudflare-origin-ca.pem", import.meta.url), "utf8");
    } catch {
      return;
    }
    expect(parsePemBundle(shared).map((c) => c.fingerprint256)).toEqual(roots.map((c) => c.fingerprint256));
  });
});

describe("trustAnchors", () => {
  it("holds the public roots, the Origin CA roots and extra CAs", () => {
    const extra = roots0();
    const anchors = trustAnchors(extra);
    expect(anchors.length).toBeGreaterThan(100);
    const prints = new Set(anchors.map((a) => a.fingerprint256));
    for (const root of cloudflareOriginCaRoots()) expect(prints.has(root.fingerprint256)).toBe(true);
    expect(prints.has(new X509Certificate(extra).fingerprint256)).toBe(true);
  });
});

function roots0(): string {
  const pem = readFileSync(
    new URL("../../checks/probe/data/cloudflare-origin-ca.pem", import.meta.url),
    "utf8",
  );
  const first = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  if (first === undefined) throw new Error("no certificate in the bundled PEM");
  return first;
}
