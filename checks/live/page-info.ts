import { MAX_PAGES_PER_LIST } from "./limits.js";
import type { PageInfo } from "./schemas.js";

/**
 * Consistency of page-number lists (`result_info` of `GET /zones/{id}/dns_records` and `GET
 * /zones`): the reader follows `total_pages`, so it must add up. Pure; each function returns what
 * is wrong, or undefined.
 */

/** The pages `total_count` items fill at `per_page`; an empty list may say 0 pages or 1. */
export function pagesFor(totalCount: number, perPage: number): number {
  return Math.ceil(totalCount / perPage);
}

/**
 * The first page's promise checked before any other page is asked for: `total_pages` agrees with
 * `total_count` and `per_page` (a `total_pages` that keeps growing fails here at once), and the list
 * fits under the ceiling of pages per list.
 */
export function planProblem(first: PageInfo): string | undefined {
  const expected = pagesFor(first.total_count, first.per_page);
  const emptyOk = first.total_count === 0 && first.total_pages <= 1;
  if (first.total_pages !== expected && !emptyOk) {
    return `result_info.total_pages is ${first.total_pages}, but total_count ${first.total_count} at per_page ${first.per_page} makes ${expected}`;
  }
  if (expected > MAX_PAGES_PER_LIST) {
    return `total_count ${first.total_count} at per_page ${first.per_page} would take ${expected} pages, more than the ${MAX_PAGES_PER_LIST} the reader asks for one list`;
  }
  return undefined;
}

/**
 * One page checked against the first page's promise: the page asked for, `count` equal to the
 * items on it, the same `per_page`, every page before the last full (an empty page in the middle
 * would silently drop records), and on the last page the items read adding up to `total_count`.
 * A change of `total_count` is not checked here: that is the zone changing (read again).
 */
export function pageProblem(
  info: PageInfo,
  first: PageInfo,
  expectedPage: number,
  itemsOnPage: number,
  itemsBefore: number,
): string | undefined {
  if (info.page !== expectedPage) return `asked for page ${expectedPage}, the answer is page ${info.page}`;
  if (info.count !== undefined && info.count !== itemsOnPage)
    return `result_info.count is ${info.count} on page ${info.page}, but the page holds ${itemsOnPage} items`;
  if (info.per_page !== first.per_page)
    return `result_info.per_page changed from ${first.per_page} to ${info.per_page} on page ${info.page}`;
  if (info.total_pages !== first.total_pages)
    return `result_info.total_pages changed from ${first.total_pages} to ${info.total_pages} on page ${info.page} while total_count stayed ${info.total_count}`;
  const lastPage = Math.max(1, first.total_pages);
  if (info.page > lastPage)
    return `page ${info.page} is past the last page (total_pages ${first.total_pages})`;
  if (info.page < lastPage && itemsOnPage !== info.per_page) {
    return itemsOnPage === 0
      ? `page ${info.page} of ${lastPage} is empty although total_count is ${info.total_count}`
      : `page ${info.page} of ${lastPage} holds ${itemsOnPage} items where per_page ${info.per_page} were promised`;
  }
  if (info.page === lastPage && itemsBefore + itemsOnPage !== info.total_count) {
    return `read ${itemsBefore + itemsOnPage} items in ${lastPage} pages, but total_count is ${info.total_count}`;
  }
  return undefined;
}
