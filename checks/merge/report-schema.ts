import { z } from "zod";
import { inputErrorFromZod } from "../desired/zod-issue.js";
import { InputError } from "../errors.js";
import { REPORT_SCHEMA_VERSION, type Report } from "../report/report.js";
import { MAX_SHARDS } from "../shard/spec.js";
import { VERSION } from "../version.js";

/** A report of `cf-preflight check` as merge needs it: with the vantage, shard and inputs digest. */
export type ShardReport = Report & {
  readonly vantage: NonNullable<Report["vantage"]>;
  readonly inputsDigest: string;
};

const digest = z.string().regex(/^sha256:[0-9a-f]{64}$/, "a digest sha256:<64 hex digits>");
const count = z.number().int().min(0);

const Shard = z
  .object({
    index: z.number().int().min(1),
    count: z.number().int().min(1).max(MAX_SHARDS),
    targets: count,
    totalTargets: count.nullable(),
    targetsDigest: digest.nullable(),
  })
  .refine((s) => s.index <= s.count, { message: "a shard index no larger than the shard count" });

const Vantage = z.object({
  name: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._:-]{0,62}$/, "a vantage name (as --vantage-name takes)"),
  families: z.array(z.enum(["ipv4", "ipv6"])),
  shard: Shard,
});

const Endpoint = z.looseObject({ origin: z.string().optional(), addresses: z.array(z.string()) });

const MigrationSummarySchema = z.looseObject({
  id: z.string(),
  zone: z.string(),
  from: Endpoint,
  to: Endpoint,
  hostnames: z.array(z.looseObject({ hostname: z.string(), reasons: z.array(z.string()) })),
  verdict: z.enum(["ready", "blocked", "unverified", "not-probed"]),
});

/** Everything but the findings, which are many and checked by hand (`checkFindings`) for speed. */
const ReportShape = z.looseObject({
  schemaVersion: z.literal(REPORT_SCHEMA_VERSION),
  tool: z.looseObject({ name: z.literal("cf-preflight"), version: z.string() }),
  findings: z.array(z.unknown()),
  drift: z.looseObject({
    dns: z.array(z.looseObject({})),
    settings: z.array(z.looseObject({})),
    firewall: z.array(z.looseObject({})),
  }),
  migrations: z.array(MigrationSummarySchema),
  inputs: z.looseObject({}).optional(),
  coverage: z.looseObject({
    live: z.boolean(),
    probes: z.boolean(),
    liveSkipped: z.string().optional(),
    probesSkipped: z.string().optional(),
    files: z.array(z.string()),
    zones: z.array(z.string()),
  }),
  vantage: Vantage,
  inputsDigest: digest,
});

const WHAT = "a JSON report of cf-preflight check";

/**
 * Check a parsed report (pure): the version first (a report of another version is bad input as
 * such, whatever its shape), then that it is a check report, not a merged one, then its shape.
 * Throws InputError (exit 2) naming the file, the path inside it and what was expected.
 */
export function checkReport(value: unknown, label: string): ShardReport {
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new InputError(label, undefined, `${WHAT} (a JSON object)`);
  const top = value as Record<string, unknown>;
  const tool = top.tool as Record<string, unknown> | undefined;
  if (typeof tool !== "object" || tool === null || tool.name !== "cf-preflight")
    throw new InputError(label, "tool.name", `"cf-preflight" (${WHAT})`);
  if (tool.version !== VERSION)
    throw new InputError(
      label,
      "tool.version",
      `a report of cf-preflight ${VERSION}, the version merging (run every shard and the merge with the same version)`,
      `got ${JSON.stringify(tool.version)}`,
    );
  if (top.schemaVersion !== REPORT_SCHEMA_VERSION)
    throw new InputError(
      label,
      "schemaVersion",
      `${REPORT_SCHEMA_VERSION}`,
      `got ${JSON.stringify(top.schemaVersion)}`,
    );
  if (top.merge !== undefined)
    throw new InputError(
      label,
      "merge",
      `${WHAT}; this one is already merged (merge the shard reports themselves)`,
    );
  const shape = ReportShape.safeParse(value);
  if (!shape.success) throw inputErrorFromZod(shape.error, label);
  checkFindings(top.findings as unknown[], label);
  return value as unknown as ShardReport;
}

const STATUSES = new Set(["fail", "warn", "unknown", "pass"]);
const SUBJECT_STRINGS = [
  "zone",
  "hostname",
  "type",
  "address",
  "terraformAddress",
  "constructPath",
  "file",
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Each finding's shape, by hand: a report holds tens of thousands. */
function checkFindings(findings: readonly unknown[], label: string): void {
  for (let i = 0; i < findings.length; i++) {
    const f = findings[i];
    const at = (key?: string) => `findings[${i}]${key ? `.${key}` : ""}`;
    const fail = (key: string | undefined, expected: string): never => {
      throw new InputError(label, at(key), expected);
    };
    if (!isObject(f)) fail(undefined, "a finding (an object)");
    const x = f as Record<string, unknown>;
    if (typeof x.rule !== "string" || x.rule === "") fail("rule", "a rule id (a string)");
    if (typeof x.status !== "string" || !STATUSES.has(x.status))
      fail("status", 'one of "fail", "warn", "unknown", "pass"');
    if (typeof x.blocking !== "boolean") fail("blocking", "a boolean");
    if (x.predicts !== null && typeof x.predicts !== "string") fail("predicts", "a string or null");
    if (!isObject(x.subject)) fail("subject", "an object");
    const subject = x.subject as Record<string, unknown>;
    for (const key of SUBJECT_STRINGS)
      if (subject[key] !== undefined && typeof subject[key] !== "string") fail(`subject.${key}`, "a string");
    if (subject.port !== undefined && !Number.isInteger(subject.port)) fail("subject.port", "a whole number");
    if (typeof x.message !== "string") fail("message", "a string");
    if (!isObject(x.evidence)) fail("evidence", "an object");
    if (typeof x.fix !== "string") fail("fix", "a string");
    if (x.migration !== undefined && typeof x.migration !== "string") fail("migration", "a string");
    if (x.acknowledged !== undefined) {
      const ack = x.acknowledged;
      if (!isObject(ack) || typeof ack.reason !== "string") fail("acknowledged.reason", "a string");
      const expires = (ack as Record<string, unknown>).expires;
      if (expires !== undefined && typeof expires !== "string") fail("acknowledged.expires", "a string");
    }
  }
}
