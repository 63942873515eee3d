import { ApiFailure } from "./envelope.js";
import type { Faults } from "./faults.js";
import { CF_ERROR } from "./limits.js";
import type { Permission } from "./permissions.js";
import type { EmulatorState } from "./state.js";

/** The parts every route handler shares: what it answers, what it is given, small helpers. */

/** What a route answers; the server turns it into bytes. */
export type Answer =
  | { readonly kind: "json"; readonly status: number; readonly body: unknown }
  /** A large JSON body sent as pieces (a page of records), never joined into one string. */
  | { readonly kind: "pieces"; readonly status: number; readonly pieces: readonly string[] }
  | { readonly kind: "text"; readonly status: number; readonly body: string };

export interface ApiRequest {
  readonly method: string;
  /** The path without the `/client/v4` prefix. */
  readonly path: string;
  readonly query: URLSearchParams;
  readonly body: unknown;
}

export interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  /** `undefined`: no token needed (`/ips`). */
  readonly permission: Permission | undefined;
  readonly handle: (ctx: RouteContext, params: readonly string[]) => Answer;
}

export interface RouteContext {
  readonly state: EmulatorState;
  readonly faults: Faults;
  readonly request: ApiRequest;
}

export const json = (body: unknown, status = 200): Answer => ({ kind: "json", status, body });

export function validation(message: string): ApiFailure {
  return new ApiFailure(400, [{ code: CF_ERROR.validation, message }]);
}

/** An integer query parameter within [min, max], or the default. */
export function intParam(
  query: URLSearchParams,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = query.get(name);
  if (raw === null || raw === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw validation(`${name} must be an integer between ${min} and ${max}`);
  }
  return value;
}
