import type { ConfigRule } from "../model/edge-rules.js";
import { unresolved } from "../model/value.js";
import { apiText } from "./api-text.js";
import { toSslMode } from "./ssl-value.js";

/** A rule of the `http_config_settings` entrypoint, as far as the reader looks at it. */
export interface ApiConfigRule {
  readonly action?: string;
  readonly expression?: string;
  readonly enabled?: boolean;
  readonly description?: string;
  readonly action_parameters?: { readonly ssl?: string };
}

/**
 * The Configuration Rules that set the SSL/TLS mode (`set_config` with `action_parameters.ssl`), as
 * the shared `ConfigRule` model; rules that set other things do not change how the edge reaches the
 * origin and are left out. A mode the checker does not know is kept as an unresolved value, so the
 * hostnames the rule matches are "unknown" rather than judged under a guessed mode. `secret` keeps
 * the token out of the quoted value.
 */
export function toConfigRules(rules: readonly ApiConfigRule[], secret?: string): ConfigRule[] {
  return rules.flatMap((rule) => {
    const value = rule.action_parameters?.ssl;
    if (rule.action !== "set_config" || typeof rule.expression !== "string" || value === undefined) return [];
    const mode = toSslMode(value);
    return [
      {
        expression: rule.expression,
        ssl:
          mode ?? unresolved(`SSL/TLS mode "${apiText(value, secret, 40)}" that cf-preflight does not know`),
        enabled: rule.enabled ?? true,
        ...(rule.description ? { description: rule.description } : {}),
      },
    ];
  });
}
