import type { ItemListResponsesCursorPaginationAfter } from "cloudflare/resources/rules/lists/items";
import type { z } from "zod";
import type { IpList } from "../model/ip-list.js";
import { ApiAnswerError } from "./answer-error.js";
import { apiText } from "./api-text.js";
import { LIST_ITEMS_PAGE_SIZE, MAX_PAGES_PER_LIST, PERMISSION_FOR } from "./limits.js";
import { type ReadPolicy, verifyError, withRetries } from "./retry.js";
import { cursorInfoSchema, ipListItemsSchema, listsSchema, parseAnswer } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";

export interface ListRequest {
  readonly accountId: string;
  readonly name: string;
}

type ListsList = z.infer<typeof listsSchema>[number];

interface CheckedItemsPage {
  readonly page: ItemListResponsesCursorPaginationAfter;
  readonly ips: readonly string[];
  readonly next: string | undefined;
}

/**
 * The items of one IP list (cursor pagination). Every item must carry its `ip`; a page may be empty
 * only when it is the last; the pages asked for are capped by the list's `num_items`.
 */
async function readItems(
  sdk: ReadSdk,
  accountId: string,
  list: ListsList,
  policy: ReadPolicy,
): Promise<string[]> {
  const endpoint = `/accounts/${accountId}/rules/lists/${list.id}/items`;
  const target = { kind: "ipLists", what: `the items of account IP list ${list.name}`, endpoint } as const;
  const fetchPage = (request: () => Promise<ItemListResponsesCursorPaginationAfter>) =>
    withRetries(target, policy, async (): Promise<CheckedItemsPage> => {
      const page = await request();
      const items = parseAnswer(ipListItemsSchema, page.result, endpoint, "result");
      const info = parseAnswer(cursorInfoSchema, page.result_info, endpoint, "result_info");
      const next = info?.cursors?.after || undefined;
      if (items.length === 0 && next !== undefined)
        throw new ApiAnswerError(endpoint, "a page is empty but names a next cursor");
      return { page, ips: items.map((item) => item.ip), next };
    });
  // One page more than `num_items` needs, for a list that grew while being read (caught below).
  const maxPages = Math.min(MAX_PAGES_PER_LIST, Math.ceil(list.num_items / LIST_ITEMS_PAGE_SIZE) + 1);
  let current = await fetchPage(() =>
    sdk.rules.lists.items.list(list.id, { account_id: accountId, per_page: LIST_ITEMS_PAGE_SIZE }),
  );
  const items: string[] = [...current.ips];
  for (let pages = 1; current.next !== undefined; pages++) {
    if (pages >= maxPages) {
      throw verifyError(
        policy,
        `could not read ${target.what}: ${new ApiAnswerError(endpoint, `still naming a next page after ${pages} pages for ${list.num_items} items`).message}`,
      );
    }
    const previous = current.page;
    policy.ledger?.expect(1);
    current = await fetchPage(() => previous.getNextPage());
    items.push(...current.ips);
  }
  return items;
}

/**
 * The account IP lists the stack declares, with their items. A list whose item count does not match
 * what was read, or that repeats an item, changed while being read: that fails.
 */
export async function readIpLists(
  sdk: ReadSdk,
  requests: readonly ListRequest[],
  policy: ReadPolicy,
): Promise<IpList[]> {
  const byAccount = new Map<string, readonly ListsList[]>();
  const out: IpList[] = [];
  for (const request of requests) {
    let lists = byAccount.get(request.accountId);
    if (!lists) {
      const endpoint = `/accounts/${request.accountId}/rules/lists`;
      const target = {
        kind: "ipLists",
        what: `the IP lists of account ${request.accountId}`,
        endpoint,
      } as const;
      lists = await withRetries(target, policy, async () => {
        const page = await sdk.rules.lists.list({ account_id: request.accountId });
        return parseAnswer(listsSchema, page.result, endpoint, "result");
      });
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
      throw verifyError(
        policy,
        `account list ${request.name} is a ${apiText(list.kind, policy.token)} list, not an IP list`,
      );
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
