import { NotFoundError } from "cloudflare/core/error";
import type { z } from "zod";
import type { ConfigRule } from "../model/edge-rules.js";
import type { OriginRule } from "../model/origin-rule.js";
import { ApiAnswerError } from "./answer-error.js";
import { type ApiConfigRule, toConfigRules } from "./config-rules.js";
import { configEntrypointSchema, rulesetListItemSchema, rulesetsCursorSchema } from "./edge-schemas.js";
import { ENTRYPOINT_NOT_FOUND_CODE, MAX_PAGES_PER_LIST } from "./limits.js";
import { type ApiOriginRule, toOriginRules } from "./origin-rules.js";
import { type ReadPolicy, type ReadTarget, verifyError, withRetries } from "./retry.js";
import { originEntrypointSchema, parseAnswer, parseAnswerList } from "./schemas.js";
import type { ReadSdk } from "./sdk.js";
import type { Zone } from "./zone.js";

/** The two phases whose zone entry points decide how the edge reaches an origin. */
export const ORIGIN_PHASE = "http_request_origin";
export const CONFIG_PHASE = "http_config_settings";
export type EdgePhase = typeof ORIGIN_PHASE | typeof CONFIG_PHASE;

/** A zone's own (entry point) rulesets have kind `zone`; managed and custom rulesets are executed from them. */
const ZONE_KIND = "zone";

type RulesetItem = z.infer<typeof rulesetListItemSchema>;

interface RulesetsPage {
  readonly items: readonly RulesetItem[];
  readonly cursor: string | undefined;
}

/**
 * The phases in which the zone has an entry point ruleset, from one list of its rulesets
 * (`GET /zones/{id}/rulesets`, cursor pagination): an entry point is then read only where it exists,
 * instead of asking for each phase and being told 404. A page that is empty yet names a next cursor,
 * or a list that never ends, is not an answer.
 */
export async function readRulesetPhases(
  sdk: ReadSdk,
  zone: Zone,
  policy: ReadPolicy,
): Promise<ReadonlySet<string>> {
  const endpoint = `/zones/${zone.id}/rulesets`;
  const target = { kind: "rulesets", what: `the rulesets of zone ${zone.name}`, endpoint } as const;
  const fetchPage = (cursor: string | undefined) =>
    withRetries(target, policy, async (): Promise<RulesetsPage> => {
      const page = await sdk.rulesets.list({ zone_id: zone.id, ...(cursor ? { cursor } : {}) });
      const items = parseAnswerList(rulesetListItemSchema, page.result, endpoint, "result");
      const info = parseAnswer(rulesetsCursorSchema, page.result_info, endpoint, "result_info");
      const next = info?.cursor || undefined;
      if (items.length === 0 && next !== undefined)
        throw new ApiAnswerError(endpoint, "a page is empty but names a next cursor");
      return { items, cursor: next };
    });
  const phases = new Set<string>();
  let page = await fetchPage(undefined);
  for (let pages = 1; ; pages++) {
    for (const item of page.items) if (item.kind === ZONE_KIND) phases.add(item.phase);
    if (page.cursor === undefined) return phases;
    if (pages >= MAX_PAGES_PER_LIST) {
      throw verifyError(
        policy,
        `could not read ${target.what}: ${new ApiAnswerError(endpoint, `still naming a next cursor after ${pages} pages`).message}`,
      );
    }
    policy.ledger?.expect(1);
    page = await fetchPage(page.cursor);
  }
}

/**
 * The rules of the zone's entry point in `phase`; Cloudflare's "no entry point" 404 (code 10003)
 * means none, any other 404 (a proxy's page, a wrong path) is not an answer.
 */
async function readEntrypoint<S extends z.ZodType<{ rules: unknown[] }>>(
  sdk: ReadSdk,
  zone: Zone,
  phase: EdgePhase,
  schema: S,
  target: ReadTarget,
  policy: ReadPolicy,
): Promise<z.infer<S>["rules"]> {
  return withRetries(target, policy, async () => {
    let ruleset: unknown;
    try {
      ruleset = await sdk.rulesets.phases.get(phase, { zone_id: zone.id });
    } catch (error) {
      if (error instanceof NotFoundError && error.errors.some((e) => e.code === ENTRYPOINT_NOT_FOUND_CODE))
        return [];
      throw error;
    }
    return parseAnswer(schema, ruleset, target.endpoint, "result").rules;
  });
}

function entrypointPath(zone: Zone, phase: EdgePhase): string {
  return `/zones/${zone.id}/rulesets/phases/${phase}/entrypoint`;
}

/** Route rules of the zone's `http_request_origin` entry point. */
export async function readOriginRules(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<OriginRule[]> {
  const endpoint = entrypointPath(zone, ORIGIN_PHASE);
  const target = { kind: "originRules", what: `the origin rules of zone ${zone.name}`, endpoint } as const;
  const rules = await readEntrypoint(sdk, zone, ORIGIN_PHASE, originEntrypointSchema, target, policy);
  return toOriginRules(rules as readonly ApiOriginRule[]);
}

/** `set_config` rules with an SSL/TLS mode, from the zone's `http_config_settings` entry point. */
export async function readConfigRules(sdk: ReadSdk, zone: Zone, policy: ReadPolicy): Promise<ConfigRule[]> {
  const endpoint = entrypointPath(zone, CONFIG_PHASE);
  const target = {
    kind: "configRules",
    what: `the configuration rules of zone ${zone.name}`,
    endpoint,
  } as const;
  const rules = await readEntrypoint(sdk, zone, CONFIG_PHASE, configEntrypointSchema, target, policy);
  return toConfigRules(rules as readonly ApiConfigRule[], policy.token);
}

/** Origin and configuration rules of a zone: one list of its rulesets, then only the entry points it has. */
export async function readEdgeRules(
  sdk: ReadSdk,
  zone: Zone,
  policy: ReadPolicy,
): Promise<{ originRules: OriginRule[]; configRules: ConfigRule[] }> {
  const phases = await readRulesetPhases(sdk, zone, policy);
  policy.ledger?.expect((phases.has(ORIGIN_PHASE) ? 1 : 0) + (phases.has(CONFIG_PHASE) ? 1 : 0));
  const [originRules, configRules] = await Promise.all([
    phases.has(ORIGIN_PHASE) ? readOriginRules(sdk, zone, policy) : [],
    phases.has(CONFIG_PHASE) ? readConfigRules(sdk, zone, policy) : [],
  ]);
  return { originRules, configRules };
}
