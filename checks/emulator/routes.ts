import type { ItemListResponse } from "cloudflare/resources/rules/lists/items";
import type { ListsList } from "cloudflare/resources/rules/lists/lists";
import type { Zone } from "cloudflare/resources/zones/zones";
import type { z } from "zod";
import { isSslMode } from "../model/ssl-mode.js";
import { renderBindExport } from "./bind-export.js";
import { EDGE_ROUTES } from "./edge-routes.js";
import { ApiFailure, type CursorResultInfo, failure, pageInfo, success } from "./envelope.js";
import {
  CF_ERROR,
  DNS_RECORDS_PER_PAGE_DEFAULT,
  DNS_RECORDS_PER_PAGE_MAX,
  DNS_RECORDS_PER_PAGE_MIN,
  LIST_ITEMS_PER_PAGE_DEFAULT,
  LIST_ITEMS_PER_PAGE_MAX,
  ZONES_PER_PAGE_DEFAULT,
  ZONES_PER_PAGE_MAX,
  ZONES_PER_PAGE_MIN,
} from "./limits.js";
import type { EmulatedRecord } from "./record-response.js";
import { type Answer, intParam, json, type Route, type RouteContext, validation } from "./route-kit.js";
import { type RecordInput, recordInputSchema } from "./seed.js";
import type { IpRanges, SslSetting } from "./state.js";

export type { Answer, ApiRequest, RouteContext } from "./route-kit.js";

function nameFilter(query: URLSearchParams): string | undefined {
  const raw = query.get("name") ?? query.get("name.exact") ?? query.get("name[exact]");
  return raw === null ? undefined : raw.toLowerCase().replace(/\.$/, "");
}

// ---- zones -------------------------------------------------------------------------------------

function listZones(ctx: RouteContext): Answer {
  const { query } = ctx.request;
  const page = intParam(query, "page", 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(query, "per_page", ZONES_PER_PAGE_DEFAULT, ZONES_PER_PAGE_MIN, ZONES_PER_PAGE_MAX);
  const name = nameFilter(query);
  const status = query.get("status");
  const all = ctx.state
    .zones()
    .filter((z) => (name === undefined || z.name === name) && (status === null || z.status === status));
  const slice: Zone[] = all.slice((page - 1) * perPage, page * perPage);
  return json(success(slice, pageInfo(page, perPage, slice.length, all.length)));
}

function getZone(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const zone: Zone = ctx.state.zone(zoneId!);
  return json(success(zone));
}

// ---- DNS records -------------------------------------------------------------------------------

/** Records per piece of a streamed page: large enough to keep writes few, small enough to stay lean. */
const RECORDS_PER_PIECE = 2_000;

function listRecords(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const { query } = ctx.request;
  const page = intParam(query, "page", 1, 1, Number.MAX_SAFE_INTEGER);
  const perPage = intParam(
    query,
    "per_page",
    DNS_RECORDS_PER_PAGE_DEFAULT,
    DNS_RECORDS_PER_PAGE_MIN,
    DNS_RECORDS_PER_PAGE_MAX,
  );
  const name = nameFilter(query);
  const type = query.get("type");
  let records: readonly EmulatedRecord[] = ctx.state.records(zoneId!);
  if (name !== undefined || type !== null) {
    records = records.filter(
      (r) => (name === undefined || r.name === name) && (type === null || r.type === type),
    );
  }
  const start = Math.min((page - 1) * perPage, records.length);
  const end = Math.min(start + perPage, records.length);
  const info = pageInfo(page, perPage, end - start, records.length);
  const pieces: string[] = ['{"success":true,"errors":[],"messages":[],"result":['];
  for (let from = start; from < end; from += RECORDS_PER_PIECE) {
    const to = Math.min(from + RECORDS_PER_PIECE, end);
    const part: string[] = [];
    for (let i = from; i < to; i++) part.push(ctx.state.recordJson(zoneId!, records[i]!));
    pieces.push((from === start ? "" : ",") + part.join(","));
  }
  pieces.push(`],"result_info":${JSON.stringify(info)}}`);
  // The fault "a record added between pages" strikes after this page is computed.
  const inserted = ctx.faults.takeInsertions(zoneId!, page);
  if (inserted.length > 0) ctx.state.addRecords(zoneId!, inserted);
  return { kind: "pieces", status: 200, pieces };
}

function getRecord(ctx: RouteContext, [zoneId, recordId]: readonly string[]): Answer {
  return json(success<EmulatedRecord>(ctx.state.getRecord(zoneId!, recordId!)));
}

function bodyError(error: z.ZodError): ApiFailure {
  const issue = error.issues[0];
  return validation(`${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid record"}`);
}

function parseRecordBody(body: unknown): RecordInput {
  const parsed = recordInputSchema.safeParse(body);
  if (!parsed.success) throw bodyError(parsed.error);
  return parsed.data;
}

function parseRecordPatch(body: unknown): Partial<RecordInput> {
  const parsed = recordInputSchema.partial().safeParse(body);
  if (!parsed.success) throw bodyError(parsed.error);
  return parsed.data;
}

function createRecord(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const { id: _ignored, ...input } = parseRecordBody(ctx.request.body);
  return json(success<EmulatedRecord>(ctx.state.addRecord(zoneId!, input)));
}

function replaceRecord(ctx: RouteContext, [zoneId, recordId]: readonly string[]): Answer {
  const input = parseRecordBody(ctx.request.body);
  return json(success<EmulatedRecord>(ctx.state.updateRecord(zoneId!, recordId!, input, false)));
}

function patchRecord(ctx: RouteContext, [zoneId, recordId]: readonly string[]): Answer {
  const input = parseRecordPatch(ctx.request.body);
  return json(success<EmulatedRecord>(ctx.state.updateRecord(zoneId!, recordId!, input, true)));
}

function deleteRecord(ctx: RouteContext, [zoneId, recordId]: readonly string[]): Answer {
  ctx.state.deleteRecord(zoneId!, recordId!);
  return json(success({ id: recordId! }));
}

function exportRecords(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const zone = ctx.state.zone(zoneId!);
  return {
    kind: "text",
    status: 200,
    body: renderBindExport(zone.name, ctx.state.records(zoneId!), new Date()),
  };
}

// ---- settings, rulesets, ips -------------------------------------------------------------------

function getSsl(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  return json(success<SslSetting>(ctx.state.ssl(zoneId!)));
}

function patchSsl(ctx: RouteContext, [zoneId]: readonly string[]): Answer {
  const value = (ctx.request.body as { value?: unknown } | null)?.value;
  if (!isSslMode(value)) throw validation("Invalid value for zone setting ssl");
  return json(success<SslSetting>(ctx.state.setSsl(zoneId!, value)));
}

function getIps(ctx: RouteContext): Answer {
  return json(success<IpRanges>(ctx.state.ips));
}

// ---- account lists -----------------------------------------------------------------------------

function listLists(ctx: RouteContext, [accountId]: readonly string[]): Answer {
  return json(success<readonly ListsList[]>(ctx.state.lists(accountId!)));
}

function getList(ctx: RouteContext, [accountId, listId]: readonly string[]): Answer {
  const list = ctx.state.lists(accountId!).find((l) => l.id === listId);
  if (!list) throw new ApiFailure(404, [{ code: CF_ERROR.listNotFound, message: "list not found" }]);
  return json(success<ListsList>(list));
}

/** Cursors are opaque to clients; the emulator's encode an offset. */
function encodeCursor(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString("base64url");
}

function decodeCursor(cursor: string): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  if (!match) throw validation("invalid cursor");
  return Number(match[1]);
}

function listItems(ctx: RouteContext, [accountId, listId]: readonly string[]): Answer {
  const { query } = ctx.request;
  const items = ctx.state.listItems(accountId!, listId!);
  const perPage = intParam(query, "per_page", LIST_ITEMS_PER_PAGE_DEFAULT, 1, LIST_ITEMS_PER_PAGE_MAX);
  const cursor = query.get("cursor");
  const start = cursor ? decodeCursor(cursor) : 0;
  const slice: ItemListResponse[] = items.slice(start, start + perPage);
  const next = start + slice.length;
  const info: CursorResultInfo = { cursors: next < items.length ? { after: encodeCursor(next) } : {} };
  return json(success(slice, info));
}

// ---- the table ---------------------------------------------------------------------------------

const ID = "([^/]+)";
const ROUTES: readonly Route[] = [
  { method: "GET", pattern: /^\/zones$/, permission: "Zone Read", handle: listZones },
  { method: "GET", pattern: new RegExp(`^/zones/${ID}$`), permission: "Zone Read", handle: getZone },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/dns_records$`),
    permission: "DNS Read",
    handle: listRecords,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/dns_records/export$`),
    permission: "DNS Read",
    handle: exportRecords,
  },
  {
    method: "POST",
    pattern: new RegExp(`^/zones/${ID}/dns_records$`),
    permission: "DNS Write",
    handle: createRecord,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    permission: "DNS Read",
    handle: getRecord,
  },
  {
    method: "PUT",
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    permission: "DNS Write",
    handle: replaceRecord,
  },
  {
    method: "PATCH",
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    permission: "DNS Write",
    handle: patchRecord,
  },
  {
    method: "DELETE",
    pattern: new RegExp(`^/zones/${ID}/dns_records/${ID}$`),
    permission: "DNS Write",
    handle: deleteRecord,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/zones/${ID}/settings/ssl$`),
    permission: "Zone Settings Read",
    handle: getSsl,
  },
  {
    method: "PATCH",
    pattern: new RegExp(`^/zones/${ID}/settings/ssl$`),
    permission: "Zone Settings Write",
    handle: patchSsl,
  },
  ...EDGE_ROUTES,
  { method: "GET", pattern: /^\/ips$/, permission: undefined, handle: getIps },
  {
    method: "GET",
    pattern: new RegExp(`^/accounts/${ID}/rules/lists$`),
    permission: "Account Filter Lists Read",
    handle: listLists,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/accounts/${ID}/rules/lists/${ID}$`),
    permission: "Account Filter Lists Read",
    handle: getList,
  },
  {
    method: "GET",
    pattern: new RegExp(`^/accounts/${ID}/rules/lists/${ID}/items$`),
    permission: "Account Filter Lists Read",
    handle: listItems,
  },
];

const AUTH_ERROR = { code: CF_ERROR.authentication, message: "Authentication error" };

function bearer(header: string | undefined): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(header ?? "");
  return match?.[1];
}

/** Route one API request: token check, permission check, handler. Failures become error bodies. */
export function route(ctx: RouteContext, authorization: string | undefined): Answer {
  const { method, path } = ctx.request;
  try {
    let matched: { route: Route; params: string[] } | undefined;
    for (const candidate of ROUTES) {
      const m = candidate.pattern.exec(path);
      if (m && candidate.method === method) {
        matched = { route: candidate, params: m.slice(1).map(decodeURIComponent) };
        break;
      }
    }
    if (!matched) {
      return json(failure([{ code: CF_ERROR.noRoute, message: "No route for that URI" }]), 404);
    }
    if (matched.route.permission !== undefined) {
      const token = bearer(authorization);
      const grant = token === undefined ? undefined : ctx.state.permissionsOf(token);
      if (grant === undefined) return json(failure([AUTH_ERROR]), 401);
      if (grant !== "all" && !grant.includes(matched.route.permission))
        return json(failure([AUTH_ERROR]), 403);
    }
    return matched.route.handle(ctx, matched.params);
  } catch (error) {
    if (error instanceof ApiFailure) return json(failure(error.errors), error.status);
    throw error;
  }
}
