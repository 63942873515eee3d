import {
  DEFAULT_PORTS,
  FIELD_NAMESPACES,
  FULL_URI_PORT_UNDOCUMENTED,
  HOST_IS_LOWER_CASE,
  NORMAL_PATH_CHARACTERS,
  PATH_EXTENSION_RULES,
} from "./facts.js";
import { asciiLower, bool, int, str, unknown, type Value } from "./value.js";

/**
 * What the evaluator knows about a request. `undefined` means "not known": it depends on the visitor
 * (the scheme, port, method and query string of "every request to a hostname") or was not given.
 */
export interface Facts {
  readonly host: string;
  readonly path?: string;
  /** The query string without `?`; "" for none; undefined when any query string is possible. */
  readonly query?: string;
  readonly scheme?: "http" | "https";
  readonly port?: number;
  readonly method?: string;
  readonly zone?: string;
}

/** True when a path is the same under every URL normalization setting (see NORMAL_PATH_CHARACTERS). */
export function isNormalPath(path: string): boolean {
  if (!path.startsWith("/") || !NORMAL_PATH_CHARACTERS.test(path) || path.includes("//")) return false;
  return !path.split("/").some((segment) => segment === "." || segment === "..");
}

/** The lower-cased extension of the last path segment, per http.request.uri.path.extension. */
export function pathExtension(path: string): string {
  const segment = path.slice(path.lastIndexOf("/") + 1);
  const dot = segment.lastIndexOf(".");
  if (dot < 0 || (dot === 0 && PATH_EXTENSION_RULES.leadingDotIsNotExtension)) return "";
  return segment.slice(dot + 1);
}

const clientDependent = (field: string, what: string): Value =>
  unknown(`${field} depends on the visitor's request (${what}), not on the hostname and path`);

/** The value of a field for the facts, or unknown with the reason. */
export function fieldValue(name: string, f: Facts): Value {
  switch (name) {
    case "http.host":
      return str(HOST_IS_LOWER_CASE ? asciiLower(f.host) : f.host);
    case "ssl":
      return f.scheme === undefined ? clientDependent(name, "HTTP or HTTPS") : bool(f.scheme === "https");
    case "cf.edge.server_port":
      return f.port === undefined ? clientDependent(name, "the edge port") : int(BigInt(f.port));
    case "http.request.method":
      return f.method === undefined ? clientDependent(name, "the method") : str(f.method);
    case "cf.zone.name":
      return f.zone === undefined
        ? unknown("cf.zone.name needs the zone name, which was not given")
        : str(asciiLower(f.zone));
    case "http.request.uri.path":
    case "raw.http.request.uri.path":
      return pathValue(name, f, (p) => str(p));
    case "http.request.uri.path.extension":
      return pathValue(name, f, (p) =>
        str(PATH_EXTENSION_RULES.lowerCased ? asciiLower(pathExtension(p)) : pathExtension(p)),
      );
    case "raw.http.request.uri.path.extension": {
      return pathValue(name, f, (p) => str(pathExtension(p)));
    }
    case "http.request.uri.query":
    case "raw.http.request.uri.query":
      return f.query === undefined ? clientDependent(name, "the query string") : str(f.query);
    case "http.request.uri":
    case "raw.http.request.uri":
      return pathValue(name, f, (p) => withQuery(name, p, f.query));
    case "http.request.full_uri":
    case "raw.http.request.full_uri":
      return pathValue(name, f, (p) => {
        if (f.scheme === undefined) return clientDependent(name, "HTTP or HTTPS");
        if (FULL_URI_PORT_UNDOCUMENTED && f.port !== undefined && f.port !== DEFAULT_PORTS[f.scheme]) {
          return unknown(
            `${name} on edge port ${f.port}: whether the URI carries the port is not documented`,
          );
        }
        return withQuery(name, `${f.scheme}://${asciiLower(f.host)}${p}`, f.query);
      });
  }
  if (FIELD_NAMESPACES.some((ns) => name === ns || name.startsWith(ns)))
    return clientDependent(name, topicOf(name));
  return unknown(`${name} is not a field of the Rules language the checker knows`);
}

function pathValue(name: string, f: Facts, then: (path: string) => Value): Value {
  if (f.path === undefined) return unknown(`${name} depends on the path, and no path was given`);
  if (!isNormalPath(f.path)) {
    return unknown(`${name}: the path ${JSON.stringify(f.path)} depends on the zone's URL normalization`);
  }
  return then(f.path);
}

function withQuery(name: string, base: string, query: string | undefined): Value {
  if (query === undefined) {
    return { t: "prefix", prefix: base, why: `${name} depends on the visitor's query string` };
  }
  return str(query === "" ? base : `${base}?${query}`);
}

/** What a client-dependent field is about, for the message. */
function topicOf(name: string): string {
  const topics: readonly [RegExp, string][] = [
    [/^ip\.src\.|^ip\.geoip\./, "geolocation of the visitor's address"],
    [/^ip\./, "the visitor's address"],
    [/cookie/, "cookies"],
    [/^http\.request\.headers|^http\.user_agent|^http\.referer|^http\.x_forwarded_for/, "request headers"],
    [/uri\.args|uri\.query/, "the query string"],
    [/^http\.request\.body/, "the request body"],
    [/^http\.response|^raw\.http\.response/, "the response"],
    [/^cf\.bot_management|^cf\.client\.bot|^cf\.verified_bot/, "bot detection"],
    [/^cf\.threat_score|^cf\.waf/, "threat and attack scores"],
    [/^cf\.tls|^cf\.tls_client_auth/, "the visitor's TLS connection"],
  ];
  return topics.find(([re]) => re.test(name))?.[1] ?? "data Cloudflare computes per request";
}
