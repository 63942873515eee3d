import { NotFoundError } from "cloudflare/core/error";
import type { z } from "zod";
import type { TunnelIngressRule } from "../model/edge-rules.js";
import type { DnsRecord } from "../model/record.js";
import { isUnresolved } from "../model/value.js";
import type { LiveTunnel } from "../model/zone.js";
import { ApiAnswerError } from "./answer-error.js";
import { apiText } from "./api-text.js";
import { type ReadPolicy, withRetries } from "./retry.js";
import { parseAnswer } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";
import { TUNNEL_ID, tunnelConfigurationSchema, tunnelSchema } from "./tunnel-schemas.js";

/** A tunnel to read: its account and its UUID. */
export interface TunnelRequest {
  readonly accountId: string;
  readonly id: string;
}

/**
 * The DNS name of a Cloudflare Tunnel: `<tunnel-uuid>.cfargotunnel.com` (docs,
 * cloudflare-one/connections/connect-networks/routing-to-tunnel/dns, checked 2026-11-30). Such a
 * name is not meant to resolve publicly: a proxied CNAME to it routes through the tunnel.
 */
export const TUNNEL_DOMAIN = "cfargotunnel.com";

/** The tunnel UUID a CNAME target names, lower-cased, or undefined. */
export function tunnelIdOfTarget(target: string): string | undefined {
  const name = target.toLowerCase().replace(/\.$/, "");
  const suffix = `.${TUNNEL_DOMAIN}`;
  if (!name.endsWith(suffix)) return undefined;
  const id = name.slice(0, -suffix.length);
  return TUNNEL_ID.test(id) ? id : undefined;
}

/**
 * The tunnels a zone's proxied CNAMEs route to (ids, lower-cased, each once). A proxied status the
 * code leaves to a Terraform expression may be true: such a record counts.
 */
export function tunnelIdsInRecords(records: readonly DnsRecord[]): string[] {
  const ids = new Set<string>();
  // By index: a for-of over a zone of 100,000 records makes an iterator result for each.
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    const proxied = record.proxied === true || isUnresolved(record.proxied);
    if (record.type !== "CNAME" || !proxied || typeof record.content !== "string") continue;
    const id = tunnelIdOfTarget(record.content);
    if (id) ids.add(id);
  }
  return [...ids];
}

/** An account id as the API spells it (32 hexadecimal characters) and a tunnel UUID. */
export function isTunnelRequest(request: TunnelRequest): boolean {
  return /^[0-9a-f]{32}$/.test(request.accountId) && TUNNEL_ID.test(request.id);
}

/** Each tunnel once (by account and lower-cased id), in the order first asked for. */
export function uniqueTunnelRequests(requests: readonly TunnelRequest[]): TunnelRequest[] {
  const seen = new Set<string>();
  const out: TunnelRequest[] = [];
  for (const request of requests) {
    const id = request.id.toLowerCase();
    const key = `${request.accountId}/${id}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ accountId: request.accountId, id });
  }
  return out;
}

type ApiTunnel = z.infer<typeof tunnelSchema>;
type ApiConfiguration = z.infer<typeof tunnelConfigurationSchema>;

/** The remotely managed configuration's ingress rules as the model; `undefined`: managed locally. */
export function toIngress(configuration: ApiConfiguration): TunnelIngressRule[] | undefined {
  if (configuration.source === "local" || !configuration.config?.ingress) return undefined;
  return configuration.config.ingress.map((rule) => ({
    ...(rule.hostname && rule.hostname !== "*" ? { hostname: rule.hostname.toLowerCase() } : {}),
    service: rule.service,
    ...(rule.path ? { path: rule.path } : {}),
  }));
}

/** A tunnel (and its configuration, when read) as the shared `LiveTunnel`. */
export function toLiveTunnel(
  tunnel: ApiTunnel,
  accountId: string,
  configuration: ApiConfiguration | undefined,
): LiveTunnel {
  const ingress = configuration ? toIngress(configuration) : undefined;
  return {
    id: tunnel.id,
    name: tunnel.name,
    accountId,
    status: tunnel.status,
    ...(tunnel.deleted_at ? { deletedAt: tunnel.deleted_at } : {}),
    ...(ingress ? { ingress } : {}),
    configSource: ingress ? "cloudflare" : "local",
  };
}

/** Cloudflare's own 404 (its JSON `errors`), not a proxy's page or an empty body. */
function isApiNotFound(error: unknown): boolean {
  return error instanceof NotFoundError && error.errors.length > 0;
}

/**
 * Whether the tunnel says its configuration is managed by Cloudflare. `config_src` defaults to
 * `local` in the schema; an older answer with only `remote_config: true` means the same.
 */
function isRemotelyManaged(tunnel: ApiTunnel): boolean {
  return (
    tunnel.config_src === "cloudflare" || (tunnel.config_src === undefined && tunnel.remote_config === true)
  );
}

/**
 * One tunnel: `GET /accounts/{account_id}/cfd_tunnel/{id}` (status, `deleted_at`, name) and, when
 * its configuration is managed by Cloudflare, `.../configurations` (the ingress rules). A tunnel the
 * API does not know (its own 404) is `undefined`: the caller records it as missing. A configuration
 * that answers 404 is managed locally. Anything else that goes wrong fails the read.
 */
export async function readTunnel(
  sdk: ReadSdk,
  request: TunnelRequest,
  policy: ReadPolicy,
): Promise<LiveTunnel | undefined> {
  const { accountId, id } = request;
  const endpoint = `/accounts/${accountId}/cfd_tunnel/${id}`;
  const target = { kind: "tunnels", what: `Cloudflare Tunnel ${id}`, endpoint } as const;
  const tunnel = await withRetries(target, policy, async () => {
    let answer: unknown;
    try {
      answer = await sdk.zeroTrust.tunnels.cloudflared.get(id, { account_id: accountId });
    } catch (error) {
      if (isApiNotFound(error)) return undefined;
      throw error;
    }
    const parsed = parseAnswer(tunnelSchema, answer, endpoint, "result");
    if (parsed.id.toLowerCase() !== id)
      throw new ApiAnswerError(
        endpoint,
        `asked for tunnel ${id}, the answer is tunnel ${apiText(parsed.id, policy.token)}`,
      );
    return parsed;
  });
  if (!tunnel) return undefined;
  if (!isRemotelyManaged(tunnel)) return toLiveTunnel(tunnel, accountId, undefined);
  policy.ledger?.expect(1);
  const configEndpoint = `${endpoint}/configurations`;
  const configTarget = {
    kind: "tunnels",
    what: `the configuration of Cloudflare Tunnel ${tunnel.name}`,
    endpoint: configEndpoint,
  } as const;
  const configuration = await withRetries(configTarget, policy, async () => {
    let answer: unknown;
    try {
      answer = await sdk.zeroTrust.tunnels.cloudflared.configurations.get(id, { account_id: accountId });
    } catch (error) {
      if (isApiNotFound(error)) return undefined;
      throw error;
    }
    return parseAnswer(tunnelConfigurationSchema, answer, configEndpoint, "result");
  });
  return toLiveTunnel(tunnel, accountId, configuration);
}
