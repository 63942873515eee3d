import { z } from "zod";
import { addressOrExpression, cidrProblem } from "./ip-address.js";

/**
 * The preflight declarations: what the checker needs that is not a Cloudflare resource (origins,
 * their ports and firewall allowlists, hostnames routed to them, acknowledged findings). The
 * constructs write them into the synthesized stack under the top-level `"//"` key, which Terraform's
 * JSON syntax treats as a comment; hand-written Terraform JSON may carry the same block.
 */
export const DECLARATIONS_KEY = "cf_preflight";

/** Bump when the shape changes incompatibly; the reader refuses versions from the future. */
export const DECLARATIONS_SCHEMA_VERSION = 2;
/** Version 2 added the optional per-zone `migration` policy; version 1 files read unchanged. */

/**
 * The schemas, built when first needed: zod builds each one as an object graph, and a run that
 * reads no declarations (most drifts) should not pay for that at start-up.
 */
function buildSchemas() {
  const port = z.number().int().min(1).max(65535);

  /** An address, or a Terraform reference where it is not known before apply; messages say what is wrong. */
  const ipv4 = addressOrExpression("ipv4");
  const ipv6 = addressOrExpression("ipv6");

  const CIDR_EXPECTED = "a CIDR such as 203.0.113.0/24 or 2001:db8::/32";
  const cidr = z.string({ error: CIDR_EXPECTED }).superRefine((value, ctx) => {
    const problem = cidrProblem(value, CIDR_EXPECTED);
    if (problem !== undefined) ctx.addIssue({ code: "custom", message: problem });
  });

  /**
   * A cloud firewall of the same configuration (`aws_security_group.web`, or a Terraform reference to
   * it): checked in `origin-firewalls.ts` against what the configuration declares.
   */
  const firewallResource = z.string().trim().min(1, "a resource address such as aws_security_group.web");

  const AllowlistDeclaration = z.union([
    z.literal("cloudflare"),
    z.literal("none"),
    z.strictObject({ cidrs: z.array(cidr).min(1) }),
    /** Added in schema version 2 without a bump: older files read unchanged. */
    z.strictObject({ resource: z.union([firewallResource, z.array(firewallResource).min(1)]) }),
  ]);

  const OriginDeclaration = z.strictObject({
    name: z.string().min(1),
    ipv4: z.array(ipv4).default([]),
    ipv6: z.array(ipv6).default([]),
    ports: z.array(z.strictObject({ port, scheme: z.enum(["http", "https"]) })).min(1),
    allowlist: AllowlistDeclaration.default("cloudflare"),
    constructPath: z.string().optional(),
  });

  const HostnameDeclaration = z.strictObject({
    fqdn: z.string().min(1),
    origin: z.string().min(1),
    proxied: z.boolean(),
    originPort: port.optional(),
    edgePorts: z.array(port).min(1).default([80, 443]),
    constructPath: z.string().optional(),
  });

  const AcknowledgementDeclaration = z.strictObject({
    rule: z.string().min(1),
    hostname: z.string().optional(),
    address: z.string().optional(),
    port: port.optional(),
    /** Checked by the acknowledgement rule, not here: a short reason is a finding, not bad input. */
    reason: z.string(),
    expires: z.iso.date().optional(),
    constructPath: z.string().optional(),
  });

  /** Issue 6: parity paths, the latency factor and the octoDNS-style change thresholds (all optional). */
  const MigrationPolicyDeclaration = z.strictObject({
    paths: z.array(z.string().regex(/^\/[^\s]*$/, "a path beginning with / and without spaces")).optional(),
    latencyFactor: z.number().min(1, "a factor of at least 1").max(100).optional(),
    maxChangeShare: z.number().gt(0, "a share above 0").max(1, "a share of at most 1 (100%)").optional(),
    minZoneRecords: z.number().int().min(1).optional(),
  });

  const ZoneDeclaration = z.strictObject({
    /** The zone name as declared. */
    zone: z.string().min(1),
    /**
     * The same `zone_id` value the records carry (a literal or a Terraform reference): ties them
     * together. Optional: the zone name alone names the zone (plans, `--config` files).
     */
    zoneId: z.string().min(1).optional(),
    origins: z.array(OriginDeclaration).default([]),
    hostnames: z.array(HostnameDeclaration).default([]),
    acknowledgements: z.array(AcknowledgementDeclaration).default([]),
    migration: MigrationPolicyDeclaration.optional(),
  });

  const Declarations = z.strictObject({
    schemaVersion: z
      .number()
      .int()
      .min(1)
      .max(DECLARATIONS_SCHEMA_VERSION, {
        error: `a schema version this cf-preflight understands (1 to ${DECLARATIONS_SCHEMA_VERSION}); upgrade cf-preflight`,
      }),
    zones: z.array(ZoneDeclaration),
  });
  return { AllowlistDeclaration, ZoneDeclaration, Declarations };
}

type Schemas = ReturnType<typeof buildSchemas>;
let schemas: Schemas | undefined;

/** The schema of a whole declarations value (`cf_preflight`, `--config`). */
export function declarationsSchema(): Schemas["Declarations"] {
  schemas ??= buildSchemas();
  return schemas.Declarations;
}

export type Declarations = z.output<Schemas["Declarations"]>;
export type AllowlistDeclaration = z.output<Schemas["AllowlistDeclaration"]>;
/** What constructs write (defaults may be left out). */
export type DeclarationsInput = z.input<Schemas["Declarations"]>;
export type ZoneDeclarationInput = z.input<Schemas["ZoneDeclaration"]>;
