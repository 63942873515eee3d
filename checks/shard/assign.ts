import { createHash } from "node:crypto";
import type { ShardInfo } from "../model/vantage.js";
import type { ProbeTarget } from "../probe/result.js";
import type { ShardSpec } from "./spec.js";

/**
 * A target's identity for sharding: zone, hostname, origin address or name, port and scheme. Never
 * its position in the plan, so the same target gets the same key on every runner and every run,
 * whatever else the plan holds.
 */
export function shardKey(target: ProbeTarget): string {
  const origin = target.origin.kind === "ip" ? target.origin.address : target.origin.name.toLowerCase();
  return JSON.stringify([
    target.zone.toLowerCase(),
    target.hostname.toLowerCase(),
    origin,
    target.port,
    target.scheme,
  ]);
}

/** murmur3's 32-bit finalizer: every input bit moves every output bit. */
function fmix32(h: number): number {
  let x = h >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/**
 * The shard (1-based) a key belongs to, out of `count`: rendezvous (highest random weight)
 * hashing. Each shard scores the key (SHA-256 of the key, mixed with the shard's number) and the
 * highest score wins. The answer depends only on the key and the count: the same on every machine,
 * unchanged when other targets come and go, and when the count grows from N to N+1 only the keys
 * the new shard wins (about 1 in N+1) move.
 */
export function shardOf(key: string, count: number): number {
  if (count <= 1) return 1;
  const digest = createHash("sha256").update(key).digest();
  const a = digest.readUInt32BE(0);
  const b = digest.readUInt32BE(4);
  let best = 1;
  let bestScore = -1;
  for (let shard = 1; shard <= count; shard++) {
    const score = fmix32(a ^ fmix32(b + Math.imul(shard, 0x9e3779b9)));
    if (score > bestScore) {
      best = shard;
      bestScore = score;
    }
  }
  return best;
}

/** What the plan decided about a target besides its key: two runs probing it alike agree on all of it. */
function targetIdentity(target: ProbeTarget): string {
  return `${shardKey(target)} ${JSON.stringify([
    target.recordType,
    target.sslMode ?? null,
    target.certificate,
    target.connectTo ? [target.connectTo.address ?? null, target.connectTo.port] : null,
    target.unknownReason ?? null,
  ])}`;
}

/**
 * `sha256:<hex>` of the whole target set, in no particular order: two runs (or two shards of a
 * run) that planned the same targets the same way carry the same digest.
 */
export function targetsDigest(targets: readonly ProbeTarget[]): string {
  const lines = targets.map(targetIdentity).sort();
  const hash = createHash("sha256");
  for (const line of lines) hash.update(line).update("\n");
  return `sha256:${hash.digest("hex")}`;
}

/**
 * The targets of one shard of the plan, and what the report says about it: which shard, how many
 * targets it probes, how many the whole run has, and the digest of the whole set.
 */
export function selectShard(
  targets: readonly ProbeTarget[],
  spec: ShardSpec,
): { targets: ProbeTarget[]; shard: ShardInfo } {
  const mine =
    spec.count <= 1 ? [...targets] : targets.filter((t) => shardOf(shardKey(t), spec.count) === spec.index);
  return {
    targets: mine,
    shard: {
      index: spec.index,
      count: spec.count,
      targets: mine.length,
      totalTargets: targets.length,
      targetsDigest: targetsDigest(targets),
    },
  };
}
