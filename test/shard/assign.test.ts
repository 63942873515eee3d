import { describe, expect, it } from "vitest";
import type { ProbeTarget } from "../../checks/probe/result.js";
import { selectShard, shardKey, shardOf, targetsDigest } from "../../checks/shard/assign.js";

/** A seeded generator (mulberry32), so a failing property can be replayed. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle<T>(list: readonly T[], next: () => number): T[] {
  const out = [...list];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(next() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/** Varied targets: several zones, IPv4, IPv6 and CNAME origins, ports and schemes. */
function targets(count: number, offset = 0, seed = 1): ProbeTarget[] {
  const next = random(seed);
  return Array.from({ length: count }, (_, n) => {
    const i = n + offset;
    const zone = `zone${i % 7}.example`;
    const kind = Math.floor(next() * 3);
    const origin =
      kind === 0
        ? { kind: "ip" as const, address: `198.18.${(i >> 8) & 255}.${i & 255}`, family: 4 as const }
        : kind === 1
          ? { kind: "ip" as const, address: `2001:2::${i.toString(16)}`, family: 6 as const }
          : { kind: "name" as const, name: `origin${i}.example.net` };
    const https = next() < 0.7;
    return {
      zone,
      hostname: `host${i}.${zone}`,
      recordType: kind === 0 ? "A" : kind === 1 ? "AAAA" : "CNAME",
      origin,
      port: https ? 443 : 80,
      scheme: https ? "https" : "http",
      sslMode: https ? "strict" : "flexible",
      sni: `host${i}.${zone}`,
      hostHeader: `host${i}.${zone}`,
      certificate: https ? "enforce" : "none",
    } satisfies ProbeTarget;
  });
}

function assignment(list: readonly ProbeTarget[], count: number): Map<string, number> {
  return new Map(list.map((t) => [shardKey(t), shardOf(shardKey(t), count)]));
}

describe("shard assignment (rendezvous hashing on the target's identity)", () => {
  const all = targets(10_000);

  it("is a partition: every target in exactly one shard, the shards together the whole plan", () => {
    for (const count of [1, 2, 3, 8, 13]) {
      const shards = Array.from({ length: count }, (_, k) => selectShard(all, { index: k + 1, count }));
      const seen = new Map<string, number>();
      for (const { targets: mine } of shards)
        for (const t of mine) seen.set(shardKey(t), (seen.get(shardKey(t)) ?? 0) + 1);
      expect(seen.size).toBe(all.length);
      expect([...seen.values()].every((n) => n === 1)).toBe(true);
      expect(shards.reduce((n, s) => n + s.shard.targets, 0)).toBe(all.length);
      for (const s of shards) {
        expect(s.shard.totalTargets).toBe(all.length);
        expect(s.shard.targetsDigest).toBe(shards[0]!.shard.targetsDigest);
      }
    }
  });

  it("is a partition for 64 shards too: each target's shard is one of 1..64, every shard used", () => {
    const shards = [...assignment(all, 64).values()];
    expect(shards.every((k) => Number.isInteger(k) && k >= 1 && k <= 64)).toBe(true);
    expect(new Set(shards).size).toBe(64);
  });

  it("spreads targets evenly (every one of 8 shards within 10% of 1,250)", () => {
    const sizes = Array.from(
      { length: 8 },
      (_, k) => selectShard(all, { index: k + 1, count: 8 }).shard.targets,
    );
    for (const size of sizes) expect(Math.abs(size - 1250)).toBeLessThan(125);
  });

  it("does not depend on the order of the plan", () => {
    const before = assignment(all, 8);
    for (const seed of [2, 3, 4]) {
      const shuffled = shuffle(all, random(seed));
      expect(assignment(shuffled, 8)).toEqual(before);
      // The digest of the whole set does not depend on order either.
      expect(targetsDigest(shuffled)).toBe(targetsDigest(all));
    }
  });

  it("moves no target when unrelated targets are added, and changes the digest", () => {
    const before = assignment(all, 8);
    const grown = [...all, ...targets(2_000, 10_000, 9)];
    const after = assignment(grown, 8);
    let moved = 0;
    for (const [key, shard] of before) if (after.get(key) !== shard) moved++;
    expect(moved).toBe(0);
    expect(targetsDigest(grown)).not.toBe(targetsDigest(all));
  });

  it("moves only the targets the new shard wins when the count grows (about 1 in N+1)", () => {
    for (const count of [4, 8, 16]) {
      const before = assignment(all, count);
      const after = assignment(all, count + 1);
      let moved = 0;
      for (const [key, shard] of before) {
        const now = after.get(key)!;
        if (now !== shard) {
          moved++;
          // Every target that moves goes to the new shard.
          expect(now).toBe(count + 1);
        }
      }
      const expected = all.length / (count + 1);
      expect(Math.abs(moved - expected)).toBeLessThan(expected * 0.15);
    }
  });

  it("names a target by zone, hostname, origin, port and scheme, case-blind, and nothing else", () => {
    const [t] = targets(1);
    const same = {
      ...t!,
      zone: t!.zone.toUpperCase(),
      hostname: t!.hostname.toUpperCase(),
      notes: ["planned elsewhere"],
    };
    expect(shardKey(same)).toBe(shardKey(t!));
    expect(shardKey({ ...t!, port: 8443 })).not.toBe(shardKey(t!));
    expect(shardKey({ ...t!, scheme: t!.scheme === "https" ? "http" : "https" })).not.toBe(shardKey(t!));
  });

  it("gives the same answers on every machine (known answers, pure integer arithmetic)", () => {
    const key = JSON.stringify(["example.com", "www.example.com", "203.0.113.10", 443, "https"]);
    expect(shardOf(key, 1)).toBe(1);
    // Pinned: a change to the hash would re-split every team's matrix between two versions.
    expect([2, 3, 8, 64].map((n) => shardOf(key, n))).toEqual([1, 1, 7, 57]);
  });
});
