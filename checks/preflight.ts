import { existsSync, readFileSync } from "node:fs";
import { resolve } from "node:path";
import type { CommonOptions } from "./cli/options.js";
import { CLOUDFLARE_RANGES_SNAPSHOT } from "./data/cloudflare-ips.js";
import { readDesiredSources } from "./desired/read.js";
import { isTerraformFolder } from "./desired/sources/terraform-folder.js";
import { computeDrift, pairZones } from "./diff/drift.js";
import type { EnforcedFirewall } from "./diff/enforced-firewall.js";
import { parseFirewallExport } from "./diff/firewall-export.js";
import { InputError, UsageError, VerifyError } from "./errors.js";
import type { MigrationParity } from "./migration/parity.js";
import { summarizeMigrations, tagMigrationFindings } from "./migration/summary.js";
import type { Drift } from "./model/change.js";
import type { Finding } from "./model/finding.js";
import type { MigrationPolicy } from "./model/migration.js";
import { isUnresolved, known } from "./model/value.js";
import type { CloudflareRanges, DesiredState, DesiredZone, LiveState } from "./model/zone.js";
import { type ConnectToMapping, parseConnectToList } from "./probe/connect-to.js";
import type { ProbePlanZone } from "./probe/plan.js";
import type { ProbeResult } from "./probe/result.js";
import { buildReport } from "./report/build.js";
import type { Report } from "./report/report.js";
import { applyAcknowledgements } from "./rules/acknowledgements.js";
import { liveUnverified, probesUnverified } from "./rules/engine-rules.js";
import { RULES, runRules } from "./rules/registry.js";
import { finding, type RuleContext } from "./rules/rule.js";
import { synthesizeFresh } from "./synth.js";

export const SNAPSHOT_RANGES: CloudflareRanges = {
  ipv4: CLOUDFLARE_RANGES_SNAPSHOT.ipv4,
  ipv6: CLOUDFLARE_RANGES_SNAPSHOT.ipv6,
  origin: "snapshot",
  capturedAt: CLOUDFLARE_RANGES_SNAPSHOT.capturedAt,
};

export interface PreflightEnv {
  readonly cwd: string;
  readonly env: NodeJS.ProcessEnv;
  /** Progress lines (stderr). */
  readonly log: (line: string) => void;
  /** Called as each probe finishes, for a progress display. */
  readonly onProbe?: (done: number, total: number, result: ProbeResult) => void;
  readonly now: Date;
  /** Standard input, for `--plan -` (default the process's). */
  readonly stdin?: NodeJS.ReadableStream;
}

/**
 * Read the desired state from --plan or --synth (plus --config files); without either, synthesize
 * the cdktf app in cdktf.json afresh, or read the current folder's Terraform files.
 */
export async function loadDesired(options: CommonOptions, env: PreflightEnv): Promise<DesiredState> {
  const common = {
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    config: options.config.map((file) => resolve(env.cwd, file)),
  };
  if (options.plan !== undefined) {
    const file = options.plan === "-" ? "(stdin)" : resolve(env.cwd, options.plan);
    const text = options.plan === "-" ? await readStdin(env.stdin) : undefined;
    return readDesiredSources({ ...common, plan: { file, ...(text !== undefined ? { text } : {}) } });
  }
  if (options.synth !== undefined)
    return readDesiredSources({ ...common, synth: resolve(env.cwd, options.synth) });
  if (!existsSync(resolve(env.cwd, "cdktf.json")) && isTerraformFolder(env.cwd))
    return readDesiredSources({ ...common, synth: env.cwd });
  const synth = await synthesizeFresh(env.cwd, env.log);
  try {
    return await readDesiredSources({ ...common, synth: synth.dir });
  } finally {
    synth.cleanup();
  }
}

/** All of standard input, as text (`--plan -`). */
async function readStdin(stdin: NodeJS.ReadableStream | undefined): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin ?? process.stdin)
    chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk));
  return Buffer.concat(chunks).toString("utf8");
}

export interface PreflightResult {
  readonly report: Report;
  readonly desired: DesiredState;
  readonly live?: LiveState;
}

/** The whole check: desired state, live state, drift, probes, rules, acknowledgements → one report. */
export async function runPreflight(options: CommonOptions, env: PreflightEnv): Promise<PreflightResult> {
  const desired = await loadDesired(options, env);
  const enforced = readFirewalls(options.firewalls, desired, env.cwd);
  const extraFindings: Finding[] = [];

  let live: LiveState | undefined;
  if (options.live) {
    try {
      live = await readLive(desired, env, options.apiTimeoutMs);
    } catch (error) {
      if (!(error instanceof VerifyError) || !options.allowUnverified) throw error;
      extraFindings.push(
        finding(
          liveUnverified,
          "unknown",
          {},
          `live state not read: ${error.message}`,
          error.hint ? { hint: error.hint } : {},
        ),
      );
    }
  }
  const ranges = live?.ranges ?? SNAPSHOT_RANGES;
  const drift = driftOf(desired, live, ranges, enforced);

  // --connect-to parsed and the extra CA files read once, for the probes and the parity probes.
  let setup: ProbeSetup | undefined;
  const probing = (): ProbeSetup => {
    setup ??= {
      connectTo: connectToOf(options),
      extraCaPem: options.probes ? readExtraCa(options, env.cwd) : [],
    };
    return setup;
  };

  let probes: ProbeResult[] | undefined;
  if (options.probes) {
    try {
      probes = await probeOrigins(desired, live, probing(), options, env);
    } catch (error) {
      if (error instanceof InputError || error instanceof UsageError) throw error;
      extraFindings.push(
        finding(probesUnverified, "unknown", {}, `origins not probed: ${(error as Error).message}`),
      );
    }
  }

  let migrations: MigrationParity[] = [];
  if (live) {
    try {
      migrations = await compareMigrations(desired, live, enforced, probing(), options, env);
    } catch (error) {
      if (error instanceof InputError || error instanceof UsageError) throw error;
      extraFindings.push(
        finding(probesUnverified, "unknown", {}, `host migrations not compared: ${(error as Error).message}`),
      );
    }
  }

  const context: RuleContext = {
    desired,
    ranges,
    vantage: options.vantage,
    now: env.now,
    drift,
    migrations,
    after: options.after,
    ...(live ? { live } : {}),
    ...(probes ? { probes } : {}),
  };
  const findings = applyAcknowledgements(
    tagMigrationFindings(
      [...runRules(RULES, context), ...extraFindings],
      migrations.map((m) => m.migration),
    ),
    desired,
    env.now,
  );
  const report = buildReport({
    findings,
    drift,
    migrations: summarizeMigrations(migrations, findings),
    coverage: {
      live: live !== undefined,
      probes: probes !== undefined,
      files: desired.files,
      zones: desired.zones.map((z) => known(z.name) ?? "(unresolved)"),
    },
    ...(desired.inputs ? { inputs: desired.inputs } : {}),
  });
  return { report, desired, ...(live ? { live } : {}) };
}

/** The live state of every declared zone (and declared account lists), read-only. */
async function readLive(desired: DesiredState, env: PreflightEnv, apiTimeoutMs: number): Promise<LiveState> {
  const { liveConfigFromEnv, readLiveState, tunnelIdsInRecords } = await import("./live/index.js");
  const config = liveConfigFromEnv(env.env);
  const zones = desired.zones.map((z) => {
    const name = known(z.name);
    const id = known(z.id);
    if (name === undefined && id === undefined)
      throw new VerifyError(
        `a zone is named only by a Terraform expression (${isUnresolved(z.id) ? z.id.unresolved : "?"}), so it cannot be looked up`,
        "Name the zone through a cloudflare_zone data source, or give a literal zone_id.",
      );
    // Tunnels the code's CNAMEs route to, read in the zone's account even before they are live.
    const tunnelIds = tunnelIdsInRecords(z.records);
    return {
      ...(name !== undefined ? { name } : {}),
      ...(id !== undefined ? { id } : {}),
      ...(tunnelIds.length > 0 ? { tunnelIds } : {}),
    };
  });
  const lists = desired.ipLists.flatMap((l) => {
    const accountId = known(l.accountId);
    return accountId === undefined ? [] : [{ accountId, name: l.name }];
  });
  // Tunnels the code declares with a known id and account; the reader adds those the records route to.
  const tunnels = (desired.tunnels ?? []).flatMap((t) => {
    const id = known(t.id);
    const accountId = known(t.accountId);
    return id === undefined || accountId === undefined ? [] : [{ accountId, id }];
  });
  env.log(`reading ${zones.length} zone(s) from the Cloudflare API (read-only)...`);
  return readLiveState(
    { zones, lists, tunnels },
    {
      token: config.token,
      baseURL: config.baseURL,
      onProgress: env.log,
      log: env.log,
      deadlineMs: apiTimeoutMs,
    },
  );
}

/** DNS and settings drift need the live zone; firewall drift needs only the ranges (live or snapshot). */
function driftOf(
  desired: DesiredState,
  live: LiveState | undefined,
  ranges: CloudflareRanges,
  enforced: ReadonlyMap<string, EnforcedFirewall>,
): Drift {
  const pairs = live ? pairZones(desired.zones, live.zones).pairs : [];
  const origins = desired.zones.flatMap((z) =>
    z.origins.map((origin) => ({
      origin,
      routes: z.hostnames,
      ...(known(z.name) ? { zone: known(z.name)! } : {}),
    })),
  );
  return computeDrift({
    zones: pairs,
    ranges,
    origins,
    enforced,
    ...(live ? { desiredLists: desired.ipLists, liveLists: live.ipLists } : {}),
  });
}

/** `--firewall ORIGIN=FILE`: each file parsed (nft JSON or iptables-save), for an origin the stack declares. */
function readFirewalls(
  specs: ReadonlyMap<string, string>,
  desired: DesiredState,
  cwd: string,
): Map<string, EnforcedFirewall> {
  const out = new Map<string, EnforcedFirewall>();
  const declared = desired.zones.flatMap((z) => z.origins);
  for (const [name, path] of specs) {
    const origin = declared.find((o) => o.name === name);
    if (!origin)
      throw new UsageError(
        `--firewall ${name}=${path}: expected the name of an origin the stack declares (${declared.map((o) => o.name).join(", ") || "none"})`,
      );
    const file = resolve(cwd, path);
    let text: string;
    try {
      text = readFileSync(file, "utf8");
    } catch (error) {
      throw new InputError(
        file,
        undefined,
        "a readable nft -j or iptables-save export",
        (error as NodeJS.ErrnoException).code,
      );
    }
    out.set(name, parseFirewallExport(text, { file, ports: origin.ports.map((p) => p.port) }));
  }
  return out;
}

/** The desired zones as the probe plan needs them: the records under the SSL mode the zone will have. */
function desiredPlanZones(
  desired: DesiredState,
  live: LiveState | undefined,
): (ProbePlanZone & { zone: DesiredZone })[] {
  return desired.zones.flatMap((z) => {
    const name = known(z.name);
    if (name === undefined) return [];
    const liveZone = live?.zones.find((l) => l.name === name);
    const declared = z.sslMode === undefined ? undefined : known(z.sslMode);
    return [
      {
        zone: z,
        name,
        sslMode: z.sslMode === undefined ? liveZone?.sslMode : declared,
        records: z.records,
        originRules: z.originRules,
        origins: z.origins,
      },
    ];
  });
}

/** What both kinds of probing share, prepared once per run. */
interface ProbeSetup {
  readonly connectTo: readonly ConnectToMapping[];
  readonly extraCaPem: readonly string[];
}

function connectToOf(options: CommonOptions): ConnectToMapping[] {
  const connectTo = parseConnectToList(options.connectTo);
  if (!connectTo.ok) throw new UsageError(`--connect-to: ${connectTo.error}`);
  return connectTo.value;
}

function readExtraCa(options: CommonOptions, cwd: string): string[] {
  return options.originCa.map((path) => {
    const file = resolve(cwd, path);
    try {
      return readFileSync(file, "utf8");
    } catch (error) {
      throw new InputError(
        file,
        undefined,
        "a readable PEM file of CA certificates",
        (error as NodeJS.ErrnoException).code,
      );
    }
  });
}

/**
 * Host migrations (issue 6): hostnames whose connections differ between the live zone and the
 * code, compared old against new by parity probes (or listed as not probed with `--no-probes`).
 */
async function compareMigrations(
  desired: DesiredState,
  live: LiveState,
  enforced: ReadonlyMap<string, EnforcedFirewall>,
  { connectTo, extraCaPem }: ProbeSetup,
  options: CommonOptions,
  env: PreflightEnv,
): Promise<MigrationParity[]> {
  const { detectMigrations } = await import("./migration/detect.js");
  const zones = desiredPlanZones(desired, live).flatMap((planned) => {
    const liveZone = live.zones.find((l) => l.name === planned.name);
    if (liveZone === undefined) return [];
    return [
      {
        name: planned.name,
        // An SSL mode the code gives as a Terraform expression is not known: the origin probes say
        // so; detection compares under the live mode rather than calling every hostname a move.
        desired: { ...planned, sslMode: planned.sslMode ?? liveZone.sslMode },
        live: {
          name: liveZone.name,
          sslMode: liveZone.sslMode,
          records: liveZone.records,
          originRules: liveZone.originRules,
          origins: planned.origins,
        },
        zone: planned.zone,
      },
    ];
  });
  const detected = detectMigrations(zones, connectTo);
  if (detected.length === 0) return [];
  const inputs = detected.map((migration) => {
    const zone = zones.find((z) => z.name === migration.zone)!.zone;
    const origin = (name: string | undefined) =>
      name === undefined ? undefined : zone.origins.find((o) => o.name === name);
    const oldOrigin = origin(migration.from.origin);
    const newOrigin = origin(migration.to.origin);
    return {
      migration,
      policy: policyFor(zone.migration, options),
      ...(oldOrigin ? { oldOrigin } : {}),
      ...(newOrigin ? { newOrigin } : {}),
      firewallExported: newOrigin !== undefined && enforced.has(newOrigin.name),
    };
  });
  const hostnames = detected.reduce((n, m) => n + m.hostnames.length, 0);
  env.log(`${detected.length} host migration(s) detected, ${hostnames} hostname(s) moving`);
  const { runParity, unprobedParity } = await import("./migration/parity-run.js");
  if (!options.probes) return unprobedParity(inputs);
  env.log("comparing the old and new origins (parity probes)...");
  return runParity(inputs, {
    vantage: options.vantage,
    connectTimeoutMs: options.connectTimeoutMs,
    readTimeoutMs: options.readTimeoutMs,
    concurrency: options.concurrency,
    ...(extraCaPem.length > 0 ? { extraCaPem } : {}),
    now: () => env.now,
  });
}

/** The zone's migration policy with the command line's overrides. */
function policyFor(policy: MigrationPolicy, options: CommonOptions): MigrationPolicy {
  return {
    ...policy,
    paths: [...new Set([...policy.paths, ...options.parityPaths])],
    ...(options.latencyFactor !== undefined ? { latencyFactor: options.latencyFactor } : {}),
  };
}

/** Plan and run the probes: the desired records under the SSL mode the zone will have. */
async function probeOrigins(
  desired: DesiredState,
  live: LiveState | undefined,
  { connectTo, extraCaPem }: ProbeSetup,
  options: CommonOptions,
  env: PreflightEnv,
): Promise<ProbeResult[]> {
  const { applyVantage, buildProbePlan, runProbes } = await import("./probe/index.js");
  const targets = buildProbePlan({ zones: desiredPlanZones(desired, live), connectTo });
  env.log(`probing ${targets.length} origin target(s), ${options.concurrency} at a time...`);
  let done = 0;
  const results = await runProbes(targets, {
    connectTimeoutMs: options.connectTimeoutMs,
    readTimeoutMs: options.readTimeoutMs,
    concurrency: options.concurrency,
    ...(extraCaPem.length > 0 ? { extraCaPem } : {}),
    now: () => env.now,
    onResult: (r) => env.onProbe?.(++done, targets.length, r),
  });
  return results.map((r) => applyVantage(r, r.target, options.vantage));
}
