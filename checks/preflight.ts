import { existsSync } from "node:fs";
import { resolve } from "node:path";
import { abortable, throwIfInterrupted } from "./abort.js";
import type { CommonOptions } from "./cli/options.js";
import { CLOUDFLARE_RANGES_SNAPSHOT } from "./data/cloudflare-ips.js";
import { nameZonesFromLive } from "./desired/live-names.js";
import { readDesiredSources } from "./desired/read.js";
import { isTerraformFolder } from "./desired/sources/terraform-folder.js";
import { withCloudFirewalls } from "./diff/cloud-firewall.js";
import { computeDrift, pairZones } from "./diff/drift.js";
import type { EnforcedFirewall } from "./diff/enforced-firewall.js";
import { parseFirewallExport } from "./diff/firewall-export.js";
import type { EdgeRoute } from "./edge/route.js";
import {
  accountZonesAfter,
  desiredEdgeZones,
  liveEdgeZone,
  type PlannedZone,
  tunnelAddressesOf,
} from "./edge/zones.js";
import { InputError, UsageError, VerifyError } from "./errors.js";
import { readCaFile, readClientCertificate } from "./input/ca-file.js";
import { readTextFile } from "./input/read-text.js";
import type { MigrationParity } from "./migration/parity.js";
import { summarizeMigrations, tagMigrationFindings } from "./migration/summary.js";
import type { Drift } from "./model/change.js";
import type { Finding } from "./model/finding.js";
import type { MigrationPolicy } from "./model/migration.js";
import { isUnresolved, known } from "./model/value.js";
import type { CloudflareRanges, DesiredState, LiveState } from "./model/zone.js";
import { type ConnectToMapping, parseConnectToList } from "./probe/connect-to.js";
import { planRoutes } from "./probe/plan.js";
import type { ProbeResult, ProbeTarget } from "./probe/result.js";
import { buildReport } from "./report/build.js";
import type { Report } from "./report/report.js";
import { applyAcknowledgements } from "./rules/acknowledgements.js";
import { liveUnverified, probesUnverified } from "./rules/engine-rules.js";
import { RULES, runRules } from "./rules/registry.js";
import { finding, type RuleContext } from "./rules/rule.js";
import {
  inputsDigest,
  type ShardInfo,
  selectShard,
  unplannedShard,
  usableFamilies,
  vantageInfo,
  WHOLE_RUN,
} from "./shard/index.js";
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
  /** The `drift` command: without live state, the report says what it did not compare. */
  readonly drift?: boolean;
  /**
   * Compute drift only: the live read skips what only the edge's routes need (rulesets, Page Rules,
   * AOP, tunnels: 2 requests per zone), and no routes or host migrations are planned (issue 13).
   */
  readonly driftOnly?: boolean;
  /**
   * Aborted on SIGINT/SIGTERM: the live read, the probes and any synth stop, and the run throws
   * the signal's reason (an InterruptedError) instead of reporting.
   */
  readonly signal?: AbortSignal;
}

/**
 * Read the desired state from --plan or --synth (plus --config files); without either, synthesize
 * the cdktf app in cdktf.json afresh, or read the current folder's Terraform files.
 */
export async function loadDesired(options: CommonOptions, env: PreflightEnv): Promise<DesiredState> {
  const common = {
    ...(options.stack !== undefined ? { stack: options.stack } : {}),
    config: options.config.map((file) => resolve(env.cwd, file)),
    env: env.env,
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
  const synth = await synthesizeFresh(env.cwd, env.log, env.signal);
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

/**
 * The inputs given on the command line besides the stack, read and checked before any work, so a
 * bad one is exit 2 at once whatever else the run would do (`--connect-to` and `--origin-ca` even
 * under `--no-probes`).
 */
export interface RunInputs {
  readonly connectTo: readonly ConnectToMapping[];
  readonly extraCaPem: readonly string[];
  /** `--client-cert` / `--client-key`, checked: presented where Authenticated Origin Pulls is on. */
  readonly clientCertificate?: { readonly cert: string; readonly key: string };
  /** `--firewall ORIGIN=FILE`: the file's path and text, parsed once the stack's origins are known. */
  readonly firewalls: ReadonlyMap<string, { readonly file: string; readonly text: string }>;
}

export function readRunInputs(options: CommonOptions, cwd: string): RunInputs {
  if (options.after && !options.live)
    throw new UsageError("--after verifies the deploy against the live zone: it cannot run with --no-live");
  const connectTo = connectToOf(options);
  const extraCaPem = options.originCa.map((path) => readCaFile(resolve(cwd, path)));
  const clientCertificate = options.clientCert
    ? readClientCertificate(resolve(cwd, options.clientCert.cert), resolve(cwd, options.clientCert.key))
    : undefined;
  const firewalls = new Map<string, { file: string; text: string }>();
  for (const [name, path] of options.firewalls) {
    const file = resolve(cwd, path);
    firewalls.set(name, { file, text: readTextFile(file, "an nft -j or iptables-save export") });
  }
  return { connectTo, extraCaPem, firewalls, ...(clientCertificate ? { clientCertificate } : {}) };
}

/** The whole check: desired state, live state, drift, probes, rules, acknowledgements → one report. */
export async function runPreflight(options: CommonOptions, env: PreflightEnv): Promise<PreflightResult> {
  const { signal } = env;
  const inputs = readRunInputs(options, env.cwd);
  // A synth stops on the signal itself (and removes its folder), so it is awaited to the end.
  let desired = await loadDesired(options, env);
  throwIfInterrupted(signal);
  // What `merge` compares check reports by; drift reports are not merged.
  const digest = env.driftOnly ? undefined : inputsDigest(desired, inputs, options);
  const enforced = readFirewalls(inputs.firewalls, desired);
  const extraFindings: Finding[] = [];

  let live: LiveState | undefined;
  let liveSkipped: string | undefined = options.live ? undefined : "--no-live";
  if (options.live) {
    try {
      live = await abortable(readLive(desired, env, options), signal);
      desired = nameZonesFromLive(desired, live);
    } catch (error) {
      throwIfInterrupted(signal);
      if (!(error instanceof VerifyError) || !options.allowUnverified) throw error;
      liveSkipped = `could not be read: ${error.message}`;
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
  // Cloud firewalls an allowlist names are read against the ranges this run uses.
  const firewalls = withCloudFirewalls(
    desired.zones.flatMap((z) => z.origins),
    ranges,
    enforced,
  );
  const drift = driftOf(desired, live, ranges, firewalls);
  if (env.drift && live === undefined) extraFindings.push(driftWithoutLive(options.live));

  const edge = env.driftOnly ? undefined : planEdge(desired, live, inputs.connectTo);
  let probes: ProbeResult[] | undefined;
  let shard = unplannedShard(options.shard);
  let probesSkipped: string | undefined = options.probes ? undefined : "--no-probes";
  if (options.probes && edge) {
    try {
      ({ results: probes, shard } = await abortable(
        probeOrigins(edge.targets, ranges, inputs, options, env),
        signal,
      ));
    } catch (error) {
      throwIfInterrupted(signal);
      if (error instanceof InputError || error instanceof UsageError) throw error;
      probesSkipped = `probes could not run: ${(error as Error).message}`;
      extraFindings.push(
        finding(probesUnverified, "unknown", {}, `origins not probed: ${(error as Error).message}`),
      );
    }
  }

  let migrations: MigrationParity[] = [];
  if (live && !env.driftOnly) {
    try {
      migrations = await abortable(compareMigrations(desired, live, firewalls, inputs, options, env), signal);
    } catch (error) {
      throwIfInterrupted(signal);
      if (error instanceof InputError || error instanceof UsageError) throw error;
      extraFindings.push(
        finding(probesUnverified, "unknown", {}, `host migrations not compared: ${(error as Error).message}`),
      );
    }
  }
  throwIfInterrupted(signal);

  const context: RuleContext = {
    desired,
    ranges,
    vantage: options.vantage,
    now: env.now,
    drift,
    migrations,
    after: options.after,
    ...(edge ? { routes: edge.routes } : {}),
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
      ...(liveSkipped !== undefined ? { liveSkipped } : {}),
      ...(probesSkipped !== undefined ? { probesSkipped } : {}),
      ...(live ? { apiRequests: live.requestCount } : {}),
      files: desired.files,
      zones: desired.zones.map((z) => known(z.name) ?? "(unresolved)"),
    },
    ...(desired.inputs ? { inputs: desired.inputs } : {}),
    vantage: vantageInfo(options.vantageName, usableFamilies(), shard),
    inputsDigest: digest,
  });
  return { report, desired, ...(live ? { live } : {}) };
}

/** The live state of every declared zone (and declared account lists), read-only. */
async function readLive(
  desired: DesiredState,
  env: PreflightEnv,
  options: CommonOptions,
): Promise<LiveState> {
  const { liveConfigFromEnv, readLiveState, tunnelIdsInRecords } = await import("./live/index.js");
  const config = liveConfigFromEnv(env.env);
  // A zone named only by an expression (a variable without a value) is never sent to the API: its
  // resources are already listed as unresolved, and the rest of the zones are read.
  const zones = desired.zones.flatMap((z) => {
    const name = known(z.name);
    const id = known(z.id);
    if (name === undefined && id === undefined) {
      env.log(
        `not reading ${isUnresolved(z.name) ? z.name.unresolved : "a zone"}: neither its name nor its id is known`,
      );
      return [];
    }
    // Tunnels the code's CNAMEs route to, read in the zone's account even before they are live.
    const tunnelIds = tunnelIdsInRecords(z.records);
    return [
      {
        ...(name !== undefined ? { name } : {}),
        ...(id !== undefined ? { id } : {}),
        ...(tunnelIds.length > 0 ? { tunnelIds } : {}),
      },
    ];
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
      deadlineMs: options.apiTimeoutMs,
      apiShare: options.apiShare,
      edge: !env.driftOnly,
      ...(env.signal ? { signal: env.signal } : {}),
    },
  );
}

/**
 * `drift` without live state (`--no-live`, or a failed read under `--allow-unverified`): DNS and
 * settings drift are not compared, which is unknown, not clean; the firewall part still runs
 * against the bundled snapshot of Cloudflare's ranges, and says so.
 */
function driftWithoutLive(liveRequested: boolean): Finding {
  const snapshot = `Cloudflare's ranges from the bundled snapshot of ${SNAPSHOT_RANGES.capturedAt}`;
  return finding(
    liveUnverified,
    "unknown",
    {},
    `DNS and settings drift not compared (no live state${liveRequested ? "" : ": --no-live"}); origin allowlists and firewall exports compared with ${snapshot}`,
    {
      dns: "not compared (no live state)",
      settings: "not compared (no live state)",
      ranges: `snapshot of ${SNAPSHOT_RANGES.capturedAt}`,
    },
    {
      fix: "Run drift with a read-only CLOUDFLARE_API_TOKEN to compare DNS and settings and to use the live /ips.",
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

/** `--firewall ORIGIN=FILE`: each export parsed (nft JSON or iptables-save), for an origin the stack declares. */
function readFirewalls(files: RunInputs["firewalls"], desired: DesiredState): Map<string, EnforcedFirewall> {
  const out = new Map<string, EnforcedFirewall>();
  const declared = desired.zones.flatMap((z) => z.origins);
  for (const [name, { file, text }] of files) {
    const origin = declared.find((o) => o.name === name);
    if (!origin)
      throw new UsageError(
        `--firewall ${name}=${file}: expected the name of an origin the stack declares (${declared.map((o) => o.name).join(", ") || "none"})`,
      );
    out.set(name, parseFirewallExport(text, { file, ports: origin.ports.map((p) => p.port) }));
  }
  return out;
}

/** The desired zones as the probe plan needs them: the records under the SSL mode the zone will have. */
function desiredPlanZones(desired: DesiredState, live: LiveState | undefined): PlannedZone[] {
  return desiredEdgeZones(desired, live);
}

function connectToOf(options: CommonOptions): ConnectToMapping[] {
  const connectTo = parseConnectToList(options.connectTo);
  if (!connectTo.ok)
    throw new UsageError(
      connectTo.error.startsWith("--connect-to") ? connectTo.error : `--connect-to: ${connectTo.error}`,
    );
  return connectTo.value;
}

/**
 * Host migrations (issue 6): hostnames whose connections differ between the live zone and the
 * code, compared old against new by parity probes (or listed as not probed with `--no-probes`).
 */
async function compareMigrations(
  desired: DesiredState,
  live: LiveState,
  enforced: ReadonlyMap<string, EnforcedFirewall>,
  { connectTo, extraCaPem }: RunInputs,
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
        live: liveEdgeZone(liveZone, planned),
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
    ...(env.signal ? { signal: env.signal } : {}),
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

/** The edge's routes after the deploy, and the probe targets they give (pure; cheap). */
function planEdge(
  desired: DesiredState,
  live: LiveState | undefined,
  connectTo: readonly ConnectToMapping[],
): { routes: EdgeRoute[]; targets: ProbeTarget[] } {
  const zones = desiredPlanZones(desired, live);
  return planRoutes({
    zones,
    accountZones: accountZonesAfter(zones, live),
    tunnelAddresses: tunnelAddressesOf(desired),
    ranges: live?.ranges ?? SNAPSHOT_RANGES,
    connectTo,
  });
}

/**
 * Run the probes of the planned targets; with `--shard K/N`, only the targets of shard K (the
 * plan's other targets are counted, not probed).
 */
async function probeOrigins(
  allTargets: readonly ProbeTarget[],
  ranges: CloudflareRanges,
  { extraCaPem, clientCertificate }: RunInputs,
  options: CommonOptions,
  env: PreflightEnv,
): Promise<{ results: ProbeResult[]; shard: ShardInfo }> {
  const { applyVantage, runProbes } = await import("./probe/index.js");
  const planned = allTargets;
  const { targets, shard } = selectShard(planned, options.shard ?? WHOLE_RUN);
  if (shard.count > 1)
    env.log(
      `shard ${shard.index}/${shard.count}: ${targets.length} of the run's ${planned.length} target(s)`,
    );
  env.log(`probing ${targets.length} origin target(s), ${options.concurrency} at a time...`);
  let done = 0;
  const results = await runProbes(targets, {
    connectTimeoutMs: options.connectTimeoutMs,
    readTimeoutMs: options.readTimeoutMs,
    concurrency: options.concurrency,
    ...(extraCaPem.length > 0 ? { extraCaPem } : {}),
    ...(clientCertificate ? { clientCertificate } : {}),
    certHorizonDays: options.certHorizonDays,
    cloudflareRanges: ranges,
    now: () => env.now,
    onResult: (r) => env.onProbe?.(++done, targets.length, r),
    ...(env.signal ? { signal: env.signal } : {}),
  });
  return { results: results.map((r) => applyVantage(r, r.target, options.vantage)), shard };
}
