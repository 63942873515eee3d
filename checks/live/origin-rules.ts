import { hostnamesOfExpression, type OriginRule, unmodelledRouteParameters } from "../model/origin-rule.js";

/** A rule of the `http_request_origin` entrypoint, as far as the reader looks at it. */
export interface ApiOriginRule {
  readonly action?: string;
  readonly expression?: string;
  readonly enabled?: boolean;
  readonly description?: string;
  readonly action_parameters?: {
    readonly origin?: { readonly host?: string; readonly port?: number };
    readonly host_header?: string;
    readonly sni?: { readonly value: string };
  };
}

/**
 * Rules of the entrypoint as the shared `OriginRule` model (origin host and port, the Host header
 * and SNI sent to the origin, the description). A rule with another action, or parameters the
 * checker does not model, is kept with what it does not model, so the hostnames it may match get
 * an unknown route rather than one that leaves it out.
 */
export function toOriginRules(rules: readonly ApiOriginRule[]): OriginRule[] {
  return rules
    .filter((rule) => typeof rule.expression === "string")
    .map((rule) => {
      const parameters = rule.action_parameters;
      const origin = parameters?.origin;
      const expression = rule.expression!;
      const unmodelled = unmodelledRouteParameters(
        rule.action,
        parameters as Readonly<Record<string, unknown>> | undefined,
      );
      return {
        ...(unmodelled !== undefined ? { unmodelled } : {}),
        expression,
        hostnames: hostnamesOfExpression(expression),
        enabled: rule.enabled ?? true,
        ...(origin?.port === undefined ? {} : { port: origin.port }),
        ...(origin?.host === undefined ? {} : { host: origin.host }),
        ...(parameters?.host_header === undefined ? {} : { hostHeader: parameters.host_header }),
        ...(parameters?.sni === undefined ? {} : { sni: parameters.sni.value }),
        ...(rule.description ? { description: rule.description } : {}),
      };
    });
}
