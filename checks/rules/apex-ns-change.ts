import type { RecordChange } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import { normalizeFqdn } from "../model/record.js";
import { describeValue } from "../model/value.js";
import { finding, type Rule } from "./rule.js";
import { codeLocation, zonesWithChanges } from "./subject.js";

/**
 * The registrar delegates a zone to the nameservers Cloudflare assigned it; that delegation is what
 * puts the zone on Cloudflare. The NS records at the zone apex are a different thing: what Cloudflare
 * answers for the apex NS set, depending on multi-provider DNS (below).
 * Checked 2026-11-21 (developers.cloudflare.com/dns/nameservers/nameserver-options).
 */
export const APEX_NS_WITHOUT_MULTI_PROVIDER =
  "without multi-provider DNS, a full-setup zone ignores NS records at its apex and answers apex NS queries with Cloudflare's nameservers only";

/** Checked 2026-11-21 (developers.cloudflare.com/dns/nameservers/nameserver-options). */
export const APEX_NS_WITH_MULTI_PROVIDER =
  "with multi-provider DNS (optional for full setup, always on for secondary zones), apex NS records are served beside Cloudflare's nameservers, and a full zone stays active when the registrar lists other providers' nameservers";

/** The apex NS changes among `changes` for `zone` (pure). */
export function apexNsChanges(zone: string, changes: readonly RecordChange[]): RecordChange[] {
  const apex = normalizeFqdn(zone);
  return changes.filter(
    (c) => c.type.toUpperCase() === "NS" && normalizeFqdn(c.zone) === apex && normalizeFqdn(c.fqdn) === apex,
  );
}

/** The nameserver a change sets or removes, for the message. */
function nameserverOf(change: RecordChange): string {
  const record = change.action === "delete" ? change.live : change.desired;
  return record === undefined ? "a record" : describeValue(record.content);
}

export const apexNsChange: Rule = {
  id: "apex-ns-change",
  predicts: null,
  checks: "A deploy does not create, update or delete NS records at a zone's apex.",
  why:
    "The apex NS records name the servers authoritative for the whole zone, and resolvers that trust " +
    "them over the registrar's delegation send the zone's lookups where they point. With " +
    "multi-provider DNS Cloudflare serves them beside its own nameservers, so a wrong one sends part " +
    "of every lookup in the zone to a server that may not hold it (or takes away a provider the zone " +
    "relies on); without it Cloudflare ignores them until the setting is turned on, when they take " +
    "effect all at once. Such a change should never ride along with others.",
  fix:
    "Make apex NS changes in a change of their own, checked against the registrar's delegation, and " +
    'acknowledge it in code with a reason ({ rule: "apex-ns-change", reason: "..." }).',
  needs: ["live"],
  evaluate(context) {
    const out: Finding[] = [];
    for (const { desired, live, changes } of zonesWithChanges(context)) {
      const apex = normalizeFqdn(live.name);
      const subject = { zone: live.name, hostname: apex, type: "NS", ...codeLocation(desired.source) };
      const touching = apexNsChanges(live.name, changes);
      if (touching.length === 0) {
        out.push(finding(this, "pass", subject, `${live.name}: the change leaves the apex NS records alone`));
        continue;
      }
      const described = touching.map((c) => `${c.action}s ${nameserverOf(c)}`).join(", ");
      out.push(
        finding(
          this,
          "fail",
          subject,
          `${live.name}: the change touches the apex NS records (${described}); they decide which servers answer for the whole zone`,
          {
            changes: touching.map((c) => ({
              action: c.action,
              fqdn: c.fqdn,
              ...(c.live ? { from: describeValue(c.live.content) } : {}),
              ...(c.desired ? { to: describeValue(c.desired.content) } : {}),
            })),
            cloudflare: [APEX_NS_WITHOUT_MULTI_PROVIDER, APEX_NS_WITH_MULTI_PROVIDER],
          },
        ),
      );
    }
    return out;
  },
};
