import { BaseCloudflare } from "cloudflare/client";
import { DNS } from "cloudflare/resources/dns/dns";
import { IPs } from "cloudflare/resources/ips/ips";
import { OriginTLSClientAuth } from "cloudflare/resources/origin-tls-client-auth/origin-tls-client-auth";
import { PageRules } from "cloudflare/resources/page-rules/page-rules";
import { Rules } from "cloudflare/resources/rules/rules";
import { Rulesets } from "cloudflare/resources/rulesets/rulesets";
import { Tunnels } from "cloudflare/resources/zero-trust/tunnels/tunnels";
import { Zones } from "cloudflare/resources/zones/zones";

/**
 * The official SDK's client with the API resources the reader uses, and only those: the SDK's own
 * base client and resource classes, put together as its `Cloudflare` class puts all of them. The
 * full client constructs every resource of the API (and a bundle must then hold all their code,
 * megabytes of it) for a read that uses eight; with this one, `drift` starts in a fraction of the
 * time. Requests, pagination and errors are the SDK's, unchanged.
 */
export class ReadSdk extends BaseCloudflare {
  readonly ips = new IPs(this);
  readonly zones = new Zones(this);
  readonly dns = new DNS(this);
  readonly rulesets = new Rulesets(this);
  readonly pageRules = new PageRules(this);
  readonly originTLSClientAuth = new OriginTLSClientAuth(this);
  readonly rules = new Rules(this);
  readonly zeroTrust = { tunnels: new Tunnels(this) } as const;
}
