import { InputError } from "../../errors.js";
import type { TunnelIngressRule } from "../../model/edge-rules.js";
import type { Building } from "../../model/mutable.js";
import { hostnamesOfExpression, unmodelledRouteParameters } from "../../model/origin-rule.js";
import {
  asciiHostname,
  isRecordType,
  normalizeFqdn,
  RECORD_TYPES,
  type RecordType,
  TTL_AUTO,
} from "../../model/record.js";
import { isSslMode, type SslMode } from "../../model/ssl-mode.js";
import { isUnresolved, known, type Resolvable, unresolved } from "../../model/value.js";
import { quote } from "../../printable.js";
import { addressProblem } from "../ip-address.js";
import { type TfObject, Unknown } from "../terraform/value.js";
import { type AttributeReader, within } from "./attributes.js";
import type { Facts, RecordFact } from "./facts.js";

/** How one resource type's instances become facts. */
export type Adapter = (r: AttributeReader, facts: Facts) => void;

const HOSTNAME =
  /^(\*\.)?([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.)*[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?\.?$/i;

function printable(text: string): string {
  return quote(text.length > 80 ? `${text.slice(0, 77)}...` : text);
}

/** Why a literal is not a valid value of its record type, or undefined when it is. */
export function contentProblem(type: RecordType, content: string): string | undefined {
  if (type === "A") return addressProblem("ipv4", content);
  if (type === "AAAA") return addressProblem("ipv6", content);
  // The API takes a name in Unicode and stores it in Punycode (`asciiHostname`).
  if ((type === "CNAME" || type === "MX" || type === "NS") && !HOSTNAME.test(asciiHostname(content)))
    return `a hostname, got ${printable(content)}`;
  return undefined;
}

/** Structured records (SRV, CAA, ...) keep their `data` as one comparable text. */
function renderData(data: TfObject): string {
  return Object.keys(data)
    .sort()
    .map((k) => `${k}=${String(data[k])}`)
    .join(" ");
}

/**
 * Of aliases such as 4.x's `value` and `content`: the one set and known, else the one whose
 * expression names what it refers to (a plan marks both unknown, but only the one written has
 * references), else the first set.
 */
function chooseContentAttribute(
  r: AttributeReader,
  contentAttributes: readonly string[],
): string | undefined {
  const present = contentAttributes.filter((a) => r.raw(a) !== undefined && r.raw(a) !== null);
  return (
    present.find((a) => !(r.raw(a) instanceof Unknown)) ??
    present.find((a) => (r.raw(a) as Unknown).references.length > 0) ??
    present[0]
  );
}

/** A DNS record (4.x `cloudflare_record`, 5.x `cloudflare_dns_record`); `contentAttributes` in order of preference. */
export function readRecord(r: AttributeReader, facts: Facts, contentAttributes: readonly string[]): void {
  const zone = r.zone();
  const name = r.requiredString("name");
  const type = r.requiredString("type");
  if (name === undefined || type === undefined) {
    // Still read: what else is unknown about it is listed too.
    const targets = contentAttributes.flatMap((attribute) => {
      const content = r.string(attribute);
      if (content === undefined) return [];
      return isUnresolved(content) ? [...(content.references ?? [])] : [content];
    });
    r.string("proxied");
    facts.unknownRecords.push({
      zone,
      ...(type !== undefined ? { type: type.toUpperCase() } : {}),
      ...(targets.length > 0 ? { targets } : {}),
      source: r.instance.source,
    });
    return;
  }
  const upper = type.toUpperCase();
  if (!isRecordType(upper))
    throw new InputError(
      r.instance.source.file,
      `${r.address}.type`,
      `a DNS record type the API accepts (${RECORD_TYPES.join(", ")})`,
      `got ${printable(type)}`,
    );
  const recordType = upper as RecordType;
  // 4.x keeps `value` and `content` as aliases: the known one, else the one whose expression names
  // what it refers to (a plan marks both unknown, but only the one written has references).
  const contentAttribute =
    contentAttributes.length === 1 && r.raw(contentAttributes[0]!) != null
      ? contentAttributes[0]
      : chooseContentAttribute(r, contentAttributes);
  let content: Resolvable<string>;
  if (contentAttribute !== undefined) content = r.string(contentAttribute)!;
  else {
    const data = r.raw("data");
    const block = r.block("data");
    if (data instanceof Unknown) {
      r.note("data", data);
      content = unresolved(`\${${data.expression}}`);
    } else if (block) content = renderData(block);
    else
      throw new InputError(
        r.instance.source.file,
        `${r.address}.${contentAttributes[0]}`,
        `a record content (${contentAttributes.join(" or ")}, or a data block)`,
      );
  }
  const literal = known(content);
  if (literal !== undefined && contentAttribute !== undefined) {
    const problem = contentProblem(recordType, literal);
    if (problem) throw new InputError(r.instance.source.file, `${r.address}.${contentAttribute}`, problem);
  }
  const priority = known(r.number("priority"));
  const comment = known(r.string("comment"));
  const tags = r.strings("tags");
  const fact: Building<RecordFact> = {
    zone,
    name,
    type: recordType,
    content,
    proxied: r.bool("proxied") ?? false,
    ttl: r.number("ttl") ?? TTL_AUTO,
    source: r.instance.source,
  };
  if (priority !== undefined) fact.priority = priority;
  if (comment !== undefined) fact.comment = comment;
  if (tags !== undefined && tags.length > 0) fact.tags = tags;
  if (r.instance.action) fact.action = r.instance.action;
  facts.records.push(fact);
}

/** A zone resource or data source: the name (and id, when known) it stands for. */
export function readZoneAnchor(r: AttributeReader, facts: Facts, nameAttributes: readonly string[]): void {
  let name: string | undefined;
  for (const attribute of nameAttributes) {
    const value = r.raw(attribute);
    if (value === undefined || value === null) continue;
    name = known(r.string(attribute));
    break;
  }
  const id = r.raw("zone_id") ?? r.raw("id");
  const idText = typeof id === "string" && /^[0-9a-f]{32}$/i.test(id) ? id.toLowerCase() : undefined;
  const account = known(r.string("account_id")) ?? known(r.string("account.id"));
  facts.zones.push({
    address: r.address,
    ...(name !== undefined ? { name: normalizeFqdn(name) } : {}),
    ...(idText !== undefined ? { id: idText } : {}),
    ...(account !== undefined ? { accountId: account } : {}),
    managed: r.instance.mode === "managed",
    source: r.instance.source,
  });
}

/** An SSL mode value as Terraform writes it (`origin_pull` is the Enterprise Strict: validated like strict). */
export function sslModeOf(
  r: AttributeReader,
  path: string,
  from?: TfObject,
): Resolvable<SslMode> | undefined {
  const value = r.string(path, from);
  if (value === undefined || isUnresolved(value)) return value;
  const mode = value === "origin_pull" ? "strict" : value.toLowerCase();
  if (!isSslMode(mode))
    throw new InputError(
      r.instance.source.file,
      `${r.address}.${within(from, path)}`,
      "an SSL mode (off, flexible, full, strict)",
      `got ${printable(value)}`,
    );
  return mode;
}

/** `on`/`off`, or a bool, as Terraform writes a toggle setting. */
export function toggleOf(r: AttributeReader, path: string, from?: TfObject): Resolvable<boolean> | undefined {
  const value = r.string(path, from);
  if (value === undefined || isUnresolved(value)) return value;
  if (value === "on" || value === "true") return true;
  if (value === "off" || value === "false") return false;
  throw new InputError(
    r.instance.source.file,
    `${r.address}.${path}`,
    '"on" or "off"',
    `got ${printable(value)}`,
  );
}

/**
 * A ruleset: rules of the origin phase (`route`) and of the configuration phase (`set_config`)
 * become facts; other phases are counted as ignored. 4.x writes blocks, 5.x a list of objects.
 */
export function readRuleset(r: AttributeReader, facts: Facts): void {
  const phase = known(r.string("phase"));
  if (phase !== "http_request_origin" && phase !== "http_config_settings") {
    const key = `cloudflare_ruleset (phase ${phase ?? "unknown"})`;
    facts.ignored[key] = (facts.ignored[key] ?? 0) + 1;
    return;
  }
  if (r.raw("zone_id") === undefined) {
    const key = `cloudflare_ruleset (account-level ${phase})`;
    facts.unresolved.push({
      address: r.address,
      attribute: "account_id",
      why: `an account-level ${phase} ruleset applies through zone entrypoints cf-preflight does not model`,
    });
    facts.ignored[key] = (facts.ignored[key] ?? 0) + 1;
    return;
  }
  const zone = r.zone();
  r.blocks("rules").forEach((rule, i) => {
    const at = `rules[${i}]`;
    const action = known(r.string("action", rule));
    const expression = r.string("expression", rule) ?? "true";
    const enabled = known(r.bool("enabled", rule)) !== false;
    const description = known(r.string("description", rule));
    const parameters = r.block("action_parameters", rule);
    if (phase === "http_request_origin") {
      const origin = parameters ? r.block("origin", parameters) : undefined;
      const portValue = origin ? r.number("port", origin) : undefined;
      const hostValue = origin ? r.string("host", origin) : undefined;
      const hostHeaderValue = parameters ? r.string("host_header", parameters) : undefined;
      const sniBlock = parameters ? r.block("sni", parameters) : undefined;
      const sniValue = sniBlock ? r.string("value", sniBlock) : undefined;
      const port = known(portValue);
      const host = known(hostValue);
      const hostHeader = known(hostHeaderValue);
      const sni = known(sniValue);
      // A value known only after apply, another action or a parameter the checker does not model:
      // the hostnames the rule may match get an unknown route, never one that leaves it out.
      const afterApply = (
        [
          ["origin.port", portValue],
          ["origin.host", hostValue],
          ["host_header", hostHeaderValue],
          ["sni.value", sniValue],
        ] as const
      )
        .filter(([, value]) => value !== undefined && isUnresolved(value))
        .map(([key]) => key);
      const unmodelled =
        (action === undefined && r.raw("action", rule) !== undefined
          ? "has an action known only after apply"
          : undefined) ??
        unmodelledRouteParameters(action, parameters) ??
        (afterApply.length > 0
          ? `sets ${afterApply.join(", ")} to values known only after apply`
          : undefined);
      const text = known(expression);
      if (text === undefined)
        r.note(
          `${at}.expression`,
          new Unknown(`${r.address}.${at}.expression`, "the rule's expression is not known"),
        );
      facts.originRules.push({
        zone,
        source: r.instance.source,
        value: {
          expression: text ?? "",
          hostnames: text === undefined ? undefined : hostnamesOfExpression(text),
          ...(port !== undefined ? { port } : {}),
          ...(host !== undefined ? { host } : {}),
          ...(hostHeader !== undefined ? { hostHeader } : {}),
          ...(sni !== undefined ? { sni } : {}),
          ...(description !== undefined ? { description } : {}),
          ...(unmodelled !== undefined ? { unmodelled } : {}),
          enabled,
          source: r.instance.source,
        },
      });
      return;
    }
    if (action !== undefined && action !== "set_config") return;
    const ssl = parameters ? sslModeOf(r, "ssl", parameters) : undefined;
    facts.configRules.push({
      zone,
      source: r.instance.source,
      value: {
        expression,
        ...(ssl !== undefined ? { ssl } : {}),
        enabled,
        ...(description !== undefined ? { description } : {}),
        source: r.instance.source,
      },
    });
  });
}

/**
 * A Page Rule: its `ssl`, `resolve_override`, `host_header_override` and `forwarding_url` actions
 * decide how the edge reaches the origin (the live reader reads the same).
 */
export function readPageRule(r: AttributeReader, facts: Facts): void {
  const zone = r.zone();
  const actions = r.block("actions");
  const ssl = actions ? sslModeOf(r, "ssl", actions) : undefined;
  const resolveOverride = actions ? r.string("resolve_override", actions) : undefined;
  const hostHeader = actions ? r.string("host_header_override", actions) : undefined;
  const forwards = actions ? r.block("forwarding_url", actions) !== undefined : false;
  const status = known(r.string("status"));
  const priority = known(r.number("priority"));
  facts.pageRules.push({
    zone,
    source: r.instance.source,
    value: {
      target: r.string("target") ?? "",
      ...(ssl !== undefined ? { ssl } : {}),
      ...(resolveOverride !== undefined && resolveOverride !== "" ? { resolveOverride } : {}),
      ...(hostHeader !== undefined && hostHeader !== "" ? { hostHeader } : {}),
      ...(forwards ? { forwards } : {}),
      ...(priority !== undefined ? { priority } : {}),
      enabled: status !== "disabled",
      source: r.instance.source,
    },
  });
}

export function readTunnel(r: AttributeReader, facts: Facts): void {
  const id = r.raw("id");
  const account = r.string("account_id");
  facts.tunnels.push({
    address: r.address,
    name: r.string("name") ?? "",
    id: typeof id === "string" ? id : unresolved(`\${${r.address}.id}`),
    ...(account !== undefined ? { accountId: account } : {}),
    source: r.instance.source,
  });
}

/** A tunnel's remotely managed configuration: 4.x `config { ingress_rule {...} }`, 5.x `config = { ingress = [...] }`. */
export function readTunnelConfig(r: AttributeReader, facts: Facts): void {
  const config = r.block("config");
  const rules = config ? [...r.blocks("ingress_rule", config), ...r.blocks("ingress", config)] : [];
  const ingress: TunnelIngressRule[] = rules.map((rule) => {
    const hostname = r.string("hostname", rule);
    const path = known(r.string("path", rule));
    return {
      ...(hostname !== undefined ? { hostname } : {}),
      service: r.string("service", rule) ?? "",
      ...(path !== undefined ? { path } : {}),
    };
  });
  const tunnel = r.reference("tunnel_id");
  facts.tunnelConfigs.push({
    ...(tunnel.literal !== undefined ? { tunnelId: tunnel.literal } : {}),
    tunnelAddresses: tunnel.addresses,
    ingress,
    source: r.instance.source,
  });
}

/** Authenticated Origin Pulls for a zone (or one hostname of it). */
export function readOriginPulls(r: AttributeReader, facts: Facts, hostnameAttribute?: string): void {
  const zone = r.zone();
  const hostname = hostnameAttribute ? known(r.string(hostnameAttribute)) : undefined;
  facts.originPulls.push({
    zone,
    source: r.instance.source,
    value: {
      enabled: r.bool("enabled") ?? true,
      ...(hostname !== undefined ? { hostname: normalizeFqdn(hostname) } : {}),
      source: r.instance.source,
    },
  });
}

/** An account IP list (only `kind = "ip"` lists hold origin allowlists). */
export function readList(r: AttributeReader, facts: Facts): void {
  const kind = known(r.string("kind"));
  if (kind !== "ip") {
    facts.ignored[`cloudflare_list (kind ${kind ?? "unknown"})`] =
      (facts.ignored[`cloudflare_list (kind ${kind ?? "unknown"})`] ?? 0) + 1;
    return;
  }
  const name = r.requiredString("name");
  if (name === undefined) return;
  const items: string[] = [];
  // 4.x: item { value { ip } }; 5.x: items = [{ ip }].
  for (const item of r.blocks("item")) {
    const value = r.block("value", item);
    const ip = value ? known(r.string("ip", value)) : undefined;
    if (ip) items.push(ip);
  }
  for (const item of r.blocks("items")) {
    const ip = known(r.string("ip", item));
    if (ip) items.push(ip);
  }
  facts.lists.push({
    address: r.address,
    name,
    accountId: r.string("account_id") ?? unresolved("(no account_id)"),
    items,
    source: r.instance.source,
  });
}

export function readListItem(r: AttributeReader, facts: Facts): void {
  const list = r.reference("list_id");
  const ip = known(r.string("ip"));
  facts.listItems.push({
    ...(list.literal !== undefined ? { listId: list.literal } : {}),
    listAddresses: list.addresses,
    ...(ip !== undefined ? { ip } : {}),
    source: r.instance.source,
  });
}
