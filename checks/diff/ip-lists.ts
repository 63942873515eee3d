import type { FirewallDrift } from "../model/change.js";
import type { IpList } from "../model/ip-list.js";
import { known } from "../model/value.js";
import { isCidr, normalizeSet } from "./cidr-set.js";

/**
 * Account IP lists (Cloudflare-side allowlists) the code declares against the live ones, matched by
 * name (and account, when both sides know it). Items compare as canonical CIDRs, so `192.0.2.1`
 * equals `192.0.2.1/32` and `2001:DB8::/32` equals `2001:db8::/32`. `list-missing`: declared items
 * the live list lacks (or the whole list when it does not exist); `list-extra`: live items the code
 * does not declare. Live lists the code does not declare are not the code's and are ignored.
 */
export function diffIpLists(desired: readonly IpList[], live: readonly IpList[]): FirewallDrift[] {
  const drifts: FirewallDrift[] = [];
  for (const list of desired) {
    const account = known(list.accountId);
    const found = live.find(
      (candidate) =>
        candidate.name === list.name &&
        (account === undefined ||
          known(candidate.accountId) === undefined ||
          known(candidate.accountId) === account),
    );
    const liveItems = itemsByKey(found?.items ?? []);
    const desiredItems = itemsByKey(list.items);
    const missing = [...desiredItems].filter(([key]) => !liveItems.has(key)).map(([, item]) => item);
    const extra = [...liveItems].filter(([key]) => !desiredItems.has(key)).map(([, item]) => item);
    if (missing.length > 0 || found === undefined) {
      drifts.push({
        origin: list.name,
        list: list.name,
        kind: "list-missing",
        cidrs: missing.sort(),
        message:
          found === undefined
            ? `account IP list ${list.name} does not exist; the code declares ${missing.length} item(s)`
            : `account IP list ${list.name} lacks ${missing.length} declared item(s)`,
        predicts: null,
      });
    }
    if (extra.length > 0) {
      drifts.push({
        origin: list.name,
        list: list.name,
        kind: "list-extra",
        cidrs: extra.sort(),
        message: `account IP list ${list.name} has ${extra.length} item(s) the code does not declare`,
        predicts: null,
      });
    }
  }
  return drifts;
}

/** Canonical key -> the item as written. */
function itemsByKey(items: readonly string[]): Map<string, string> {
  const byKey = new Map<string, string>();
  for (const item of items) {
    const trimmed = item.trim();
    const key = isCidr(trimmed) ? (normalizeSet([trimmed])[0] ?? trimmed) : trimmed.toLowerCase();
    if (!byKey.has(key)) byKey.set(key, trimmed);
  }
  return byKey;
}
