import type { EdgeRoute } from "../edge/route.js";
import type { TunnelIngressRule } from "../model/edge-rules.js";
import type { Finding } from "../model/finding.js";
import { normalizeFqdn } from "../model/record.js";
import { known } from "../model/value.js";
import type { LiveTunnel } from "../model/zone.js";
import { finding, type Rule, type RuleContext } from "./rule.js";
import { codeLocation } from "./subject.js";

/**
 * Cloudflare Tunnel routes: a proxied CNAME to `<uuid>.cfargotunnel.com` reaches the origin only
 * through a running connector of that tunnel. No connected tunnel for the hostname is HTTP 530
 * with error 1033 (developers.cloudflare.com/cloudflare-one/connections/connect-networks, tunnel
 * statuses `inactive`, `degraded`, `healthy`, `down`; checked 2026-11-30).
 */
export const TUNNEL_STATUS_BLOCKS: ReadonlySet<string> = new Set(["down", "inactive"]);

/** The ingress rule a hostname matches: the first whose hostname matches (`*.` one label), or the catch-all. */
function matchingIngress(
  rules: readonly TunnelIngressRule[],
  hostname: string,
): TunnelIngressRule | undefined {
  for (const rule of rules) {
    const pattern = rule.hostname === undefined ? undefined : known(rule.hostname);
    if (rule.hostname === undefined) return rule;
    if (pattern === undefined) return undefined;
    const p = normalizeFqdn(pattern);
    if (p === hostname) return rule;
    if (
      p.startsWith("*.") &&
      hostname.endsWith(p.slice(1)) &&
      !hostname.slice(0, -(p.length - 1)).includes(".")
    )
      return rule;
  }
  return undefined;
}

function subjectOf(route: EdgeRoute) {
  return {
    zone: route.zone,
    hostname: route.hostname,
    type: "CNAME",
    ...codeLocation(route.records[0]?.source),
  };
}

export const tunnelRoute: Rule = {
  id: "tunnel-route",
  predicts: "1033",
  checks:
    "A proxied hostname routed to a Cloudflare Tunnel reaches a tunnel that exists, is not deleted, has a running connector, and whose ingress rules name the hostname.",
  why: "The edge reaches a tunnel's origin only through a connected cloudflared: a tunnel that is missing, deleted, down or never run answers visitors with 530 and error 1033; a hostname that only the catch-all ingress rule serves gets whatever that rule does (usually a 404).",
  fix: "Run cloudflared for the tunnel (or point the CNAME at a tunnel that runs), and add an ingress rule for the hostname before its catch-all.",
  needs: [],
  evaluate(context) {
    const out: Finding[] = [];
    for (const route of context.routes ?? []) {
      if (route.target.kind !== "tunnel") continue;
      out.push(...judgeTunnel(this, route, context));
    }
    return out;
  },
};

function judgeTunnel(rule: Rule, route: EdgeRoute, context: RuleContext): Finding[] {
  const target = route.target;
  if (target.kind !== "tunnel") return [];
  const subject = subjectOf(route);
  const declared = (context.desired.tunnels ?? []).find(
    (t) =>
      (target.tunnelAddress !== undefined && t.source?.address === target.tunnelAddress) ||
      (target.tunnelId !== undefined && known(t.id)?.toLowerCase() === target.tunnelId),
  );
  const out: Finding[] = [];
  const ingressFinding = (rules: readonly TunnelIngressRule[], where: string): void => {
    const match = matchingIngress(rules, route.hostname);
    if (match === undefined) return;
    if (match.hostname === undefined)
      out.push(
        finding(
          rule,
          "warn",
          subject,
          `${route.hostname}: only the catch-all ingress rule of ${where} serves it (service ${describe(match.service)})`,
          {
            tunnel: where,
            catchAll: describe(match.service),
          },
          { predicts: null },
        ),
      );
  };

  if (target.tunnelId === undefined) {
    // A tunnel the code creates or manages, whose id is known only after apply.
    const name = declared ? describe(declared.name) : target.tunnelAddress;
    if (declared?.ingress) ingressFinding(declared.ingress, `tunnel ${name}`);
    out.push(
      finding(
        rule,
        "unknown",
        subject,
        `${route.hostname} routes to tunnel ${name} (${target.tunnelAddress}), whose id is known only after apply: whether a connector runs for it is not known`,
        {
          tunnel: target.tunnelAddress,
        },
      ),
    );
    return out;
  }

  const id = target.tunnelId;
  if (!context.live) {
    out.push(
      finding(
        rule,
        "unknown",
        subject,
        `${route.hostname} routes to tunnel ${id}; its status was not read (no live state)`,
        {
          tunnel: id,
        },
      ),
    );
    return out;
  }
  const live: LiveTunnel | undefined = context.live.tunnels?.find((t) => t.id.toLowerCase() === id);
  if (!live) {
    const missing = context.live.missingTunnels?.includes(id) ?? false;
    out.push(
      missing
        ? finding(
            rule,
            "fail",
            subject,
            `${route.hostname} routes to tunnel ${id}, which does not exist in the account: visitors get 530 with error 1033`,
            {
              tunnel: id,
            },
          )
        : finding(rule, "unknown", subject, `${route.hostname} routes to tunnel ${id}, which was not read`, {
            tunnel: id,
          }),
    );
    return out;
  }
  const label = `tunnel ${live.name} (${live.id})`;
  if (live.deletedAt !== undefined)
    out.push(
      finding(
        rule,
        "fail",
        subject,
        `${route.hostname} routes to ${label}, deleted on ${live.deletedAt}: visitors get 530 with error 1033`,
        {
          tunnel: live.id,
          deletedAt: live.deletedAt,
        },
      ),
    );
  else if (TUNNEL_STATUS_BLOCKS.has(live.status))
    out.push(
      finding(
        rule,
        "fail",
        subject,
        `${route.hostname} routes to ${label}, which is ${live.status === "inactive" ? "inactive (no connector has ever run)" : "down (no connector is connected)"}: visitors get 530 with error 1033`,
        {
          tunnel: live.id,
          status: live.status,
        },
      ),
    );
  else if (live.status === "degraded")
    out.push(
      finding(
        rule,
        "warn",
        subject,
        `${route.hostname} routes to ${label}, which is degraded (some connections are down)`,
        {
          tunnel: live.id,
          status: live.status,
        },
        { predicts: null },
      ),
    );
  else if (live.status === "healthy")
    out.push(
      finding(
        rule,
        "pass",
        subject,
        `${route.hostname} routes to ${label}, which is healthy`,
        { tunnel: live.id },
        { predicts: null },
      ),
    );
  else
    out.push(
      finding(
        rule,
        "unknown",
        subject,
        `${route.hostname} routes to ${label}, whose status "${live.status}" is not one the checker knows`,
        { tunnel: live.id },
      ),
    );
  // A tunnel that cannot serve at all is reported for that alone.
  if (out.some((f) => f.status === "fail")) return out;
  // After the deploy the code's configuration of the tunnel applies; else the live one.
  const ingress = declared?.ingress ?? live.ingress;
  if (ingress) ingressFinding(ingress, label);
  else if (live.configSource === "local")
    out.push(
      finding(
        rule,
        "unknown",
        subject,
        `${label} is configured on the connector's machine (locally managed): whether its ingress rules name ${route.hostname} is not known`,
        {
          tunnel: live.id,
        },
        { predicts: null },
      ),
    );
  return out;
}

function describe(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value === "object" && value !== null && "unresolved" in value)
    return String((value as { unresolved: string }).unresolved);
  return String(value);
}
