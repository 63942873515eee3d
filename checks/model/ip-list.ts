import type { SourceRef } from "./source.js";
import type { Resolvable } from "./value.js";

/** An account IP list (`cloudflare_list` of kind `ip`) and its items. */
export interface IpList {
  readonly name: string;
  readonly accountId: Resolvable<string>;
  readonly items: readonly string[];
  readonly source?: SourceRef;
}
