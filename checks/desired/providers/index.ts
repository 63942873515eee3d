import type { ResourceInstance } from "../instance.js";
import { isTfObject } from "../terraform/value.js";
import { AttributeReader } from "./attributes.js";
import {
  CLOUD_FIREWALL_ADAPTERS,
  CLOUD_FIREWALL_RULE_TYPES,
  CLOUD_FIREWALL_TYPES,
  type CloudFirewallAdapter,
} from "./cloud-firewalls.js";
import { emptyFacts, type Facts } from "./facts.js";
import type { Adapter } from "./shared.js";
import { V4_DATA, V4_MANAGED } from "./v4.js";
import { V5_DATA, V5_MANAGED } from "./v5.js";

/**
 * Cloudflare resource types that change how the edge reaches an origin but that cf-preflight does
 * not model yet: every instance is listed as unresolved, never dropped (checked 2026-11-30).
 */
export const EDGE_TYPES_NOT_MODELLED: ReadonlySet<string> = new Set([
  "cloudflare_load_balancer",
  "cloudflare_load_balancer_pool",
  "cloudflare_spectrum_application",
  "cloudflare_workers_route",
  "cloudflare_worker_route",
  "cloudflare_workers_custom_domain",
  "cloudflare_worker_domain",
  // 4.x renamed cloudflare_worker_domain to this before 5.x made it cloudflare_workers_custom_domain.
  "cloudflare_workers_domain",
  "cloudflare_custom_hostname",
  "cloudflare_custom_hostname_fallback_origin",
  "cloudflare_regional_hostname",
  "cloudflare_pages_domain",
  "cloudflare_r2_custom_domain",
  "cloudflare_snippet",
  "cloudflare_snippets",
  "cloudflare_snippet_rules",
  "cloudflare_argo_tunnel",
]);

/** Whether the readers evaluate and report a resource type (others only when referenced). */
export function wantedType(type: string, mode: "managed" | "data"): boolean {
  if (mode === "data") return type === "cloudflare_zone" || type === "cloudflare_zones";
  return type.startsWith("cloudflare_") || CLOUD_FIREWALL_TYPES.has(type);
}

/** Types read even when their `for_each` is not known: a firewall rule per Cloudflare range. */
export function templatedType(type: string, mode: "managed" | "data"): boolean {
  return mode === "managed" && type in CLOUD_FIREWALL_RULE_TYPES;
}

function majorOf(instance: ResourceInstance): 4 | 5 | undefined {
  if (instance.providerMajor === 4 || instance.providerMajor === 5) return instance.providerMajor;
  return undefined;
}

/** What a resource type of a mode is read by: looked up once per type, not once per instance. */
interface Dispatch {
  readonly cloudFirewall: CloudFirewallAdapter | undefined;
  readonly notModelled: boolean;
  readonly v4: Adapter | undefined;
  readonly v5: Adapter | undefined;
}

const DISPATCH = { managed: new Map<string, Dispatch>(), data: new Map<string, Dispatch>() };

function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}

function dispatchOf(mode: "managed" | "data", type: string): Dispatch {
  const cache = DISPATCH[mode];
  let dispatch = cache.get(type);
  if (dispatch === undefined) {
    const data = mode === "data";
    dispatch = {
      cloudFirewall: data ? undefined : own(CLOUD_FIREWALL_ADAPTERS, type),
      notModelled: EDGE_TYPES_NOT_MODELLED.has(type),
      v4: own(data ? V4_DATA : V4_MANAGED, type),
      v5: own(data ? V5_DATA : V5_MANAGED, type),
    };
    cache.set(type, dispatch);
  }
  return dispatch;
}

/** Pick the adapter: a name only one major has decides; shared names go by the declared major, then by shape. */
function adapterFor(instance: ResourceInstance, { v4, v5 }: Dispatch): Adapter | undefined {
  if (!v4 || !v5) return v4 ?? v5;
  const major = majorOf(instance) ?? shapeMajor(instance);
  return major === 4 ? v4 : v5;
}

/** 4.x shapes of the names both majors use: `zone` on a zone, `item` blocks on a list, `ingress_rule`. */
function shapeMajor(instance: ResourceInstance): 4 | 5 {
  const v = instance.values;
  if (instance.type === "cloudflare_zone" && instance.mode === "managed") return "zone" in v ? 4 : 5;
  if (instance.type === "cloudflare_list") return "item" in v ? 4 : 5;
  if (instance.type === "cloudflare_authenticated_origin_pulls") return "config" in v ? 5 : 4;
  if (instance.type.endsWith("_config")) {
    const config = Array.isArray(v.config) ? v.config[0] : v.config;
    return isTfObject(config ?? null) && "ingress_rule" in (config as object) ? 4 : 5;
  }
  return 5;
}

/** Every instance through its provider adapter. Deleted records (plans) are kept apart. */
export function adaptInstances(instances: readonly ResourceInstance[]): Facts {
  const facts = emptyFacts();
  // By index: an iterator's result object for each of 100,000 instances would be garbage.
  for (let i = 0; i < instances.length; i++) {
    const instance = instances[i]!;
    const dispatch = dispatchOf(instance.mode, instance.type);
    const cloudFirewall = dispatch.cloudFirewall;
    if (cloudFirewall) {
      // A firewall the plan deletes is no origin's allowlist after the apply.
      if (instance.action !== "delete") facts.cloudFirewalls.push(cloudFirewall(instance));
      continue;
    }
    if (instance.expansion) continue;
    if (dispatch.notModelled) {
      facts.unresolved.push({
        address: instance.address,
        attribute: "(resource)",
        why: `${instance.type} changes how Cloudflare reaches origins, and cf-preflight does not model it yet`,
      });
      continue;
    }
    const adapter = adapterFor(instance, dispatch);
    if (!adapter) {
      const key = instance.mode === "data" ? `data.${instance.type}` : instance.type;
      facts.ignored[key] = (facts.ignored[key] ?? 0) + 1;
      continue;
    }
    if (instance.action === "delete") {
      const sink = emptyFacts();
      adapter(new AttributeReader(instance, sink.unresolved), sink);
      facts.deletedRecords.push(...sink.records);
      continue;
    }
    adapter(new AttributeReader(instance, facts.unresolved), facts);
  }
  return facts;
}
