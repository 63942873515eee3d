import type Cloudflare from "cloudflare";
import type { ListsList } from "cloudflare/resources/rules/lists/lists";
import type { IpList } from "../model/ip-list.js";
import { LIST_ITEMS_PAGE_SIZE, PERMISSION_FOR } from "./limits.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";

export interface ListRequest {
  readonly accountId: string;
  readonly name: string;
}

async function readItems(
  sdk: Cloudflare,
  accountId: string,
  list: ListsList,
  policy: ReadPolicy,
): Promise<string[]> {
  const target = { kind: "ipLists", what: `the items of account IP list ${list.name}` } as const;
  let page = await withRetries(target, policy, () =>
    sdk.rules.lists.items.list(list.id, { account_id: accountId, per_page: LIST_ITEMS_PAGE_SIZE }),
  );
  const items: string[] = [];
  for (;;) {
    for (const item of page.result) if ("ip" in item && typeof item.ip === "string") items.push(item.ip);
    if (!page.hasNextPage()) break;
    const previous = page;
    page = await withRetries(target, policy, () => previous.getNextPage());
  }
  return items;
}

/**
 * The account IP lists the stack declares, with their items (cursor pagination). A list whose item
 * count does not match what was read, or that repeats an item, changed while being read: that fails.
 */
export async function readIpLists(
  sdk: Cloudflare,
  requests: readonly ListRequest[],
  policy: ReadPolicy,
): Promise<IpList[]> {
  const byAccount = new Map<string, ListsList[]>();
  const out: IpList[] = [];
  for (const request of requests) {
    let lists = byAccount.get(request.accountId);
    if (!lists) {
      const target = { kind: "ipLists", what: `the IP lists of account ${request.accountId}` } as const;
      const page = await withRetries(target, policy, () =>
        sdk.rules.lists.list({ account_id: request.accountId }),
      );
      lists = page.result;
      byAccount.set(request.accountId, lists);
    }
    const list = lists.find((l) => l.name === request.name);
    if (!list) {
      throw verifyError(
        policy,
        `account IP list ${request.name} was not found in account ${request.accountId}`,
        `Check the list name, and that the token has "${PERMISSION_FOR.ipLists}" on the account.`,
      );
    }
    if (list.kind !== "ip") {
      throw verifyError(policy, `account list ${request.name} is a ${list.kind} list, not an IP list`);
    }
    const items = await readItems(sdk, request.accountId, list, policy);
    if (items.length !== list.num_items || new Set(items).size !== items.length) {
      throw verifyError(
        policy,
        `account IP list ${request.name} changed while being read (${items.length} items read, ${list.num_items} listed)`,
        "Run again when nobody is editing the list.",
      );
    }
    out.push({ name: list.name, accountId: request.accountId, items });
  }
  return out;
}
