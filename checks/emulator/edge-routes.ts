import { ApiFailure, type CursorResultInfo, pageInfo, success } from "./envelope.js";
import {
  AOP_HOSTNAMES_PER_PAGE_DEFAULT,
  AOP_HOSTNAMES_PER_PAGE_MAX,
  CF_ERROR,
  RULESETS_PER_PAGE_DEFAULT,
  TUNNELS_PER_PAGE_DEFAULT,
  TUNNELS_PER_PAGE_MAX,
} from "./limits.js";
import { type Answer, intParam, json, type Route, type RouteContext, validation } from "./route-kit.js";

/**
 * The endpoints about how the edge reaches an origin: rulesets and their entry points, Page Rules,
 * Authenticated Origin Pulls, Cloudflare Tunnels. Shapes as in `edge-responses.ts`.
 */

const ID = "([^/]+)";

function notFound(path: string): ApiFailure {
  return new ApiFailure(404, [
    {
      code: CF_ERROR.invalidObjectIdentifier,
      message: `Could not route to ${path}, perhaps your object identifier is invalid?`,
    },
    { code: CF_ERROR.noRoute, message: "No route for that URI" },
  ]);
}

/** Cursors are opaque to clients; the emulator's encode an offset. */
function encodeCursor(offset: number): string {
  return Buffer.from(`rulesets:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^rulesets:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw validation("invalid cursor");
  return Number(match[1]);
}

// ---- rulesets ----------------------------------------------------------------------------------

function listRulesets(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const { query } = ctx.request;
  const all = ctx.state.rulesets(zoneId!);
  const perPage = intParam(query, "per_page", RULESETS_PER_PAGE_DEFAULT, 1, 500);
  const cursor = query.get("cursor");
  const start = cursor ? decodeCursor(cursor) : 0;
  const slice = all.slice(start, start + perPage);
  const next = start + slice.length;
  const info = next < all.length ? { cursor: encodeCursor(next) } : {};
  return json(success(slice, info as CursorResultInfo));
}

function getEntrypoint(ctx: RouteContext, [zoneId, phase]: readonly string[]): Answer {
  ctx.state.zone(zoneId!);
  const ruleset = ctx.state.entrypoint(zoneId!, phase!);
  if (!ruleset) {
    throw new ApiFailure(404, [
      { code: CF_ERROR.rulesetNotFound, message: `could not find entrypoint ruleset in the ${phase} phase` },
    ]);
  }
  return json(success(ruleset));
}

// ---- page rules --------------------------------------------------------------------------------

function listPageRules(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const status = ctx.request.query.get("status");
  if (status !== null && status !== "active" && status !== "disabled")
    throw validation("status must be active or disabled");
  const rules = ctx.state.pageRules(zoneId!).filter((r) => status === null || r.status === status);
  return json(success(rules));
}

// ---- Authenticated Origin Pulls ----------------------------------------------------------------

function getTlsClientAuth(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const pulls = ctx.state.originPulls(zoneId!);
  return json(
    success({
      id: "tls_client_auth",
      value: pulls.global ? "on" : "off",
      editable: true,
      modified_on: pulls.modifiedOn,
    }),
  );
}

function getOriginPullSettings(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  return json(success({ enabled: ctx.state.originPulls(zoneId!).zoneCertificate }));
}

/** `status` of the associations list: default `active`; comma-separated statuses; `all`. */
function statusFilter(raw: string | null): (status: string) => boolean {
  if (raw === null || raw === "") return (s) => s === "active";
  const wanted = new Set(raw.split(","));
  return wanted.has("all") ? () => true : (s) => wanted.has(s);
}

function listHostnameAssociations(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const { query } = ctx.request;
  const page = intParam(query, "page", 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(query, "per_page", AOP_HOSTNAMES_PER_PAGE_DEFAULT, 1, AOP_HOSTNAMES_PER_PAGE_MAX);
  const keep = statusFilter(query.get("status"));
  const all = ctx.state.originPulls(zoneId!).hostnames.filter((h) => keep(h.status));
  const slice = all.slice((page - 1) * perPage, page * perPage);
  return json(success(slice, pageInfo(page, perPage, slice.length, all.length)));
}

function getHostnameAssociation(ctx: RouteContext, [zoneId, hostname]: readonly string[]): Answer {
  const found = ctx.state.originPulls(zoneId!).hostnames.find((h) => h.hostname === hostname!.toLowerCase());
  if (!found) throw notFound(ctx.request.path);
  return json(success(found));
}

// ---- tunnels -----------------------------------------------------------------------------------

function listTunnels(ctx: RouteContext, [accountId]: readonly string[]): Answer {
  const { query } = ctx.request;
  const page = intParam(query, "page", 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(query, "per_page", TUNNELS_PER_PAGE_DEFAULT, 1, TUNNELS_PER_PAGE_MAX);
  const deleted = query.get("is_deleted");
  const name = query.get("name");
  const all = ctx.state
    .tunnels(accountId!)
    .map((t) => t.tunnel)
    .filter(
      (t) =>
        (deleted === null || deleted === "" || (deleted === "true") === (t.deleted_at !== null)) &&
        (name === null || t.name === name),
    );
  const slice = all.slice((page - 1) * perPage, page * perPage);
  return json(success(slice, pageInfo(page, perPage, slice.length, all.length)));
}

function getTunnel(ctx: RouteContext, [accountId, tunnelId]: readonly string[]): Answer {
  const found = ctx.state.tunnel(accountId!, tunnelId!);
  if (!found) throw notFound(ctx.request.path);
  return json(success(found.tunnel));
}

/** A locally managed tunnel has no configuration the API can show: 404, as for an unknown tunnel. */
function getTunnelConfiguration(ctx: RouteContext, [accountId, tunnelId]: readonly string[]): Answer {
  const found = ctx.state.tunnel(accountId!, tunnelId!);
  if (!found?.configuration) throw notFound(ctx.request.path);
  return json(success(found.configuration));
}

// ---- the table ---------------------------------------------------------------------------------

export const EDGE_ROUTES: readonly Route[] = [
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/rulesets$`),
    permission: "Origin Read",
    handle: listRulesets,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/rulesets/phases/(http_config_settings)/entrypoint$`),
    permission: "Config Settings Read",
    handle: getEntrypoint,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/rulesets/phases/${ID}/entrypoint$`),
    permission: "Origin Read",
    handle: getEntrypoint,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/pagerules$`),
    permission: "Page Rules Read",
    handle: listPageRules,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/settings/tls_client_auth$`),
    permission: "Zone Settings Read",
    handle: getTlsClientAuth,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/origin_tls_client_auth/settings$`),
    permission: "SSL and Certificates Read",
    handle: getOriginPullSettings,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/origin_tls_client_auth/hostnames$`),
    permission: "SSL and Certificates Read",
    handle: listHostnameAssociations,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/origin_tls_client_auth/hostnames/(?!certificates$)${ID}$`),
    permission: "SSL and Certificates Read",
    handle: getHostnameAssociation,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/accounts/${ID}/cfd_tunnel$`),
    permission: "Cloudflare Tunnel Read",
    handle: listTunnels,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/accounts/${ID}/cfd_tunnel/${ID}$`),
    permission: "Cloudflare Tunnel Read",
    handle: getTunnel,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/accounts/${ID}/cfd_tunnel/${ID}/configurations$`),
    permission: "Cloudflare Tunnel Read",
    handle: getTunnelConfiguration,
  },
];
