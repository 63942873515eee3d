import type { IPListResponse } from "cloudflare/resources/ips/ips";
import { CLOUDFLARE_RANGES_SNAPSHOT } from "../data/cloudflare-ips.js";

/**
 * Cloudflare's published ranges as the emulator answers `GET /ips` by default: the bundled
 * snapshot of ../shared/cloudflare-ips.json (captured 2026; checked 2026-11-21). A test
 * keeps the two equal. The live `/ips` is authoritative; this is only the emulator's default.
 */
export const DEFAULT_IPS: IPListResponse.PublicIPIPs = {
  ipv4_cidrs: [...CLOUDFLARE_RANGES_SNAPSHOT.ipv4],
  ipv6_cidrs: [...CLOUDFLARE_RANGES_SNAPSHOT.ipv6],
  etag: "emulator-snapshot-2026",
};
