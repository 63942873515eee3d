import { type ParseArgsConfig, parseArgs } from "node:util";
import { UsageError } from "../errors.js";
import { DEFAULT_API_SHARE, DEFAULT_API_TIMEOUT_SECONDS } from "../live/limits.js";
import { CONNECT_TIMEOUT_SECONDS, PROXY_READ_TIMEOUT_SECONDS } from "../model/cloudflare-facts.js";
import { parseShardSpec, parseVantageName, type ShardSpec } from "../shard/spec.js";

export const FORMATS = ["pretty", "json", "markdown", "sarif", "junit", "github"] as const;
export type Format = (typeof FORMATS)[number];

export interface OutputTarget {
  readonly format: Format;
  /** undefined: stdout. */
  readonly file?: string;
}

/** The options shared by check, drift and deploy (DESIGN.md, "Common options"). */
export interface CommonOptions {
  readonly synth?: string;
  /** `--plan FILE|-`: `terraform show -json` / `tofu show -json` output. */
  readonly plan?: string;
  /** `--config FILE`: cf-preflight declarations for configurations without the construct. */
  readonly config: readonly string[];
  readonly stack?: string;
  readonly outputs: readonly OutputTarget[];
  readonly connectTo: readonly string[];
  readonly probes: boolean;
  readonly live: boolean;
  readonly allowUnverified: boolean;
  readonly strict: boolean;
  readonly connectTimeoutMs: number;
  readonly readTimeoutMs: number;
  /** `--api-timeout`: the one deadline of the whole live API read, bodies and retries included. */
  readonly apiTimeoutMs: number;
  /** `--api-share`: the share of Cloudflare's API rate limit the live read may use (0 < share <= 1). */
  readonly apiShare: number;
  readonly concurrency: number;
  readonly vantage: "allowed" | "outside" | "unknown";
  /** Origin name → exported firewall ruleset file. */
  readonly firewalls: ReadonlyMap<string, string>;
  /** Extra CA certificates trusted like Cloudflare's Origin CA (tests, private PKI). */
  readonly originCa: readonly string[];
  /** `--client-cert` / `--client-key`: presented where Authenticated Origin Pulls is on. */
  readonly clientCert?: { readonly cert: string; readonly key: string };
  /** `--cert-horizon DAYS`: a validated origin certificate expiring this soon warns (default 14). */
  readonly certHorizonDays: number;
  readonly after: boolean;
  /** `--parity-path`: paths host-migration parity compares, besides `/` and the code's. */
  readonly parityPaths: readonly string[];
  /** `--latency-factor`: overrides the code's migration policy. */
  readonly latencyFactor?: number;
  /** `--shard K/N`: probe only shard K of N of the targets (absent: all of them). */
  readonly shard?: ShardSpec;
  /** `--vantage-name`: what the report calls where the probes ran (absent: the host name). */
  readonly vantageName?: string;
  readonly positionals: readonly string[];
  /** Arguments after `--`. */
  readonly passthrough: readonly string[];
}

export const DEFAULT_CONCURRENCY = 32;

/** The options check, drift, deploy and the in-app gate accept (each command refuses what it cannot use). */
export const COMMON: ParseArgsConfig["options"] = {
  synth: { type: "string" },
  plan: { type: "string" },
  config: { type: "string", multiple: true },
  stack: { type: "string" },
  format: { type: "string", multiple: true },
  output: { type: "string", multiple: true },
  "connect-to": { type: "string", multiple: true },
  "no-probes": { type: "boolean" },
  "no-live": { type: "boolean" },
  "allow-unverified": { type: "boolean" },
  strict: { type: "boolean" },
  "connect-timeout": { type: "string" },
  "read-timeout": { type: "string" },
  "api-timeout": { type: "string" },
  "api-share": { type: "string" },
  concurrency: { type: "string" },
  vantage: { type: "string" },
  firewall: { type: "string", multiple: true },
  "origin-ca": { type: "string", multiple: true },
  "client-cert": { type: "string" },
  "client-key": { type: "string" },
  "cert-horizon": { type: "string" },
  after: { type: "boolean" },
  "parity-path": { type: "string", multiple: true },
  "latency-factor": { type: "string" },
  shard: { type: "string" },
  "vantage-name": { type: "string" },
  help: { type: "boolean", short: "h" },
};

/** Options a command accepts from the common table but has no use for: refused, never ignored. */
export interface NotFor {
  readonly options: readonly string[];
  /** Why the command has no use for them (ends the error line). */
  readonly why: string;
}

/** What `drift` has no use for: it never probes and gates only on drift. */
export const NOT_FOR_DRIFT: NotFor = {
  options: [
    "no-probes",
    "connect-to",
    "connect-timeout",
    "read-timeout",
    "concurrency",
    "vantage",
    "vantage-name",
    "origin-ca",
    "client-cert",
    "client-key",
    "cert-horizon",
    "after",
    "parity-path",
    "latency-factor",
    "strict",
  ],
  why: "drift never probes origins and gates only on drift; run check for that",
};

/** Parse the common options; throws UsageError (exit 2) with what was expected. */
export function parseCommonOptions(argv: readonly string[], command: string, notFor?: NotFor): CommonOptions {
  const dashdash = argv.indexOf("--");
  const own = dashdash >= 0 ? argv.slice(0, dashdash) : argv;
  const passthrough = dashdash >= 0 ? argv.slice(dashdash + 1) : [];
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: [...own],
      options: COMMON,
      allowPositionals: true,
      strict: true,
      tokens: true,
    });
  } catch (error) {
    throw new UsageError(
      `${command}: ${(error as Error).message.replace(/\. To specify a positional.*$/s, "")}`,
    );
  }
  refuseRepeated(parsed.tokens ?? []);
  if (notFor)
    for (const token of parsed.tokens ?? [])
      if (token.kind === "option" && notFor.options.includes(token.name))
        throw new UsageError(`--${token.name}: ${command} has no use for it (${notFor.why})`);
  const v = parsed.values as Record<string, string | string[] | boolean | undefined>;
  const outputs = parseOutputs(v.format as string[] | undefined, v.output as string[] | undefined);

  if (v.synth !== undefined && v.plan !== undefined)
    throw new UsageError("--synth and --plan: give one (a plan already holds the whole configuration)");

  const vantage = (v.vantage as string | undefined) ?? "unknown";
  if (!["allowed", "outside", "unknown"].includes(vantage))
    throw new UsageError(`--vantage: expected allowed or outside, got "${vantage}"`);

  const firewalls = new Map<string, string>();
  for (const spec of (v.firewall as string[] | undefined) ?? []) {
    const eq = spec.indexOf("=");
    if (eq <= 0 || eq === spec.length - 1)
      throw new UsageError(
        `--firewall: expected ORIGIN=FILE (the origin's name in the stack), got "${spec}"`,
      );
    const origin = spec.slice(0, eq);
    if (firewalls.has(origin))
      throw new UsageError(
        `--firewall: origin "${origin}" given twice (${firewalls.get(origin)} and ${spec.slice(eq + 1)}); give one export per origin`,
      );
    firewalls.set(origin, spec.slice(eq + 1));
  }

  const parityPaths = (v["parity-path"] as string[] | undefined) ?? [];
  for (const path of parityPaths)
    if (!/^\/\S*$/.test(path))
      throw new UsageError(
        `--parity-path: expected a path beginning with / and without spaces, got "${path}"`,
      );
  const rawFactor = v["latency-factor"] as string | undefined;
  const latencyFactor = rawFactor === undefined ? undefined : Number(rawFactor);
  if (
    latencyFactor !== undefined &&
    !(Number.isFinite(latencyFactor) && latencyFactor >= 1 && latencyFactor <= 100)
  )
    throw new UsageError(`--latency-factor: expected a number from 1 to 100, got "${rawFactor}"`);

  return {
    ...(v.synth !== undefined ? { synth: v.synth as string } : {}),
    ...(v.plan !== undefined ? { plan: v.plan as string } : {}),
    config: (v.config as string[] | undefined) ?? [],
    ...(v.stack !== undefined ? { stack: v.stack as string } : {}),
    outputs,
    connectTo: (v["connect-to"] as string[] | undefined) ?? [],
    probes: !v["no-probes"],
    live: !v["no-live"],
    allowUnverified: Boolean(v["allow-unverified"]),
    strict: Boolean(v.strict),
    connectTimeoutMs: seconds(
      v["connect-timeout"] as string | undefined,
      CONNECT_TIMEOUT_SECONDS,
      "--connect-timeout",
    ),
    readTimeoutMs: seconds(
      v["read-timeout"] as string | undefined,
      PROXY_READ_TIMEOUT_SECONDS,
      "--read-timeout",
    ),
    apiTimeoutMs: seconds(
      v["api-timeout"] as string | undefined,
      DEFAULT_API_TIMEOUT_SECONDS,
      "--api-timeout",
      MAX_API_TIMEOUT_SECONDS,
    ),
    apiShare: apiShare(v["api-share"] as string | undefined),
    concurrency: positiveInt(v.concurrency as string | undefined, DEFAULT_CONCURRENCY, "--concurrency"),
    vantage: vantage as CommonOptions["vantage"],
    firewalls,
    originCa: (v["origin-ca"] as string[] | undefined) ?? [],
    ...clientCertOf(v["client-cert"] as string | undefined, v["client-key"] as string | undefined),
    certHorizonDays: certHorizon(v["cert-horizon"] as string | undefined),
    after: Boolean(v.after),
    parityPaths,
    ...(latencyFactor !== undefined ? { latencyFactor } : {}),
    ...(v.shard !== undefined ? { shard: shardOption(v.shard as string, !v["no-probes"], command) } : {}),
    ...(v["vantage-name"] !== undefined
      ? { vantageName: parseVantageName(v["vantage-name"] as string) }
      : {}),
    positionals: parsed.positionals,
    passthrough,
  };
}

/**
 * A single-valued option given twice (`--plan a.json --plan b.json`) would keep only the last and
 * silently drop the first input or setting: refused instead.
 */
export function refuseRepeated(
  tokens: NonNullable<ReturnType<typeof parseArgs>["tokens"]>,
  table: ParseArgsConfig["options"] = COMMON,
): void {
  const seen = new Set<string>();
  for (const token of tokens) {
    if (token.kind !== "option") continue;
    const option = table?.[token.name];
    if (option === undefined || option.multiple === true || option.type !== "string") continue;
    if (seen.has(token.name))
      throw new UsageError(
        `--${token.name}: given more than once; it takes one value (the earlier one would be silently dropped)`,
      );
    seen.add(token.name);
  }
}

/** `--format` (repeatable, default pretty) paired in order with `--output`; at most one to stdout. */
export function parseOutputs(
  formatList: readonly string[] | undefined,
  fileList: readonly string[] | undefined,
): OutputTarget[] {
  const formats = (formatList ?? ["pretty"]).map((f) => {
    if (!(FORMATS as readonly string[]).includes(f))
      throw new UsageError(`--format: expected one of ${FORMATS.join(", ")}, got "${f}"`);
    return f as Format;
  });
  const files = fileList ?? [];
  if (files.length > formats.length)
    throw new UsageError(
      `--output: expected one --format before each --output (got ${files.length} outputs for ${formats.length} formats)`,
    );
  const outputs = formats.map((format, i) =>
    files[i] !== undefined ? { format, file: files[i] } : { format },
  );
  if (outputs.filter((o) => o.file === undefined).length > 1)
    throw new UsageError("--format: only one format can go to stdout; give the others an --output FILE");
  return outputs;
}

/**
 * `--shard` splits the probe targets between `check` runs that `merge` puts together: without
 * probes there is nothing to split, and a gate that deploys must have probed every target.
 */
function shardOption(raw: string, probes: boolean, command: string): ShardSpec {
  if (command !== "check")
    throw new UsageError(
      `--shard: only check splits the probes (${command} must judge every target); run the shards with check, merge them, then deploy with --no-probes`,
    );
  const spec = parseShardSpec(raw);
  if (!probes)
    throw new UsageError("--shard splits the origin probes between runs: it cannot run with --no-probes");
  return spec;
}

/** A paced read of a large account may take hours (`--api-share`): `--api-timeout` goes up to a day. */
const MAX_API_TIMEOUT_SECONDS = 86_400;

function seconds(raw: string | undefined, fallback: number, flag: string, max = 3600): number {
  if (raw === undefined) return fallback * 1000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > max)
    throw new UsageError(`${flag}: expected a number of seconds between 0 and ${max}, got "${raw}"`);
  return Math.round(n * 1000);
}

function apiShare(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_API_SHARE;
  const n = Number(raw);
  if (!Number.isFinite(n) || n <= 0 || n > 1)
    throw new UsageError(
      `--api-share: expected the share of Cloudflare's API rate limit the read may use, more than 0 and at most 1 (e.g. 0.5), got "${raw}"`,
    );
  return n;
}

function positiveInt(raw: string | undefined, fallback: number, flag: string): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 4096)
    throw new UsageError(`${flag}: expected a whole number from 1 to 4096, got "${raw}"`);
  return n;
}

/** The options of the commands that take nothing but `--format` (rules, demo). */
export const FORMAT_ONLY = { format: { type: "string" } } as const satisfies ParseArgsConfig["options"];

/** `--format` for the commands that take nothing else (rules, demo): one of `allowed`, default pretty. */
export function parseFormatOnly<F extends string>(
  argv: readonly string[],
  command: string,
  allowed: readonly F[],
): F {
  let format: string;
  try {
    const { values } = parseArgs({ args: [...argv], options: FORMAT_ONLY, strict: true });
    format = values.format ?? "pretty";
  } catch (error) {
    throw new UsageError(`${command}: ${(error as Error).message}`);
  }
  if (!(allowed as readonly string[]).includes(format))
    throw new UsageError(`--format: expected ${allowed.join(", ")}, got "${format}"`);
  return format as F;
}

/** Days before expiry at which a validated origin certificate warns (checked against renewal practice: ACME renews at 30). */
export const DEFAULT_CERT_HORIZON_DAYS = 14;

function certHorizon(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_CERT_HORIZON_DAYS;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0 || n > 3650)
    throw new UsageError(`--cert-horizon: expected a whole number of days from 0 to 3650, got "${raw}"`);
  return n;
}

function clientCertOf(
  cert: string | undefined,
  key: string | undefined,
): { clientCert?: { cert: string; key: string } } {
  if (cert === undefined && key === undefined) return {};
  if (cert === undefined || key === undefined)
    throw new UsageError(
      "--client-cert and --client-key: expected both (a PEM certificate and its private key)",
    );
  return { clientCert: { cert, key } };
}
