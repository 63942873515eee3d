import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { writeTfJson } from "../helpers/tf-json.js";

/**
 * An acknowledgement is declared in one zone and accepts findings of that zone only. Without the
 * zone in the match, `{ rule: "proxied-type-not-proxiable" }` written in a.example's declarations
 * (no hostname: "every such finding of my zone") also accepted the same rule's blocking finding in
 * b.example, and the gate passed (exit 0) a deploy the API would refuse. Real CLI, static rules.
 */

const ZONE_A = "${data.cloudflare_zone.a.zone_id}";
const ZONE_B = "${data.cloudflare_zone.b.zone_id}";

function twoZones(): string {
  return writeTfJson({
    data: {
      cloudflare_zone: { a: { filter: { name: "a.example" } }, b: { filter: { name: "b.example" } } },
    },
    resource: {
      cloudflare_dns_record: {
        a_txt: { zone_id: ZONE_A, name: "txt.a.example", type: "TXT", content: "a", proxied: true, ttl: 1 },
        b_txt: { zone_id: ZONE_B, name: "txt.b.example", type: "TXT", content: "b", proxied: true, ttl: 1 },
      },
    },
  });
}

function config(acknowledgements: unknown[]): string {
  return writeTfJson(
    { schemaVersion: 2, zones: [{ zone: "a.example", acknowledgements }] },
    "preflight.json",
  );
}

async function check(ack: Record<string, unknown>) {
  const run = await runCli([
    "check",
    "--synth",
    twoZones(),
    "--config",
    config([{ reason: "accepted for a.example only, OPS-1", ...ack }]),
    "--no-live",
    "--no-probes",
    "--format",
    "json",
  ]);
  const report = JSON.parse(run.stdout) as {
    findings: { rule: string; blocking: boolean; subject: { zone?: string; hostname?: string } }[];
  };
  return { code: run.code, findings: report.findings };
}

describe("an acknowledgement is scoped to the zone that declares it", () => {
  it("accepts its own zone's finding, and leaves another zone's finding blocking", async () => {
    const { code, findings } = await check({ rule: "proxied-type-not-proxiable" });
    expect(code).toBe(1);
    const byZone = (zone: string) =>
      findings.find((f) => f.rule === "proxied-type-not-proxiable" && f.subject.zone === zone);
    expect(byZone("a.example")).toMatchObject({ blocking: false, acknowledged: expect.anything() });
    expect(byZone("b.example")).toMatchObject({ blocking: true });
    expect(byZone("b.example")).not.toHaveProperty("acknowledged");
  });

  it("does not reach another zone through a hostname either: it matches nothing and says so", async () => {
    const { code, findings } = await check({
      rule: "proxied-type-not-proxiable",
      hostname: "txt.b.example",
    });
    expect(code).toBe(1);
    expect(findings.filter((f) => f.blocking).map((f) => f.subject.zone)).toEqual(["a.example", "b.example"]);
    expect(findings.some((f) => f.rule === "acknowledgement-unused")).toBe(true);
  });
});
