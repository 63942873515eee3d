import type { z } from "zod";
import type { PageRule } from "../model/edge-rules.js";
import { type Resolvable, unresolved } from "../model/value.js";
import { apiText } from "./api-text.js";
import { pageRuleSchema } from "./edge-schemas.js";
import { type ReadPolicy, withRetries } from "./retry.js";
import { parseAnswerList } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";
import { toSslMode } from "./ssl-value.js";
import type { Zone } from "./zone.js";

export type ApiPageRule = z.infer<typeof pageRuleSchema>;

/** Page Rule actions that change how the edge reaches the origin (checked 2026-11-30). */
const ROUTE_ACTIONS: ReadonlySet<string> = new Set(["ssl", "resolve_override", "host_header_override"]);

/** The Page Rule action that redirects matching requests at the edge (checked 2026-11-30). */
const FORWARDING_ACTION = "forwarding_url";

function targetOf(rule: ApiPageRule, secret: string | undefined): Resolvable<string> {
  const [only, ...more] = rule.targets;
  if (only && more.length === 0 && (only.target ?? "url") === "url" && only.constraint.operator === "matches")
    return only.constraint.value;
  const shown = rule.targets
    .map((t) => `${apiText(t.constraint.operator, secret, 20)} ${apiText(t.constraint.value, secret, 80)}`)
    .join(", ");
  return unresolved(`page rule targets [${shown}] that cf-preflight does not understand`);
}

function stringValue(value: unknown, what: string, secret: string | undefined): Resolvable<string> {
  if (typeof value === "string" && value.length > 0) return value;
  return unresolved(`${what} ${apiText(JSON.stringify(value) ?? "undefined", secret, 60)}`);
}

/**
 * Every Page Rule as the shared `PageRule` model, with the actions that decide how the edge reaches
 * the origin (`ssl`, `resolve_override`, `host_header_override`, `forwarding_url`). Rules without
 * them are kept too: only the highest-priority matching rule applies, so they shadow lower ones. A
 * target or value the checker does not understand is kept as an unresolved value (the route is
 * then "unknown"), never dropped.
 */
export function toPageRules(rules: readonly ApiPageRule[], secret?: string): PageRule[] {
  return rules.flatMap((rule) => {
    const actions = rule.actions.filter((a) => ROUTE_ACTIONS.has(a.id));
    const forwards = rule.actions.some((a) => a.id === FORWARDING_ACTION);
    const ssl = actions.find((a) => a.id === "ssl");
    const resolve = actions.find((a) => a.id === "resolve_override");
    const host = actions.find((a) => a.id === "host_header_override");
    const mode = ssl ? toSslMode(ssl.value) : undefined;
    return [
      {
        target: targetOf(rule, secret),
        enabled: rule.status === "active",
        priority: rule.priority,
        ...(forwards ? { forwards } : {}),
        ...(ssl
          ? {
              ssl:
                mode ??
                unresolved(
                  `page rule SSL/TLS mode ${apiText(JSON.stringify(ssl.value) ?? "undefined", secret, 40)} that cf-preflight does not know`,
                ),
            }
          : {}),
        ...(resolve
          ? { resolveOverride: stringValue(resolve.value, "page rule resolve_override", secret) }
          : {}),
        ...(host ? { hostHeader: stringValue(host.value, "page rule host_header_override", secret) } : {}),
      },
    ];
  });
}

/**
 * `GET /zones/{id}/pagerules`: every page rule of the zone, in one answer (the list is not paged).
 * No `status` filter is sent: the schema gives the filter a default of `disabled`, but a list
 * without it holds rules of both statuses (assumed, as the tools that list page rules do; not
 * verifiable here), and disabled rules are kept with `enabled: false`.
 */
export async function readPageRules(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<PageRule[]> {
  const endpoint = `/zones/${zone.id}/pagerules`;
  const target = { kind: "pageRules", what: `the page rules of zone ${zone.name}`, endpoint } as const;
  const rules = await withRetries(target, policy, async () =>
    parseAnswerList(pageRuleSchema, await sdk.pageRules.list({ zone_id: zone.id }), endpoint, "result"),
  );
  return toPageRules(rules, policy.token);
}
