import type { HostRoute } from "../model/origin.js";
import type { OriginRule } from "../model/origin-rule.js";
import { defaultOriginPort, originSchemeFor, type SslMode } from "../model/ssl-mode.js";
import type { DesiredZone } from "../model/zone.js";
import { finding, type Rule } from "./rule.js";
import { codeLocation, effectiveSslMode, zoneLabel } from "./subject.js";

/** The origin port Cloudflare connects to for a hostname: route override, then origin rule, then the mode's default. */
export function originPortFor(route: HostRoute, rules: readonly OriginRule[], mode: SslMode): number {
  if (route.originPort !== undefined) return route.originPort;
  const rule = rules.find((r) => r.enabled && r.port !== undefined && r.hostnames?.includes(route.fqdn));
  return rule?.port ?? defaultOriginPort(mode);
}

export const originPortScheme: Rule = {
  id: "origin-port-scheme",
  predicts: "521",
  checks: "The origin serves the port and scheme the SSL mode (and any origin rule) makes Cloudflare use.",
  why:
    "Flexible and Off reach the origin over HTTP on port 80, Full and Full (strict) over HTTPS on 443, " +
    "unless an origin rule says another port. Nothing listening there is a 521; TLS expected on a plain " +
    "HTTP port is a 525; plain HTTP sent to a TLS port comes back as an error (520).",
  fix: "Serve the expected port and scheme at the origin, change the SSL mode, or add an origin rule to the port the origin serves.",
  needs: [],
  evaluate(context) {
    return context.desired.zones.flatMap((zone) => evaluateZone(this, context, zone));
  },
};

function evaluateZone(rule: Rule, context: Parameters<Rule["evaluate"]>[0], zone: DesiredZone) {
  const routes = zone.hostnames.filter((h) => h.proxied);
  if (routes.length === 0) return [];
  const mode = effectiveSslMode(context, zone);
  if (mode === undefined)
    return [
      finding(
        rule,
        "unknown",
        { zone: zoneLabel(zone) },
        `the SSL mode of ${zoneLabel(zone)} is not known (not set in code${context.live ? " and not readable" : ", and --no-live"}), so the origin port cannot be checked`,
        {},
        { predicts: null },
      ),
    ];
  const scheme = originSchemeFor(mode);
  return routes.flatMap((route) => {
    const origin = zone.origins.find((o) => o.name === route.origin);
    if (!origin) return [];
    const port = originPortFor(route, zone.originRules, mode);
    const served = origin.ports.find((p) => p.port === port);
    const subject = { zone: zoneLabel(zone), hostname: route.fqdn, port, ...codeLocation(route.source) };
    const evidence = { sslMode: mode, originPort: port, scheme, served: origin.ports };
    if (!served)
      return [
        finding(
          rule,
          "fail",
          subject,
          `SSL mode ${mode} sends ${route.fqdn} to ${scheme.toUpperCase()} on port ${port} of origin ${origin.name}, which serves ${origin.ports.map((p) => `${p.port}/${p.scheme}`).join(", ")}`,
          evidence,
        ),
      ];
    if (served.scheme === scheme) return [];
    return [
      finding(
        rule,
        "fail",
        subject,
        scheme === "https"
          ? `SSL mode ${mode} speaks TLS to ${route.fqdn} on port ${port}, but origin ${origin.name} serves plain HTTP there`
          : `SSL mode ${mode} speaks plain HTTP to ${route.fqdn} on port ${port}, but origin ${origin.name} serves TLS there`,
        evidence,
        { predicts: scheme === "https" ? "525" : "520" },
      ),
    ];
  });
}
