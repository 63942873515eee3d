import { PROXIED_HTTP_PORTS, PROXIED_HTTPS_PORTS } from "../model/cloudflare-facts.js";
import { finding, type Rule } from "./rule.js";
import { codeLocation, zoneLabel } from "./subject.js";

const PROXIED_PORTS = new Set([...PROXIED_HTTP_PORTS, ...PROXIED_HTTPS_PORTS]);

export const edgePortNotProxied: Rule = {
  id: "edge-port-not-proxied",
  predicts: null,
  checks: "Every edge port a proxied hostname serves is one Cloudflare proxies.",
  why:
    `Cloudflare's proxy listens only on HTTP ports ${PROXIED_HTTP_PORTS.join(", ")} and HTTPS ports ` +
    `${PROXIED_HTTPS_PORTS.join(", ")}; visitors to any other port of a proxied name cannot connect at all.`,
  fix: "Serve the hostname on a proxied port (and use an origin rule to reach the origin's port), make it DNS-only, or use Spectrum.",
  needs: [],
  evaluate({ desired }) {
    return desired.zones.flatMap((zone) =>
      zone.hostnames
        .filter((h) => h.proxied)
        .flatMap((h) =>
          h.edgePorts
            .filter((port) => !PROXIED_PORTS.has(port))
            .map((port) =>
              finding(
                this,
                "fail",
                { zone: zoneLabel(zone), hostname: h.fqdn, port, ...codeLocation(h.source) },
                `${h.fqdn} is proxied but serves edge port ${port}, which Cloudflare does not proxy`,
                { edgePorts: h.edgePorts },
              ),
            ),
        ),
    );
  },
};
