import { hostnamesOfExpression, type OriginRule } from "../model/origin-rule.js";

/** A rule of the `http_request_origin` entrypoint, as far as the reader looks at it. */
export interface ApiOriginRule {
  readonly action?: string;
  readonly expression?: string;
  readonly enabled?: boolean;
  readonly action_parameters?: { readonly origin?: { readonly host?: string; readonly port?: number } };
}

/** Route rules of the entrypoint as the shared `OriginRule` model; other actions are skipped. */
export function toOriginRules(rules: readonly ApiOriginRule[]): OriginRule[] {
  return rules
    .filter((rule) => rule.action === "route" && typeof rule.expression === "string")
    .map((rule) => {
      const origin = rule.action_parameters?.origin;
      const expression = rule.expression!;
      return {
        expression,
        hostnames: hostnamesOfExpression(expression),
        enabled: rule.enabled ?? true,
        ...(origin?.port === undefined ? {} : { port: origin.port }),
        ...(origin?.host === undefined ? {} : { host: origin.host }),
      };
    });
}
