import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { assessCertificate } from "../../checks/probe/certificate.js";
import { parsePemBundle, trustAnchors } from "../../checks/probe/trust.js";
import type { TestCertificates } from "./helpers/certificates.js";
import { makeTestCertificates } from "./helpers/certificates.js";
import { HOSTNAME } from "./helpers/targets.js";

let dir: string;
let certs: TestCertificates;

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-cert-"));
  certs = makeTestCertificates(dir, HOSTNAME);
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("assessCertificate, judging the same presented chain again", () => {
  it("checks the dates against each probe's own now", () => {
    const chain = parsePemBundle(certs.valid.cert);
    const anchors = trustAnchors(certs.rootPem);
    const validTo = Date.parse(chain[0]!.validTo);
    const today = assessCertificate(chain, HOSTNAME, anchors, new Date());
    expect(today).toMatchObject({ trusted: true, problems: [], details: [] });
    const later = assessCertificate(chain, HOSTNAME, anchors, new Date(validTo + 86_400_000));
    expect(later?.problems).toEqual(["expired"]);
    expect(later?.details[0]).toMatch(/^the certificate expired on /);
    expect(assessCertificate(chain, HOSTNAME, anchors, new Date())?.problems).toEqual([]);
  });

  it("judges each hostname and each set of anchors on its own", () => {
    const chain = parsePemBundle(certs.valid.cert);
    const anchors = trustAnchors(certs.rootPem);
    expect(assessCertificate(chain, HOSTNAME, anchors, new Date())?.problems).toEqual([]);
    expect(assessCertificate(chain, `other.${HOSTNAME}`, anchors, new Date())?.problems).toEqual([
      "name-mismatch",
    ]);
    expect(assessCertificate(chain, HOSTNAME, trustAnchors(), new Date())).toMatchObject({
      trusted: false,
      problems: ["untrusted"],
    });
    expect(assessCertificate(chain, HOSTNAME, anchors, new Date())?.trusted).toBe(true);
  });

  it("hands out evidence a caller may change without changing the next verdict", () => {
    const chain = parsePemBundle(certs.valid.cert);
    const anchors = trustAnchors(certs.rootPem);
    const first = assessCertificate(chain, HOSTNAME, anchors, new Date())!;
    (first.chain as string[]).push("changed");
    (first.subjectAltNames as string[]).length = 0;
    (first.details as string[]).push("changed");
    const second = assessCertificate(chain, HOSTNAME, anchors, new Date())!;
    expect(second.chain).toHaveLength(3);
    expect(second.subjectAltNames).toEqual([HOSTNAME]);
    expect(second.details).toEqual([]);
  });
});
