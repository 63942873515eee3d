import { abortable } from "../abort.js";
import type { Migration, MigrationPolicy } from "../model/migration.js";
import type { Origin } from "../model/origin.js";
import { mapPool } from "../pool.js";
import { CLOUDFLARE_CONNECT_TIMEOUT_MS, DEFAULT_PROBE_CONCURRENCY } from "../probe/limits.js";
import type { ProbeResult, ProbeTarget } from "../probe/result.js";
import type { ProbeOptions } from "../probe/run.js";
import { openConnectionsFor, runProbes } from "../probe/run.js";
import { connectTcp } from "../probe/tcp.js";
import { applyVantage, type ProbeVantage } from "../probe/vantage.js";
import {
  type MigrationParity,
  type ParityPair,
  type PlannedPair,
  type PortOutcome,
  type PortParity,
  planPairs,
  planPorts,
} from "./parity.js";

export interface ParityInput {
  readonly migration: Migration;
  readonly policy: MigrationPolicy;
  readonly oldOrigin?: Origin;
  readonly newOrigin?: Origin;
  readonly firewallExported: boolean;
}

export interface ParityRunOptions extends ProbeOptions {
  readonly vantage: ProbeVantage;
}

interface Request {
  readonly pair: number;
  readonly path: string;
  readonly old: ProbeTarget;
  readonly new: ProbeTarget;
}

/**
 * Compare old and new origins for every migration (I/O): each pair of connections gets the same
 * request on every parity path, `latencySamples` times, through the same prober as `check` (so
 * the same 52x classification, certificate judgement and bounds apply), and the ports the old
 * origin serves get a TCP connection on both. All of it runs in one bounded pool.
 */
export async function runParity(
  inputs: readonly ParityInput[],
  options: ParityRunOptions,
): Promise<MigrationParity[]> {
  const planned = inputs.map((input) => ({
    input,
    pairs: input.migration.hostnames.flatMap(planPairs),
    ports: planPorts(input.migration, input.oldOrigin),
  }));

  const requests: Request[][] = planned.map(({ input, pairs }) =>
    pairs.flatMap((pair, index) =>
      pair.unknownReason !== undefined
        ? []
        : input.policy.paths.flatMap((path) =>
            Array.from({ length: Math.max(1, input.policy.latencySamples) }, () => ({
              pair: index,
              path,
              old: { ...pair.old, path },
              new: { ...pair.new, path },
            })),
          ),
    ),
  );
  const targets = requests.flat().flatMap((r) => [r.old, r.new]);
  // The options are runProbes' own (vantage aside, which it does not read).
  const results = await runProbes(targets, options);
  const firstResult = new Map<ProbeTarget, ProbeResult>();
  for (const result of results) {
    if (!firstResult.has(result.target))
      firstResult.set(result.target, applyVantage(result, result.target, options.vantage));
  }

  const portJobs = planned.flatMap(({ ports }, m) => ports.map((port) => ({ m, port })));
  const timeout = options.connectTimeoutMs ?? CLOUDFLARE_CONNECT_TIMEOUT_MS;
  const open = openConnectionsFor(options.concurrency ?? DEFAULT_PROBE_CONCURRENCY);
  const { signal } = options;
  const portOutcomes = await abortable(
    mapPool(
      portJobs,
      open,
      async (job) => {
        const [old, next] = await Promise.all([
          connectOnce(job.port.oldAddress, job.port.port, timeout, signal),
          connectOnce(job.port.newAddress, job.port.port, timeout, signal),
        ]);
        return { m: job.m, parity: { ...job.port, old, new: next } satisfies PortParity };
      },
      signal,
    ),
    signal,
  );
  const portsByMigration = new Map<number, PortParity[]>();
  for (const { m, parity } of portOutcomes)
    portsByMigration.set(m, [...(portsByMigration.get(m) ?? []), parity]);

  return planned.map(({ input, pairs }, m) => {
    const byPair = new Map<number, ParityPair["samples"][number][]>();
    for (const request of requests[m] ?? []) {
      const old = firstResult.get(request.old);
      const next = firstResult.get(request.new);
      if (old === undefined || next === undefined) continue;
      const list = byPair.get(request.pair) ?? [];
      list.push({ path: request.path, old, new: next });
      byPair.set(request.pair, list);
    }
    return {
      migration: input.migration,
      policy: input.policy,
      probed: true,
      pairs: pairs.map((pair: PlannedPair, index) => ({ ...pair, samples: byPair.get(index) ?? [] })),
      ports: portsByMigration.get(m) ?? [],
      ...(input.newOrigin ? { newOrigin: input.newOrigin } : {}),
      firewallExported: input.firewallExported,
    };
  });
}

/** Migrations detected but not compared (`--no-probes`): the rules report them as not probed. */
export function unprobedParity(inputs: readonly ParityInput[]): MigrationParity[] {
  return inputs.map((input) => ({
    migration: input.migration,
    policy: input.policy,
    probed: false,
    pairs: [],
    ports: [],
    ...(input.newOrigin ? { newOrigin: input.newOrigin } : {}),
    firewallExported: input.firewallExported,
  }));
}

async function connectOnce(
  address: string,
  port: number,
  timeoutMs: number,
  signal: AbortSignal | undefined,
): Promise<PortOutcome> {
  const result = await connectTcp(address, port, timeoutMs, signal);
  if (!result.ok) return { answered: false, code: result.code };
  result.socket.destroy();
  return { answered: true };
}
