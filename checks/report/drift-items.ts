import type { FirewallDrift, RecordChange, SettingChange } from "../model/change.js";
import { onlyUnresolved } from "../model/change.js";
import type { SourceRef } from "../model/source.js";
import { isUnresolved } from "../model/value.js";
import { quote } from "../printable.js";
import type { Report } from "./report.js";

/** The stable ids drift differences carry in SARIF, JUnit and annotations (not finding rules). */
export type DriftRuleId = "dns-drift" | "settings-drift" | "firewall-drift";

/** What each kind of drift is, for SARIF's rule descriptors (the shape of a rule's wording). */
export const DRIFT_RULES: readonly {
  readonly id: DriftRuleId;
  readonly predicts: null;
  readonly checks: string;
  readonly why: string;
  readonly fix: string;
}[] = [
  {
    id: "dns-drift",
    predicts: null,
    checks: "Each DNS record in the live zone matches the code (created, deleted or changed by hand).",
    why: "A record changed outside the code is overwritten by the next deploy, or serves what nobody reviewed.",
    fix: "Deploy the code, or bring the code in line with the live record.",
  },
  {
    id: "settings-drift",
    predicts: null,
    checks: "The zone's SSL/TLS mode in the live zone matches the code.",
    why: "The SSL mode decides how Cloudflare reaches every origin of the zone; a mode changed by hand can cause 525/526 or plain-HTTP origin traffic.",
    fix: "Deploy the code, or set the mode in the code to the one the zone needs.",
  },
  {
    id: "firewall-drift",
    predicts: null,
    checks:
      "Each origin allowlist, the origin's real firewall and the account IP lists agree with the code and Cloudflare's ranges.",
    why: "A firewall or list that differs from the code drops Cloudflare's traffic (522) or lets others in.",
    fix: "Bring the firewall or the list in line with the code (the message says which ranges differ).",
  },
];

/** One difference between the code and the live state, as the CI formats list it. */
export interface DriftItem {
  readonly rule: DriftRuleId;
  readonly zone?: string;
  /** What differs: `A www.example.com`, `example.com ssl`, the origin or the list. */
  readonly label: string;
  readonly message: string;
  /**
   * Not decided: the code leaves the value to apply, or the firewall export has rules the checker
   * cannot read. Still drift for the exit code; never shown as passed.
   */
  readonly unknown: boolean;
  readonly predicts: string | null;
  /** Where the code declares it, when it does. */
  readonly source?: SourceRef;
  /** The same difference has the same key from run to run (SARIF's fingerprint). */
  readonly key: string;
}

/** The drift of a report that gates on it (`cf-preflight drift`), one item per difference; else none. */
export function gatedDriftItems(report: Report): DriftItem[] {
  if (report.gate !== "drift") return [];
  return [
    ...report.drift.dns.map(dnsItem),
    ...report.drift.settings.map(settingItem),
    ...report.drift.firewall.map(firewallItem),
  ];
}

/** `6 difference(s) (4 DNS, 1 setting(s), 1 firewall; 1 of them unknown)`. */
export function driftCountText(items: readonly DriftItem[]): string {
  const count = (rule: DriftRuleId) => items.filter((i) => i.rule === rule).length;
  const unknown = items.filter((i) => i.unknown).length;
  return (
    `${items.length} difference(s) (${count("dns-drift")} DNS, ${count("settings-drift")} setting(s), ` +
    `${count("firewall-drift")} firewall${unknown > 0 ? `; ${unknown} of them unknown` : ""})`
  );
}

const UNKNOWN = "unknown: ";

function dnsItem(c: RecordChange): DriftItem {
  const label = `${c.type} ${c.fqdn}`;
  const source = c.desired?.source;
  const content =
    c.action === "update" ? "" : value(c.action === "create" ? c.desired?.content : c.live?.content);
  const base = {
    rule: "dns-drift" as const,
    zone: c.zone,
    label,
    predicts: null,
    key: [c.zone, c.action, c.type, c.fqdn, content].join("|"),
    ...(source ? { source } : {}),
  };
  if (c.action === "create")
    return {
      ...base,
      unknown: false,
      message: `${label} is in the code but not live (content ${content})`,
    };
  if (c.action === "delete")
    return {
      ...base,
      unknown: false,
      message: `${label} is live but not in the code (content ${content})`,
    };
  const undecided = onlyUnresolved(c);
  const fields = c.fields.map((f) => `${f.field}: live ${value(f.from)}, code ${value(f.to)}`).join("; ");
  return {
    ...base,
    unknown: undecided,
    message: undecided
      ? `${UNKNOWN}${label} may differ from the code, which leaves the value to apply: ${fields}`
      : `${label} differs from the code: ${fields}`,
  };
}

function settingItem(s: SettingChange): DriftItem {
  const undecided = isUnresolved(s.desired);
  const what = `SSL/TLS mode of ${s.zone}: live ${value(s.live)}, code ${value(s.desired)}`;
  return {
    rule: "settings-drift",
    zone: s.zone,
    label: `${s.zone} ${s.setting}`,
    predicts: null,
    key: [s.zone, s.setting].join("|"),
    unknown: undecided,
    message: undecided ? `${UNKNOWN}${what}` : what,
  };
}

function firewallItem(d: FirewallDrift): DriftItem {
  const undecided = d.kind === "enforced-unknown";
  return {
    rule: "firewall-drift",
    ...(d.zone ? { zone: d.zone } : {}),
    label: d.list ?? d.origin,
    predicts: d.predicts,
    key: [d.zone ?? "", d.list ?? d.origin, d.kind, (d.ports ?? []).join(",")].join("|"),
    unknown: undecided,
    message: `${undecided ? UNKNOWN : ""}${d.origin}: ${d.message}`,
  };
}

/** A value for a message: quoted and printable, or the expression the code leaves to apply. */
function value(v: unknown): string {
  if (isUnresolved(v)) return `${quote(v.unresolved)} (known only at apply)`;
  return v === undefined ? "(none)" : quote(v);
}
