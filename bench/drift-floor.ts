/**
 * The floor of `drift`: the least a correct drift can do, as a process of its own, so the benchmark
 * can hold `cf-preflight drift` against it (issue 13). It reads the desired records from a Terraform
 * JSON file, lists the live state through the same API requests the reader sends (Cloudflare's
 * ranges, the zones by one listing or lookup, every zone's records at the reader's page size and
 * its SSL mode, at the reader's concurrency), and hash-joins the two into the changes, written as
 * JSON on stdout (exit 4 when there are any).
 *
 * It cuts no corner the real drift cannot cut: every answer's envelope is checked (JSON, `success`,
 * `result`), every page's `result_info` is held to the first page's totals, every record's shape is
 * checked and its id seen once, bodies are bounded and strictly UTF-8, names are normalised the way
 * Cloudflare stores them, and a proxied record's TTL is automatic. What it leaves out is what the
 * tool adds beyond a drift: Terraform evaluation, the SDK, the rules, the report's other parts.
 *
 *   CLOUDFLARE_API_TOKEN=... CLOUDFLARE_API_BASE_URL=... node dist/bench/drift-floor.js FILE.tf.json
 */
import { isUtf8 } from "node:buffer";
import { readFileSync } from "node:fs";
import {
  DNS_RECORDS_PAGE_SIZE,
  MAX_PAGES_PER_LIST,
  MAX_RESPONSE_BYTES,
  READ_DEFAULTS,
  ZONES_PAGE_SIZE,
} from "../checks/live/limits.js";

class FloorError extends Error {}

interface Rec {
  readonly fqdn: string;
  readonly type: string;
  readonly content: string;
  readonly proxied: boolean;
  readonly ttl: number;
}

interface Change {
  readonly action: "create" | "delete" | "update";
  readonly zone: string;
  readonly fqdn: string;
  readonly type: string;
  readonly desired?: Rec;
  readonly live?: Rec;
}

interface PageInfo {
  readonly page: number;
  readonly per_page: number;
  readonly count?: number;
  readonly total_count: number;
  readonly total_pages: number;
}

const fqdnOf = (name: string): string => {
  const lower = name.trim().toLowerCase();
  return lower.endsWith(".") ? lower.slice(0, -1) : lower;
};

/** The desired records of each zone (by zone name), from `resource.cloudflare_dns_record`. */
function readDesired(file: string): Map<string, Rec[]> {
  const bytes = readFileSync(file);
  if (!isUtf8(bytes)) throw new FloorError(`${file}: not UTF-8`);
  const json = JSON.parse(bytes.toString("utf8")) as {
    data?: { cloudflare_zone?: Record<string, { filter?: { name?: unknown } }> };
    resource?: { cloudflare_dns_record?: Record<string, Record<string, unknown>> };
  };
  const zoneOf = new Map<string, string>();
  for (const [key, source] of Object.entries(json.data?.cloudflare_zone ?? {})) {
    if (typeof source.filter?.name !== "string") throw new FloorError(`data.cloudflare_zone.${key}: no name`);
    zoneOf.set(`\${data.cloudflare_zone.${key}.zone_id}`, fqdnOf(source.filter.name));
  }
  const out = new Map<string, Rec[]>();
  for (const [key, r] of Object.entries(json.resource?.cloudflare_dns_record ?? {})) {
    const zone = zoneOf.get(String(r.zone_id));
    const { name, type, content, proxied, ttl } = r;
    if (
      zone === undefined ||
      typeof name !== "string" ||
      typeof type !== "string" ||
      typeof content !== "string" ||
      (proxied !== undefined && typeof proxied !== "boolean") ||
      (ttl !== undefined && typeof ttl !== "number")
    )
      throw new FloorError(`cloudflare_dns_record.${key}: not a record the floor reads`);
    const isProxied = proxied === true;
    let list = out.get(zone);
    if (list === undefined) {
      list = [];
      out.set(zone, list);
    }
    list.push({ fqdn: fqdnOf(name), type, content, proxied: isProxied, ttl: isProxied ? 1 : (ttl ?? 1) });
  }
  return out;
}

/** One GET: bounded, strictly UTF-8, a JSON v4 envelope with `success: true` and a `result`. */
async function get(base: string, token: string, path: string): Promise<Record<string, unknown>> {
  const response = await fetch(`${base}${path}`, {
    headers: { authorization: `Bearer ${token}` },
    redirect: "manual",
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (bytes.byteLength > MAX_RESPONSE_BYTES) throw new FloorError(`${path}: body too large`);
  if (!response.ok) throw new FloorError(`${path}: HTTP ${response.status}`);
  if (!(response.headers.get("content-type") ?? "").startsWith("application/json"))
    throw new FloorError(`${path}: not JSON`);
  if (!isUtf8(bytes)) throw new FloorError(`${path}: not UTF-8`);
  const body = JSON.parse(bytes.toString("utf8")) as Record<string, unknown>;
  if (typeof body !== "object" || body === null || body.success !== true || body.result == null)
    throw new FloorError(`${path}: not a successful envelope`);
  return body;
}

const isCount = (n: unknown): n is number => Number.isInteger(n) && (n as number) >= 0;

/** `result_info` of a page-number list, held to the first page's promise. */
function checkPage(
  path: string,
  info: unknown,
  first: PageInfo | undefined,
  page: number,
  items: number,
  before: number,
): PageInfo {
  const i = info as PageInfo;
  if (
    typeof i !== "object" ||
    i === null ||
    !isCount(i.page) ||
    !isCount(i.per_page) ||
    !isCount(i.total_count) ||
    !isCount(i.total_pages) ||
    (i.count !== undefined && i.count !== items)
  )
    throw new FloorError(`${path}: bad result_info`);
  const f = first ?? i;
  const pages = Math.max(1, f.total_pages);
  if (
    i.page !== page ||
    i.per_page !== f.per_page ||
    i.total_count !== f.total_count ||
    i.total_pages !== f.total_pages ||
    f.total_pages !== Math.ceil(f.total_count / f.per_page) ||
    pages > MAX_PAGES_PER_LIST ||
    (page < pages && items !== i.per_page) ||
    (page === pages && before + items !== i.total_count)
  )
    throw new FloorError(`${path}: page ${page} does not add up`);
  return f;
}

interface Zone {
  readonly id: string;
  readonly name: string;
}

function zonesOf(path: string, result: unknown): Zone[] {
  if (!Array.isArray(result)) throw new FloorError(`${path}: result is not a list`);
  for (const z of result as Zone[])
    if (typeof z?.id !== "string" || !/^[0-9a-f]{32}$/.test(z.id) || typeof z.name !== "string")
      throw new FloorError(`${path}: not a zone`);
  return result as Zone[];
}

/** The zones by name: one lookup for one zone, else one listing, page by page, until all are found. */
async function findZones(base: string, token: string, names: readonly string[]): Promise<Map<string, Zone>> {
  const found = new Map<string, Zone>();
  const wanted = new Set(names);
  if (names.length === 1) {
    const path = `/zones?name=${encodeURIComponent(names[0]!)}&per_page=${ZONES_PAGE_SIZE}`;
    const body = await get(base, token, path);
    const zones = zonesOf(path, body.result);
    checkPage(path, body.result_info, undefined, 1, zones.length, 0);
    for (const z of zones) if (wanted.has(fqdnOf(z.name))) found.set(fqdnOf(z.name), z);
  } else {
    let first: PageInfo | undefined;
    let seen = 0;
    for (let page = 1; found.size < wanted.size; page++) {
      const path = `/zones?per_page=${ZONES_PAGE_SIZE}&page=${page}`;
      const body = await get(base, token, path);
      const zones = zonesOf(path, body.result);
      first = checkPage(path, body.result_info, first, page, zones.length, seen);
      seen += zones.length;
      for (const z of zones) if (wanted.has(fqdnOf(z.name))) found.set(fqdnOf(z.name), z);
      if (page >= first.total_pages) break;
    }
  }
  for (const name of names) if (!found.has(name)) throw new FloorError(`zone ${name} not found`);
  return found;
}

/** Every record of a zone at the reader's page size, every page and record checked. */
async function readRecords(base: string, token: string, zone: Zone): Promise<Rec[]> {
  const out: Rec[] = [];
  const ids = new Set<string>();
  let first: PageInfo | undefined;
  for (let page = 1; ; page++) {
    const path = `/zones/${zone.id}/dns_records?per_page=${DNS_RECORDS_PAGE_SIZE}&page=${page}`;
    const body = await get(base, token, path);
    const result = body.result as Record<string, unknown>[];
    if (!Array.isArray(result)) throw new FloorError(`${path}: result is not a list`);
    first = checkPage(path, body.result_info, first, page, result.length, out.length);
    for (const r of result) {
      const { id, name, type, content, proxied, ttl } = r;
      if (
        typeof id !== "string" ||
        id === "" ||
        typeof name !== "string" ||
        typeof type !== "string" ||
        (content !== undefined && typeof content !== "string") ||
        (proxied !== undefined && typeof proxied !== "boolean") ||
        typeof ttl !== "number"
      )
        throw new FloorError(`${path}: not a record`);
      if (ids.has(id)) throw new FloorError(`${path}: record ${id} twice`);
      ids.add(id);
      const isProxied = proxied === true;
      out.push({
        fqdn: fqdnOf(name),
        type,
        content: content ?? "",
        proxied: isProxied,
        ttl: isProxied ? 1 : ttl,
      });
    }
    if (page >= Math.max(1, first.total_pages)) return out;
  }
}

async function readSsl(base: string, token: string, zone: Zone): Promise<string> {
  const path = `/zones/${zone.id}/settings/ssl`;
  const result = (await get(base, token, path)).result as { id?: unknown; value?: unknown };
  if (result.id !== "ssl" || typeof result.value !== "string")
    throw new FloorError(`${path}: not the SSL setting`);
  return result.value;
}

/** Desired against live by (fqdn, type): equal content pairs first, the rest are updates, creates, deletes. */
function join(zone: string, desired: readonly Rec[], live: readonly Rec[], out: Change[]): void {
  const groups = new Map<string, Rec[]>();
  for (const r of desired) {
    const key = `${r.type} ${r.fqdn}`;
    const list = groups.get(key);
    if (list) list.push(r);
    else groups.set(key, [r]);
  }
  const liveLeft = new Map<string, Rec[]>();
  for (const r of live) {
    const key = `${r.type} ${r.fqdn}`;
    const wanted = groups.get(key);
    const at = wanted ? wanted.findIndex((d) => d.content === r.content) : -1;
    if (at >= 0) {
      const d = wanted![at]!;
      wanted!.splice(at, 1);
      if (d.proxied !== r.proxied || d.ttl !== r.ttl)
        out.push({ action: "update", zone, fqdn: r.fqdn, type: r.type, desired: d, live: r });
      continue;
    }
    const left = liveLeft.get(key);
    if (left) left.push(r);
    else liveLeft.set(key, [r]);
  }
  for (const [key, wanted] of groups) {
    const left = liveLeft.get(key) ?? [];
    liveLeft.delete(key);
    const n = Math.max(wanted.length, left.length);
    for (let i = 0; i < n; i++) {
      const d = wanted[i];
      const l = left[i];
      const { fqdn, type } = (d ?? l)!;
      out.push({
        action: d && l ? "update" : d ? "create" : "delete",
        zone,
        fqdn,
        type,
        ...(d ? { desired: d } : {}),
        ...(l ? { live: l } : {}),
      });
    }
  }
  for (const left of liveLeft.values())
    for (const l of left) out.push({ action: "delete", zone, fqdn: l.fqdn, type: l.type, live: l });
}

const ORDER = { delete: 0, create: 1, update: 2 } as const;

async function main(file: string): Promise<number> {
  const token = process.env.CLOUDFLARE_API_TOKEN ?? "";
  const base = process.env.CLOUDFLARE_API_BASE_URL ?? "";
  const desired = readDesired(file);
  const ips = (await get(base, token, "/ips")).result as { ipv4_cidrs?: unknown[]; ipv6_cidrs?: unknown[] };
  if (!ips.ipv4_cidrs?.length || !ips.ipv6_cidrs?.length) throw new FloorError("/ips: no ranges");
  const names = [...desired.keys()];
  const zones = await findZones(base, token, names);
  const changes: Change[] = [];
  let next = 0;
  const worker = async () => {
    while (next < names.length) {
      const name = names[next++]!;
      const zone = zones.get(name)!;
      const [live] = await Promise.all([readRecords(base, token, zone), readSsl(base, token, zone)]);
      join(name, desired.get(name)!, live, changes);
    }
  };
  await Promise.all(Array.from({ length: READ_DEFAULTS.concurrency }, worker));
  changes.sort(
    (a, b) =>
      a.zone.localeCompare(b.zone) ||
      ORDER[a.action] - ORDER[b.action] ||
      (a.fqdn < b.fqdn ? -1 : a.fqdn > b.fqdn ? 1 : 0) ||
      a.type.localeCompare(b.type),
  );
  process.stdout.write(`${JSON.stringify({ drift: { dns: changes } }, null, 2)}\n`);
  return changes.length > 0 ? 4 : 0;
}

const file = process.argv[2];
if (file === undefined) {
  process.stderr.write("usage: drift-floor FILE.tf.json\n");
  process.exitCode = 2;
} else {
  main(file).then(
    (code) => {
      process.exitCode = code;
    },
    (error: unknown) => {
      process.stderr.write(`drift-floor: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = error instanceof FloorError ? 3 : 1;
    },
  );
}
