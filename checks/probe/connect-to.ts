import ipaddr from "ipaddr.js";
import { normalizeFqdn } from "../model/record.js";

/**
 * `--connect-to HOST1:PORT1:HOST2:PORT2`, with curl's meaning: when Cloudflare would reach
 * HOST1:PORT1, connect to HOST2:PORT2 instead. HOST1 or PORT1 empty matches any host or port;
 * HOST2 or PORT2 empty keeps the original. An IPv6 HOST2 is written in brackets: `www:443:[::1]:8443`.
 */
export interface ConnectToMapping {
  /** A hostname, or (when `hostIsAddress`) an origin address in canonical form. */
  readonly host: string | undefined;
  /**
   * HOST1 was an IP address: the mapping covers connections to that origin address, whatever the
   * hostname (an extension of curl's meaning, for host migrations where the old and the new origin
   * serve the same hostname).
   */
  readonly hostIsAddress?: boolean;
  readonly port: number | undefined;
  /** An IP address (the probes never resolve it: a mapping says exactly where to go). */
  readonly address: string | undefined;
  readonly toPort: number | undefined;
  readonly spec: string;
}

export type ParseResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly error: string };

function splitFields(spec: string): string[] | undefined {
  const fields: string[] = [];
  let current = "";
  let inBrackets = false;
  for (const ch of spec) {
    if (ch === "[" && !inBrackets) inBrackets = true;
    else if (ch === "]" && inBrackets) inBrackets = false;
    else if (ch === ":" && !inBrackets) {
      fields.push(current);
      current = "";
      continue;
    }
    current += ch;
  }
  if (inBrackets) return undefined;
  fields.push(current);
  return fields;
}

function parsePort(text: string, which: string, spec: string): ParseResult<number | undefined> {
  if (text === "") return { ok: true, value: undefined };
  if (!/^\d{1,5}$/.test(text) || Number(text) < 1 || Number(text) > 65535) {
    return { ok: false, error: `--connect-to ${spec}: ${which} must be a port 1-65535 (got "${text}")` };
  }
  return { ok: true, value: Number(text) };
}

/** Parse one `--connect-to` value; errors are values (the CLI maps them to exit 2). */
export function parseConnectTo(spec: string): ParseResult<ConnectToMapping> {
  const fields = splitFields(spec.trim());
  if (fields === undefined || fields.length !== 4) {
    return {
      ok: false,
      error: `--connect-to ${spec}: expected HOST:PORT:ADDR:PORT (IPv6 ADDR in brackets, e.g. www.example.com:443:[::1]:8443)`,
    };
  }
  const [hostText, portText, addrText, toPortText] = fields as [string, string, string, string];
  const hostAddress = originAddressOf(hostText);
  // A hostname in Unicode matches the record it names, whose name is in Punycode (`normalizeFqdn`).
  const host = hostAddress ?? (hostText === "" ? undefined : normalizeFqdn(hostText));
  if (host !== undefined && hostAddress === undefined && !/^[a-z0-9*_.-]+$/.test(host)) {
    return {
      ok: false,
      error: `--connect-to ${spec}: HOST must be a hostname, an origin address (IPv6 in brackets) or empty (got "${hostText}")`,
    };
  }
  const port = parsePort(portText, "PORT", spec);
  if (!port.ok) return port;
  const toPort = parsePort(toPortText, "the second PORT", spec);
  if (!toPort.ok) return toPort;
  let address: string | undefined;
  if (addrText !== "") {
    const bare = addrText.startsWith("[") && addrText.endsWith("]") ? addrText.slice(1, -1) : addrText;
    if (!ipaddr.isValid(bare) || (bare.includes(":") && !addrText.startsWith("["))) {
      return {
        ok: false,
        error: `--connect-to ${spec}: ADDR must be an IP address, IPv6 in brackets (got "${addrText}")`,
      };
    }
    if (!bare.includes(":") && !ipaddr.IPv4.isValidFourPartDecimal(bare)) {
      return {
        ok: false,
        error: `--connect-to ${spec}: ADDR must be a dotted IPv4 address (got "${addrText}")`,
      };
    }
    address = ipaddr.parse(bare).toString();
  }
  if (address === undefined && toPort.value === undefined) {
    return {
      ok: false,
      error: `--connect-to ${spec}: maps nothing (ADDR and the second PORT are both empty)`,
    };
  }
  return {
    ok: true,
    value: {
      host,
      ...(hostAddress !== undefined ? { hostIsAddress: true } : {}),
      port: port.value,
      address,
      toPort: toPort.value,
      spec,
    },
  };
}

/** Parse every `--connect-to` value; all errors are returned, not just the first. */
export function parseConnectToList(specs: readonly string[]): ParseResult<ConnectToMapping[]> {
  const mappings: ConnectToMapping[] = [];
  const errors: string[] = [];
  for (const spec of specs) {
    const parsed = parseConnectTo(spec);
    if (parsed.ok) mappings.push(parsed.value);
    else errors.push(parsed.error);
  }
  return errors.length > 0 ? { ok: false, error: errors.join("\n") } : { ok: true, value: mappings };
}

/** A dotted IPv4 address or a bracketed IPv6 address, canonical; undefined for anything else. */
function originAddressOf(text: string): string | undefined {
  const bracketed = text.startsWith("[") && text.endsWith("]");
  const bare = bracketed ? text.slice(1, -1) : text;
  if (bracketed ? !ipaddr.IPv6.isValid(bare) : !ipaddr.IPv4.isValidFourPartDecimal(bare)) return undefined;
  return ipaddr.parse(bare).toString();
}

/**
 * The first mapping (in the order given, as curl does) that covers hostname:port, or (for a
 * mapping whose HOST is an address) the connection to that origin address and port.
 */
export function findConnectTo(
  mappings: readonly ConnectToMapping[],
  hostname: string,
  port: number,
  originAddress?: string,
): ConnectToMapping | undefined {
  return mappings.find(
    (m) =>
      (m.host === undefined || (m.hostIsAddress ? m.host === originAddress : m.host === hostname)) &&
      (m.port === undefined || m.port === port),
  );
}
