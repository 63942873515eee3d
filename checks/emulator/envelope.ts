import type { ErrorData } from "cloudflare/resources/shared";

/** `result_info` of page-number lists (`V4PagePaginationArray`). */
export interface PageResultInfo {
  readonly page: number;
  readonly per_page: number;
  readonly count: number;
  readonly total_count: number;
  readonly total_pages: number;
}

/** `result_info` of cursor lists (`CursorPaginationAfter`). */
export interface CursorResultInfo {
  readonly cursors: { readonly after?: string; readonly before?: string };
}

/** The v4 envelope every JSON answer of the API is wrapped in. */
export interface Envelope<T> {
  readonly success: boolean;
  readonly errors: readonly ErrorData[];
  readonly messages: readonly ErrorData[];
  readonly result: T;
  readonly result_info?: PageResultInfo | CursorResultInfo;
}

export function success<T>(result: T, resultInfo?: PageResultInfo | CursorResultInfo): Envelope<T> {
  return resultInfo === undefined
    ? { success: true, errors: [], messages: [], result }
    : { success: true, errors: [], messages: [], result, result_info: resultInfo };
}

export function failure(errors: readonly ErrorData[]): Envelope<null> {
  return { success: false, errors, messages: [], result: null };
}

export function pageInfo(page: number, perPage: number, count: number, totalCount: number): PageResultInfo {
  return {
    page,
    per_page: perPage,
    count,
    total_count: totalCount,
    total_pages: Math.ceil(totalCount / perPage),
  };
}

/** A failure the router answers: HTTP status, Cloudflare's error list, extra headers. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly errors: readonly ErrorData[],
    readonly headers: Readonly<Record<string, string>> = {},
  ) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join("; "));
  }
}
