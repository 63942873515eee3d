import { hostname } from "node:os";
import { UsageError } from "../errors.js";
import { quote } from "../printable.js";

/** `--shard K/N`: this run probes shard K (1-based) of N. */
export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** The most shards a run may be split into: far more than any CI matrix runs at once. */
export const MAX_SHARDS = 256;

/** The whole run, unsplit. */
export const WHOLE_RUN: ShardSpec = { index: 1, count: 1 };

/** Parse `K/N` (1 ≤ K ≤ N ≤ 256); throws UsageError (exit 2) saying what was expected. */
export function parseShardSpec(raw: string): ShardSpec {
  const match = /^(\d{1,4})\/(\d{1,4})$/.exec(raw.trim());
  const index = match ? Number(match[1]) : Number.NaN;
  const count = match ? Number(match[2]) : Number.NaN;
  if (!match || index < 1 || count < 1 || index > count || count > MAX_SHARDS)
    throw new UsageError(
      `--shard: expected K/N, shard K of N with 1 ≤ K ≤ N ≤ ${MAX_SHARDS} (e.g. 2/8), got ${quote(raw)}`,
    );
  return { index, count };
}

/** Letters, digits and `.`, `_`, `-`, `:`, starting with a letter or digit: safe in every format. */
const VANTAGE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/;

/** `--vantage-name NAME`, checked; throws UsageError (exit 2). */
export function parseVantageName(raw: string): string {
  if (!VANTAGE_NAME.test(raw))
    throw new UsageError(
      `--vantage-name: expected 1 to 63 letters, digits, ".", "_", "-" or ":", starting with a letter or digit, got ${quote(raw)}`,
    );
  return raw;
}

/** The default vantage name: this machine's host name, made safe (other characters become "-"). */
export function defaultVantageName(name: string = hostname()): string {
  const safe = name
    .replace(/[^A-Za-z0-9._:-]/g, "-")
    .replace(/^[^A-Za-z0-9]+/, "")
    .slice(0, 63);
  return safe === "" ? "unnamed" : safe;
}
