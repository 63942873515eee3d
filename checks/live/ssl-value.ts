import { isSslMode, type SslMode } from "../model/ssl-mode.js";

/**
 * An SSL/TLS mode as the API spells it (zone setting `ssl`, a configuration rule's
 * `action_parameters.ssl`, a page rule's `ssl` action) in the model's terms, or undefined for a value
 * the checker does not know. `origin_pull` (Enterprise "Strict (SSL-Only Origin Pull)") always
 * validates the origin certificate, like `strict` (checked 2026-11-30).
 */
export function toSslMode(value: unknown): SslMode | undefined {
  if (value === "origin_pull") return "strict";
  return isSslMode(value) ? value : undefined;
}
