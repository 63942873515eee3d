import type { LiveUnread } from "../model/zone.js";
import { ORIGIN_PULL_REQUESTS } from "./origin-pulls.js";

/**
 * How many requests a live read may spend: `perZone` for each zone on average, plus `fixed` for the
 * reads that do not grow with the zones (Cloudflare's ranges, the zone listing, tunnels, IP lists).
 */
export interface RequestBudget {
  readonly perZone: number;
  readonly fixed: number;
}

/**
 * Issue 13: `check` reads at most 3 requests per zone on average, plus a fixed number, so a
 * 1,000-zone account stays well inside the API's 1,200 requests per 5 minutes per user, which the
 * dashboard and Terraform share (limit checked 2026-11-30). The fixed 20 lets a check of a few
 * zones read everything (every optional read of three zones, with their tunnels).
 */
export const CHECK_REQUEST_BUDGET: RequestBudget = { perZone: 3, fixed: 20 };

/** Read everything, whatever it costs (tests, and callers that know the account is small). */
export const UNLIMITED_REQUEST_BUDGET: RequestBudget = {
  perZone: Number.POSITIVE_INFINITY,
  fixed: Number.POSITIVE_INFINITY,
};

/** Why a read was left out by the budget, for `LiveState.unread` and the progress line. */
export function budgetReason(budget: RequestBudget): string {
  return `not read: the request budget (${budget.perZone} per zone on average, plus ${budget.fixed}) went to the reads every check needs`;
}

/** Why a read was left out by the read's ceiling of requests (`maxRequests`). */
export const CEILING_REASON = "not read: the read's ceiling of requests was reached";

/** Why a read was left out by the read's pace: it would have had to wait past the deadline. */
export function paceReason(share: number): string {
  return `not read: at --api-share ${share} the read's pace leaves no room for it within --api-timeout`;
}

/** Why a read was left out of a read that computes drift only. */
export const DRIFT_ONLY_REASON = "not read: drift compares records and settings only";

/**
 * Issue 13: `drift` reads 2 requests per zone (records and SSL mode) plus a fixed number: the
 * zones listed once (one page per 50 zones), Cloudflare's ranges, the IP lists.
 */
export const DRIFT_REQUEST_BUDGET: RequestBudget = { perZone: 2, fixed: 20 };

/** The most requests a read of `zones` zones may send under `budget`. */
export function requestLimit(zones: number, budget: RequestBudget): number {
  return budget.perZone * zones + budget.fixed;
}

/** `GET /zones/{id}/pagerules`: one request, the list is not paged. */
export const PAGE_RULE_REQUESTS = 1;

/** What the planner knows of a zone once its records are read. */
export interface OptionalReadCandidate {
  readonly zone: string;
  /** At least one proxied record: Page Rules and AOP act on this zone's traffic now. */
  readonly proxied: boolean;
  /** `meta.page_rule_quota` is 0: the zone cannot have a page rule, nothing to read. */
  readonly noPageRules: boolean;
}

export interface OptionalReadPlan {
  /** Per zone (same order as the candidates): read its page rules / its AOP. */
  readonly pageRules: readonly boolean[];
  readonly originPulls: readonly boolean[];
  readonly unread: readonly LiveUnread[];
}

/**
 * The reads that are worth doing but not at any price, planned within what the budget has left
 * after the reads every check needs (records, SSL mode, rulesets, tunnels, lists): first the Page
 * Rules of zones with proxied records (they can change the SSL mode of every proxied hostname), then
 * their Authenticated Origin Pulls (they matter only where an origin asks for a client certificate),
 * then the same for zones whose records are all DNS-only today (the rules would apply once a record
 * is proxied). Zones in the order asked. Whatever does not fit is listed as unread with the reason,
 * so the edge model answers "unknown" instead of taking it as empty. Pure.
 */
export function planOptionalReads(
  candidates: readonly OptionalReadCandidate[],
  available: number,
  why = "not read: the request budget went to the reads every check needs",
): OptionalReadPlan {
  const pageRules = candidates.map(() => false);
  const originPulls = candidates.map(() => false);
  let left = available;
  for (const proxied of [true, false]) {
    candidates.forEach((c, i) => {
      if (c.proxied !== proxied || c.noPageRules || left < PAGE_RULE_REQUESTS) return;
      left -= PAGE_RULE_REQUESTS;
      pageRules[i] = true;
    });
    candidates.forEach((c, i) => {
      if (c.proxied !== proxied || left < ORIGIN_PULL_REQUESTS) return;
      left -= ORIGIN_PULL_REQUESTS;
      originPulls[i] = true;
    });
  }
  const unread = candidates.flatMap((c, i): LiveUnread[] => [
    ...(!pageRules[i] && !c.noPageRules ? [{ zone: c.zone, what: "pageRules" as const, why }] : []),
    ...(!originPulls[i] ? [{ zone: c.zone, what: "originPulls" as const, why }] : []),
  ]);
  return { pageRules, originPulls, unread };
}
