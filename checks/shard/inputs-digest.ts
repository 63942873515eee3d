import { createHash } from "node:crypto";
import { writeCanonicalJson } from "../canonical-json.js";
import type { CommonOptions } from "../cli/options.js";
import type { DesiredState } from "../model/zone.js";

/** Where things were read from differs between machines (checkout folders, a fresh synth's temp folder). */
const LOCATIONS: ReadonlySet<string> = new Set(["file", "files"]);

/** What a run was given besides the stack that decides its findings, for `inputsDigest`. */
export interface DigestInputs {
  /** `--firewall ORIGIN=FILE`: the export's text by origin name. */
  readonly firewalls: ReadonlyMap<string, { readonly text: string }>;
  /** `--origin-ca` certificates. */
  readonly extraCaPem: readonly string[];
}

/**
 * `sha256:<hex>` of everything a run's findings follow from besides the live zone and the probes:
 * the desired state as read (zones, records, origins, rules, acknowledgements, what stayed
 * unresolved; not the paths it was read from), the `--firewall` exports, the `--origin-ca`
 * certificates and the options that change what the rules judge (`--no-live`, `--after`,
 * `--parity-path`, `--latency-factor`). Runs on different machines of the same commit and options
 * get the same digest; `merge` refuses reports whose digests differ.
 */
export function inputsDigest(desired: DesiredState, given: DigestInputs, options: CommonOptions): string {
  const firewalls = [...given.firewalls].map(([origin, { text }]) => [origin, sha256(text)]).sort();
  const document = {
    desired: {
      zones: desired.zones,
      ipLists: desired.ipLists,
      tunnels: desired.tunnels ?? [],
      deletesKnown: desired.deletesKnown ?? false,
      deletes: desired.deletes ?? [],
      inputs: desired.inputs
        ? {
            sources: desired.inputs.sources.map((s) => s.kind),
            zones: desired.inputs.zones,
            unresolved: desired.inputs.unresolved,
            ignored: desired.inputs.ignored,
          }
        : null,
    },
    firewalls,
    originCa: given.extraCaPem.map(sha256).sort(),
    options: {
      live: options.live,
      after: options.after,
      parityPaths: [...options.parityPaths].sort(),
      latencyFactor: options.latencyFactor ?? null,
    },
  };
  const hash = createHash("sha256");
  writeCanonicalJson(document, LOCATIONS, (chunk) => hash.update(chunk));
  return `sha256:${hash.digest("hex")}`;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
