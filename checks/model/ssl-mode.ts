/** The zone SSL/TLS encryption modes, as the API's `settings/ssl` value spells them. */
export const SSL_MODES = ["off", "flexible", "full", "strict"] as const;
export type SslMode = (typeof SSL_MODES)[number];

export function isSslMode(value: unknown): value is SslMode {
  return typeof value === "string" && (SSL_MODES as readonly string[]).includes(value);
}

/** The scheme Cloudflare uses towards the origin in a mode (`off` and `flexible` speak HTTP). */
export function originSchemeFor(mode: SslMode): "http" | "https" {
  return mode === "off" || mode === "flexible" ? "http" : "https";
}

/** The origin port Cloudflare connects to when no origin rule overrides it. */
export function defaultOriginPort(mode: SslMode): number {
  return originSchemeFor(mode) === "http" ? 80 : 443;
}
