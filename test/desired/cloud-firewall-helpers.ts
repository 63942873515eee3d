import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { readDesiredSources } from "../../checks/desired/read.js";
import { withCloudFirewalls } from "../../checks/diff/cloud-firewall.js";
import { computeDrift } from "../../checks/diff/drift.js";
import type { EnforcedFirewall } from "../../checks/diff/enforced-firewall.js";
import type { FirewallDrift } from "../../checks/model/change.js";
import type { Origin } from "../../checks/model/origin.js";
import type { CloudflareRanges, DesiredState } from "../../checks/model/zone.js";
import { RANGES } from "../diff/helpers.js";

/** The origin a test declares (through a real `--config` file) with its allowlist naming firewalls. */
export interface OriginSpec {
  readonly resource: string | readonly string[];
  readonly ipv4?: readonly string[];
  readonly ipv6?: readonly string[];
  readonly ports?: readonly number[];
}

export interface FirewallReading {
  readonly desired: DesiredState;
  readonly origin: Origin;
  readonly enforced: EnforcedFirewall;
  readonly drift: FirewallDrift[];
}

/** Files of a Terraform folder written to a fresh temp folder (names may hold sub-folders). */
export function writeFolder(files: Readonly<Record<string, string>>): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-cloudfw-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

export function configFor(spec: OriginSpec, zone = "example.com"): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-cloudfw-config-"));
  const file = join(dir, "preflight.json");
  writeFileSync(
    file,
    JSON.stringify({
      schemaVersion: 2,
      zones: [
        {
          zone,
          origins: [
            {
              name: "web",
              ipv4: spec.ipv4 ?? (spec.ipv6 ? [] : ["192.0.2.10"]),
              ipv6: spec.ipv6 ?? [],
              ports: (spec.ports ?? [443]).map((port) => ({ port, scheme: "https" })),
              allowlist: { resource: spec.resource },
            },
          ],
          hostnames: [{ fqdn: "www", origin: "web", proxied: true }],
        },
      ],
    }),
  );
  return file;
}

/**
 * Read a Terraform folder with the real readers (HCL parser, evaluator, provider adapters), declare
 * one origin whose allowlist names firewalls, and compare what they enforce with Cloudflare's ranges
 * exactly as `check` does.
 */
export async function readFirewall(
  folder: string,
  spec: OriginSpec,
  ranges: CloudflareRanges = RANGES,
): Promise<FirewallReading> {
  const desired = await readDesiredSources({ synth: folder, config: [configFor(spec)] });
  const zone = desired.zones.find((z) => z.origins.length > 0)!;
  const origin = zone.origins[0]!;
  const enforced = withCloudFirewalls([origin], ranges, new Map()).get(origin.name)!;
  const drift = computeDrift({
    zones: [],
    ranges,
    origins: [{ origin, zone: "example.com", routes: zone.hostnames }],
    enforced: new Map([[origin.name, enforced]]),
  }).firewall;
  return { desired, origin, enforced, drift: [...drift] };
}

/**
 * What the comparison says about one port, as short labels: `pass`, `missing 522` (Cloudflare's
 * ranges not admitted), `exposed` (everyone admitted), `extra`, `unknown`.
 */
export function verdictOn(drift: readonly FirewallDrift[], port: number): string[] {
  const labels = drift
    .filter((d) => d.ports?.includes(port))
    .map((d) => {
      if (d.kind === "enforced-missing") return d.predicts ? `missing ${d.predicts}` : "missing";
      if (d.kind === "enforced-extra")
        return d.cidrs.some((c) => c === "0.0.0.0/0" || c === "::/0") ? "exposed" : "extra";
      if (d.kind === "enforced-unknown") return "unknown";
      return d.kind;
    });
  return labels.length === 0 ? ["pass"] : [...new Set(labels)].sort();
}

export function driftOn(
  drift: readonly FirewallDrift[],
  port: number,
  kind: FirewallDrift["kind"],
): FirewallDrift {
  const found = drift.find((d) => d.kind === kind && d.ports?.includes(port));
  if (!found) throw new Error(`no ${kind} on port ${port}: ${JSON.stringify(drift)}`);
  return found;
}
