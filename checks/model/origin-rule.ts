import type { SourceRef } from "./source.js";

/**
 * One rule of the zone's `http_request_origin` phase that routes to another origin port (and
 * optionally host). `hostnames` lists the hosts its expression names when the expression is the
 * simple `http.host eq "..."` / `http.host in {...}` form; `undefined` means the checker cannot tell
 * which hosts it applies to.
 */
export interface OriginRule {
  readonly expression: string;
  readonly hostnames: readonly string[] | undefined;
  readonly port?: number;
  readonly host?: string;
  readonly enabled: boolean;
  readonly source?: SourceRef;
}
