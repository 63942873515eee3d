/**
 * The API token permissions (as the dashboard names them) that guard each endpoint the emulator
 * serves, so tests can simulate a token lacking one. Names checked 2026-11-21.
 */
export const PERMISSIONS = [
  "Zone Read",
  "DNS Read",
  "DNS Write",
  "Zone Settings Read",
  "Zone Settings Write",
  "Origin Read",
  "Config Settings Read",
  "Page Rules Read",
  "SSL and Certificates Read",
  "Cloudflare Tunnel Read",
  "Account Filter Lists Read",
] as const;
export type Permission = (typeof PERMISSIONS)[number];

/** A token the emulator accepts and what it may do. */
export interface TokenGrant {
  readonly token: string;
  readonly permissions: readonly Permission[];
}
