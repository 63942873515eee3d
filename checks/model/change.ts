import type { DnsRecord } from "./record.js";

/** One field that differs between desired and live. */
export interface FieldChange {
  readonly field: "content" | "proxied" | "ttl" | "comment" | "tags" | "priority";
  readonly from: unknown;
  readonly to: unknown;
}

/** A DNS change the code would make, ordered delete, create, update (octoDNS's plan order). */
export interface RecordChange {
  readonly action: "delete" | "create" | "update";
  readonly zone: string;
  readonly fqdn: string;
  readonly type: string;
  readonly desired?: DnsRecord;
  readonly live?: DnsRecord;
  readonly fields: readonly FieldChange[];
  /**
   * Fields whose desired value is a Terraform reference (Unresolved) and so cannot be compared;
   * absent when every desired value is known.
   */
  readonly unresolved?: readonly FieldChange["field"][];
}

/**
 * An update whose every differing field is a Terraform reference in the code: whether it changes
 * anything is known only at apply, so it is not counted as a change.
 */
export function onlyUnresolved(change: RecordChange): boolean {
  return (
    change.action === "update" &&
    change.unresolved !== undefined &&
    change.fields.every((f) => change.unresolved?.includes(f.field))
  );
}

export interface SettingChange {
  readonly zone: string;
  readonly setting: "ssl";
  readonly desired: unknown;
  readonly live: unknown;
}

/** Origin allowlists against Cloudflare's live ranges, and against what the origin really enforces. */
export interface FirewallDrift {
  readonly zone?: string;
  readonly origin: string;
  readonly kind:
    | "missing-cloudflare-ranges"
    | "exposed-to-everyone"
    | "enforced-missing"
    | "enforced-extra"
    /** Part of the export the checker could not decide leaves these sources' admission unknown. */
    | "enforced-unknown"
    | "list-missing"
    | "list-extra";
  readonly cidrs: readonly string[];
  /** The origin ports this concerns, when the drift is about what the origin's firewall enforces. */
  readonly ports?: readonly number[];
  /** For `enforced-unknown`: the rules of the export the checker could not decide ("<where>: <what>"). */
  readonly rules?: readonly string[];
  /** The account IP list, for `list-missing` / `list-extra` (then `origin` repeats the list name). */
  readonly list?: string;
  readonly message: string;
  /** The error visitors would see when traffic comes from the missing ranges. */
  readonly predicts: string | null;
}

export interface Drift {
  readonly dns: readonly RecordChange[];
  readonly settings: readonly SettingChange[];
  readonly firewall: readonly FirewallDrift[];
}

export const NO_DRIFT: Drift = { dns: [], settings: [], firewall: [] };

export function hasDrift(drift: Drift): boolean {
  return drift.dns.length + drift.settings.length + drift.firewall.length > 0;
}
