import type { RecordInput } from "../../checks/emulator/seed.js";

/** `count` distinct A records (addresses in 198.18.0.0/15, the benchmarking range), every 7th proxied. */
export function manyRecords(count: number, prefix = "h"): RecordInput[] {
  return Array.from({ length: count }, (_, i) => ({
    name: `${prefix}${i}`,
    type: "A" as const,
    content: `198.${18 + ((i >> 16) & 1)}.${(i >> 8) & 255}.${i & 255}`,
    proxied: i % 7 === 0,
    ttl: 300,
  }));
}

export const TOKEN = "tok-SECRET-123";
