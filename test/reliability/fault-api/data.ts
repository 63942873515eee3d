/** The healthy account the fault API serves: one zone, nine records, one IP list. */

export const ZONE_ID = "0123456789abcdef0123456789abcdef";
export const ZONE_NAME = "example.com";
export const ACCOUNT_ID = "a".repeat(32);
export const LIST_ID = "2c0fc9fa937b11eaa1b71c4d701ab86e";
export const LIST_NAME = "origin_allow";

/** The record page size tests ask for, so nine records make three pages. */
export const PAGE_SIZE = 3;

export const RECORDS = Array.from({ length: 9 }, (_, i) => ({
  id: `rec${String(i).padStart(29, "0")}`,
  zone_id: ZONE_ID,
  zone_name: ZONE_NAME,
  name: `h${i}.${ZONE_NAME}`,
  type: "A",
  content: `192.0.2.${10 + i}`,
  proxiable: true,
  proxied: false,
  ttl: 300,
  settings: {},
  meta: {},
  comment: null,
  tags: [],
  created_on: "2026-11-01T00:00:00Z",
  modified_on: "2026-11-01T00:00:00Z",
}));

export const ZONE = {
  id: ZONE_ID,
  name: ZONE_NAME,
  status: "active",
  paused: false,
  type: "full",
  account: { id: ACCOUNT_ID, name: "Fault account" },
  name_servers: ["ada.ns.cloudflare.com", "bob.ns.cloudflare.com"],
};

export const SSL = { id: "ssl", value: "strict", editable: true, modified_on: "2026-11-01T00:00:00Z" };

export const ORIGIN_ENTRYPOINT = {
  id: "f".repeat(32),
  name: "default",
  kind: "zone",
  phase: "http_request_origin",
  version: "1",
  last_updated: "2026-11-01T00:00:00Z",
  rules: [
    {
      id: "e".repeat(32),
      action: "route",
      expression: `http.host eq "h1.${ZONE_NAME}"`,
      enabled: true,
      action_parameters: { origin: { port: 8443 } },
    },
  ],
};

/** `GET /zones/{id}/rulesets`: the zone's origin entry point and a managed ruleset (no rules listed). */
export const RULESETS = [
  {
    id: ORIGIN_ENTRYPOINT.id,
    name: "default",
    kind: "zone",
    phase: "http_request_origin",
    version: "1",
    last_updated: "2026-11-01T00:00:00Z",
  },
  {
    id: "efb7b8c949ac4650a09736fc376e9aee",
    name: "Cloudflare Managed Ruleset",
    kind: "managed",
    phase: "http_request_firewall_managed",
    version: "1",
    last_updated: "2026-11-01T00:00:00Z",
  },
];

/** Global AOP off, zone-level AOP off, no per-hostname associations, no page rules. */
export const TLS_CLIENT_AUTH = { id: "tls_client_auth", value: "off", editable: true, modified_on: null };
export const AOP_SETTINGS = { enabled: false };

/** A few of Cloudflare's published ranges (any valid, non-empty lists will do). */
export const IPS = {
  ipv4_cidrs: ["173.245.48.0/20", "103.21.244.0/22", "172.64.0.0/13"],
  ipv6_cidrs: ["2400:cb00::/32", "2606:4700::/32"],
  etag: "fault-api-etag",
};

export const LISTS = [
  {
    id: LIST_ID,
    name: LIST_NAME,
    kind: "ip",
    num_items: 3,
    num_referencing_filters: 0,
    created_on: "2026-11-01T00:00:00Z",
    modified_on: "2026-11-01T00:00:00Z",
  },
];

export const LIST_ITEMS = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.7"].map((ip, i) => ({
  id: `item${i}`,
  ip,
  created_on: "2026-11-01T00:00:00Z",
  modified_on: "2026-11-01T00:00:00Z",
}));
