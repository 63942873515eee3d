/**
 * Excerpts of Cloudflare's published OpenAPI schema, as test fixtures: for each endpoint the emulator
 * serves for the edge reads, the fields its answer's `result` must (or may) have and the enums they
 * take, copied from the schema's component definitions (names in `component`). Nothing else of the
 * schema is vendored. Source: https://github.com/cloudflare/api-schemas, file `openapi.yaml`,
 * commit 004e306af7836c7edd2b39d286c8cdd3d0508702 (2026-08-14), read 2026-11-30.
 */
export const OPENAPI_SOURCE = {
  repository: "cloudflare/api-schemas",
  file: "openapi.yaml",
  commit: "004e306af7836c7edd2b39d286c8cdd3d0508702",
} as const;

export interface Excerpt {
  readonly path: string;
  readonly component: string;
  /** `required` of the result object (or of each item of a list). */
  readonly required: readonly string[];
  /** `properties` of the result object (or item): every field the emulator sends must be one of them. */
  readonly properties?: readonly string[];
  readonly enums?: Readonly<Record<string, readonly (string | boolean)[]>>;
  /** Pagination of a list: what `result_info` carries. */
  readonly resultInfo?: "cursor" | "page";
}

export const EXCERPTS = {
  /** `rulesets_Rulesets`: "A list of rulesets. The returned information will not include the rules in each ruleset." */
  rulesets: {
    path: "/zones/{zone_id}/rulesets",
    component: "rulesets_Rulesets (items: rulesets_Ruleset)",
    required: ["name", "kind", "phase"],
    resultInfo: "cursor",
  },
  /** `rulesets_Ruleset` response of an entry point: name, kind, phase and rules required. */
  entrypoint: {
    path: "/zones/{zone_id}/rulesets/phases/{ruleset_phase}/entrypoint",
    component: "rulesets_Ruleset",
    required: ["name", "kind", "phase", "rules"],
  },
  pageRule: {
    path: "/zones/{zone_id}/pagerules",
    component: "zones_page_rule",
    required: ["id", "targets", "actions", "priority", "status", "modified_on", "created_on"],
    properties: ["actions", "created_on", "id", "modified_on", "priority", "status", "targets"],
    enums: { status: ["active", "disabled"] },
  },
  tlsClientAuth: {
    path: "/zones/{zone_id}/settings/tls_client_auth",
    /** As generated from the schema into the SDK (7.3) type `TLSClientAuth` (id and value required). */
    component: "zone setting tls_client_auth",
    required: ["id", "value"],
    enums: { id: ["tls_client_auth"], value: ["on", "off"] },
  },
  originPullSettings: {
    path: "/zones/{zone_id}/origin_tls_client_auth/settings",
    /** As generated from the schema into the SDK (7.3) type `SettingGetResponse` (`enabled?: boolean`). */
    component: "zone-level authenticated origin pulls enablement",
    required: [],
    properties: ["enabled"],
  },
  hostnameAssociation: {
    path: "/zones/{zone_id}/origin_tls_client_auth/hostnames",
    component: "tls-certificates-and-hostnames_hostname_assoc_object",
    required: [],
    properties: ["cert_id", "cert_status", "created_at", "enabled", "hostname", "status", "updated_at"],
    enums: {
      status: [
        "initializing",
        "pending_deployment",
        "pending_deletion",
        "active",
        "deleted",
        "deployment_timed_out",
        "deletion_timed_out",
      ],
    },
    resultInfo: "page",
  },
  tunnel: {
    path: "/accounts/{account_id}/cfd_tunnel/{tunnel_id}",
    component: "tunnel_cfd_tunnel",
    required: [],
    properties: [
      "account_tag",
      "config_src",
      "connections",
      "conns_active_at",
      "conns_inactive_at",
      "created_at",
      "deleted_at",
      "id",
      "metadata",
      "name",
      "remote_config",
      "status",
      "tun_type",
    ],
    enums: { config_src: ["local", "cloudflare"], status: ["inactive", "degraded", "healthy", "down"] },
  },
  tunnelConfiguration: {
    path: "/accounts/{account_id}/cfd_tunnel/{tunnel_id}/configurations",
    component: "tunnel_configuration",
    required: [],
    properties: ["account_id", "config", "created_at", "source", "tunnel_id", "version"],
    enums: { source: ["local", "cloudflare"] },
  },
} as const satisfies Record<string, Excerpt>;

/**
 * `tunnel_ingressRule` requires `hostname` and `service`; the catch-all rule that ends every
 * configuration has no hostname in cloudflared's own format, so only `service` is held to it here.
 */
export const INGRESS_RULE = {
  required: ["service"],
  properties: ["hostname", "originRequest", "path", "service"],
};

/** Fields of an object that the excerpt does not know, and required fields it lacks. */
export function compareWithExcerpt(
  value: Record<string, unknown>,
  excerpt: Pick<Excerpt, "required" | "properties" | "enums">,
): { missing: string[]; unknown: string[]; badEnums: string[] } {
  const missing = excerpt.required.filter((f) => !(f in value));
  const unknown = excerpt.properties
    ? Object.keys(value).filter((k) => !excerpt.properties!.includes(k))
    : [];
  const badEnums = Object.entries(excerpt.enums ?? {}).flatMap(([field, allowed]) =>
    field in value && !(allowed as readonly unknown[]).includes(value[field])
      ? [`${field}=${String(value[field])}`]
      : [],
  );
  return { missing, unknown, badEnums };
}
