import { type Drift, onlyUnresolved } from "../model/change.js";
import type { Finding } from "../model/finding.js";
import type { MigrationEndpoint } from "../model/migration.js";
import { describeValue, isUnresolved } from "../model/value.js";
import { finding, type Rule, type RuleContext } from "./rule.js";

function shown(value: unknown): string {
  if (value === undefined) return "(none)";
  return isUnresolved(value) ? describeValue(value) : JSON.stringify(value);
}

/**
 * `check --after`: once the deploy has run, the live zone must match the code. A record the code
 * declares that is missing or different live, or an SSL mode that differs, means the deploy did not
 * apply (or someone changed it since): that blocks. A live record the code does not declare is a
 * warning: Terraform leaves records it does not manage alone.
 */
export const afterDeploy: Rule = {
  id: "after-deploy",
  predicts: null,
  checks:
    "With --after: the live zone now matches the code (records, the SSL mode and each hostname's route: origin, port, SNI and Host), so the deploy really applied.",
  why: "A deploy that failed half-way, or a record changed by hand since, leaves visitors on the old origin or on none, while the pipeline reports success.",
  fix: "Read the deploy's log, run the deploy again, or bring the live record back in line with the code; then run `cf-preflight check --after` again.",
  needs: ["live"],
  evaluate(context: RuleContext): Finding[] {
    if (!context.after) return [];
    const drift = context.drift;
    if (drift === undefined) return [];
    const out: Finding[] = [];
    for (const change of drift.dns) {
      const subject = { zone: change.zone, hostname: change.fqdn, type: change.type };
      if (change.action === "delete") {
        out.push(
          finding(
            this,
            "warn",
            subject,
            `${change.type} ${change.fqdn} is live but not in the code (${shown(change.live?.content)})`,
            { action: change.action },
          ),
        );
        continue;
      }
      if (onlyUnresolved(change)) {
        out.push(
          finding(
            this,
            "unknown",
            subject,
            `${change.type} ${change.fqdn}: the code gives ${change.unresolved?.join(", ")} as a Terraform expression, so whether the live value matches is known only to Terraform's state`,
            { action: change.action, unresolved: change.unresolved },
          ),
        );
        continue;
      }
      const what =
        change.action === "create"
          ? `is in the code but not live`
          : `differs live: ${change.fields.map((f) => `${f.field} ${shown(f.from)} live, ${shown(f.to)} in code`).join("; ")}`;
      out.push(
        finding(this, "fail", subject, `after the deploy, ${change.type} ${change.fqdn} ${what}`, {
          action: change.action,
          fields: change.fields,
        }),
      );
    }
    for (const setting of drift.settings) {
      out.push(
        finding(
          this,
          "fail",
          { zone: setting.zone },
          `after the deploy, the ${setting.setting} setting is ${shown(setting.live)} live, ${shown(setting.desired)} in code`,
          { setting: setting.setting },
        ),
      );
    }
    out.push(...unappliedRoutes(this, context, drift));
    const zones = new Set((context.live?.zones ?? []).map((z) => z.name));
    if (out.length === 0)
      for (const zone of zones)
        out.push(finding(this, "pass", { zone }, `${zone}: the live zone matches the code`));
    return out;
  },
};

/**
 * Hostnames Cloudflare still reaches another way live than the code says (a host migration still
 * detected after the deploy): an origin rule, configuration rule or page rule that did not apply
 * leaves the records and the zone's SSL mode matching while visitors go elsewhere. A hostname whose
 * every reason is already a record or SSL mode finding above is not reported twice.
 */
function unappliedRoutes(rule: Rule, context: RuleContext, drift: Drift): Finding[] {
  const out: Finding[] = [];
  for (const { migration } of context.migrations ?? []) {
    const sslChanged = drift.settings.some((s) => s.zone === migration.zone && s.setting === "ssl");
    for (const moving of migration.hostnames) {
      const recordChanged = drift.dns.some((c) => c.zone === migration.zone && c.fqdn === moving.hostname);
      const explained = moving.reasons.every((r) =>
        r === "ssl-mode" ? sslChanged : r === "address" || r === "cname-target" ? recordChanged : false,
      );
      if (explained) continue;
      out.push(
        finding(
          rule,
          "fail",
          { zone: migration.zone, hostname: moving.hostname },
          `after the deploy, Cloudflare still reaches ${moving.hostname} at ${endpoint(migration.from)} live, where the code reaches it at ${endpoint(migration.to)} (${moving.reasons.join(", ")}): part of the deploy (an origin rule, configuration rule or page rule) did not apply`,
          { migration: migration.id, reasons: moving.reasons, live: migration.from, code: migration.to },
        ),
      );
    }
  }
  return out;
}

function endpoint(e: MigrationEndpoint): string {
  const where = e.origin ?? e.addresses.join(", ");
  return `${where} port ${e.ports.join(", ")} (${e.scheme}${e.sslMode ? `, ${e.sslMode}` : ""})`;
}
