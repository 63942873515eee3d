/**
 * Rule expressions from public Terraform configurations of `cloudflare_ruleset` in the phases route
 * computation reads (http_request_origin, http_config_settings, http_request_dynamic_redirect), as
 * Terraform sends them to the API: HCL string escapes undone, heredoc indentation as Terraform keeps
 * it. Terraform interpolations stay as written; `substitutions` gives the value each one is tested
 * with (values of our choosing where the repository computes them, marked "assumed").
 *
 * `expect` lists, per hostname (and path), what `decideForHost` must answer and, when given, what
 * `evaluate` must answer for an HTTPS GET probe of that path.
 */

export type Kind = "match" | "no-match" | "undecidable";

export interface RealExpression {
  readonly repo: string;
  readonly path: string;
  readonly commit: string;
  readonly phase: "http_request_origin" | "http_config_settings" | "http_request_dynamic_redirect";
  readonly expression: string;
  readonly substitutions?: Readonly<Record<string, string>>;
  readonly expect: readonly {
    readonly host: string;
    readonly path?: string;
    readonly decide: Kind;
    readonly probe?: Kind;
  }[];
}

export const REAL_EXPRESSIONS: readonly RealExpression[] = [
  {
    repo: "tpimentacf/terra.pimenta.fun",
    path: "ruleset_origin.tf",
    commit: "9c17aedb1ee23192fc71a309b25acc6243780a18",
    phase: "http_request_origin",
    expression: '(http.request.uri.path matches "^/neworigin/*")',
    expect: [
      { host: "sub1.terra.pimenta.fun", path: "/neworigin/app", decide: "match", probe: "match" },
      { host: "sub1.terra.pimenta.fun", path: "/health", decide: "no-match", probe: "no-match" },
      // No path given: it depends on the path.
      { host: "sub1.terra.pimenta.fun", decide: "undecidable" },
    ],
  },
  {
    repo: "tpimentacf/terra.pimenta.fun",
    path: "ruleset_origin.tf",
    commit: "9c17aedb1ee23192fc71a309b25acc6243780a18",
    phase: "http_request_origin",
    expression: '(starts_with(http.request.uri.path, "/resources/") and http.host ne "r2.terra.pimenta.fun")',
    expect: [
      { host: "www.terra.pimenta.fun", path: "/resources/logo.png", decide: "match", probe: "match" },
      { host: "r2.terra.pimenta.fun", path: "/resources/logo.png", decide: "no-match", probe: "no-match" },
      { host: "www.terra.pimenta.fun", path: "/health", decide: "no-match" },
      // The host alone rules it out, whatever the path.
      { host: "r2.terra.pimenta.fun", decide: "no-match" },
    ],
  },
  {
    repo: "tpimentacf/terra.pimenta.fun",
    path: "ruleset_redirect.tf",
    commit: "145d20af90abf8155e86bef4c150a066fbc3dfd1",
    phase: "http_request_dynamic_redirect",
    expression: '(http.request.uri.path matches "^/api/")',
    expect: [
      { host: "terraforma.pimenta.fun", path: "/api/v1/items", decide: "match" },
      { host: "terraforma.pimenta.fun", path: "/apidocs", decide: "no-match" },
    ],
  },
  {
    repo: "tpimentacf/terra.pimenta.fun",
    path: "ruleset_redirect.tf",
    commit: "145d20af90abf8155e86bef4c150a066fbc3dfd1",
    phase: "http_request_dynamic_redirect",
    expression:
      '(http.host matches "(httpbin.|)terraforma.pimenta.fun") and (http.request.uri.path.extension eq "png")',
    expect: [
      { host: "httpbin.terraforma.pimenta.fun", path: "/img/a.png", decide: "match" },
      // The extension is lower-cased.
      { host: "terraforma.pimenta.fun", path: "/IMG/A.PNG", decide: "match" },
      // The regex is not anchored, so any name containing terraforma.pimenta.fun matches too.
      { host: "www.terraforma.pimenta.fun", path: "/a.png", decide: "match" },
      { host: "terraforma.pimenta.fun", path: "/index.html", decide: "no-match" },
      { host: "pimenta.fun", path: "/a.png", decide: "no-match" },
    ],
  },
  {
    repo: "acearchive/infra",
    path: "acearchive/redirect.tf",
    commit: "38d9209f338ca30680fdc2fc81c79ecdeb8b494a",
    phase: "http_request_dynamic_redirect",
    expression: '(http.host == "www.${data.cloudflare_zone.acearchive.name}")',
    // An earlier version of the file spells the zone out: www.acearchive.lgbt.
    substitutions: { "${data.cloudflare_zone.acearchive.name}": "acearchive.lgbt" },
    expect: [
      { host: "www.acearchive.lgbt", decide: "match", probe: "match" },
      { host: "acearchive.lgbt", decide: "no-match", probe: "no-match" },
    ],
  },
  {
    repo: "CustomCADs/Infra",
    path: "production/frontend/cloudflare/dns.tf",
    commit: "cc213e497af850c3cb16db5d03a538e37821c6dd",
    phase: "http_request_dynamic_redirect",
    expression: '(http.host eq "customcads.com")',
    expect: [
      { host: "customcads.com", decide: "match" },
      { host: "www.customcads.com", decide: "no-match" },
    ],
  },
  {
    repo: "rustymagnet3000/cloudflare",
    path: "modules/redirects/homepage.tf",
    commit: "22953c71a532fab275b95cc3f27a1992ab217504",
    phase: "http_request_dynamic_redirect",
    expression:
      '    (\n        http.request.method eq "GET"\n        and (http.request.uri.path eq "/promo/")\n    )\n',
    expect: [
      // A probe is a GET, so it is decided for the probe; visitors may POST, so not for every request.
      { host: "example.xyz", path: "/promo/", decide: "undecidable", probe: "match" },
      { host: "example.xyz", path: "/blog/", decide: "no-match", probe: "no-match" },
    ],
  },
  {
    repo: "rustymagnet3000/cloudflare",
    path: "modules/redirects/homepage.tf",
    commit: "56e68e8172e214280666339b809cdfc549b362ca",
    phase: "http_request_dynamic_redirect",
    expression:
      '    (\n        http.request.method eq "GET"\n        and (starts_with(http.request.full_uri, "https://${var.xyz_zone_name}"))\n    )\n',
    substitutions: { "${var.xyz_zone_name}": "example.xyz" }, // assumed
    expect: [
      { host: "example.xyz", path: "/", decide: "undecidable", probe: "match" },
      // full_uri starts with https://www.example.xyz/, never https://example.xyz.
      { host: "www.example.xyz", path: "/", decide: "no-match", probe: "no-match" },
    ],
  },
  {
    repo: "cloudflare/terraform-provider-cloudflare",
    path: "internal/services/ruleset/testdata/TestAccCloudflareRuleset_SetConfigRules/1.tf",
    commit: "837da07e1faed0507eae00f602414eac1b1e9f05",
    phase: "http_config_settings",
    expression: "ip.src eq 1.1.1.1",
    expect: [
      { host: "example.com", path: "/", decide: "undecidable", probe: "undecidable" },
      { host: "www.example.com", decide: "undecidable" },
    ],
  },
  {
    repo: "iamask/cloudflare-zone-template",
    path: "rules/origin_rules/origin_rules.tf",
    commit: "150b21086786f024e7e93098cfde9fa0e9e6c8e5",
    phase: "http_request_origin",
    expression: 'lookup_json_string(cf.hostname.metadata, "customer") == "noisy"',
    expect: [
      { host: "eu.tf.zxc.co.in", path: "/", decide: "undecidable", probe: "undecidable" },
      { host: "app.tf.zxc.co.in", decide: "undecidable" },
    ],
  },
  {
    repo: "iamask/cloudflare-zone-template",
    path: "rules/redirect_rules/single_redirect.tf",
    commit: "5a450ffc9a38bda8ff4cae2aa2b72b9c7e0d3170",
    phase: "http_request_dynamic_redirect",
    expression: '(http.request.uri.path matches "^/contact-us/")',
    expect: [
      { host: "tf.zxc.co.in", path: "/contact-us/", decide: "match" },
      { host: "tf.zxc.co.in", path: "/contact-us", decide: "no-match" },
    ],
  },
  {
    repo: "suzutan/infra",
    path: "terraform/harvestasya.org/ruleset_ingress.tf",
    commit: "3f65921eff18ad03ab508f01e9e0992641fd11ef",
    phase: "http_request_origin",
    expression:
      '(http.host in {\n  "${cloudflare_record.argocd.hostname}"\n  "${cloudflare_record.asf.hostname}"\n})\n',
    substitutions: {
      "${cloudflare_record.argocd.hostname}": "argocd.harvestasya.org", // assumed
      "${cloudflare_record.asf.hostname}": "asf.harvestasya.org", // assumed
    },
    expect: [
      { host: "argocd.harvestasya.org", decide: "match" },
      { host: "asf.harvestasya.org", path: "/login", decide: "match" },
      { host: "harvestasya.org", decide: "no-match" },
    ],
  },
  {
    repo: "suzutan/infra",
    path: "terraform/harvestasya.org/ruleset_origin_ingress.tf",
    commit: "1501200579d4ac1fed1fb8fbd10b1cbfb6f48f3f",
    phase: "http_request_origin",
    expression:
      '(http.host in {\n  "${module.app_argocd.cloudflare_record.hostname}"\n  "${cloudflare_record.auth.hostname}"\n})\n',
    substitutions: {
      "${module.app_argocd.cloudflare_record.hostname}": "argocd.harvestasya.org", // assumed
      "${cloudflare_record.auth.hostname}": "auth.harvestasya.org", // assumed
    },
    expect: [
      { host: "auth.harvestasya.org", decide: "match" },
      { host: "grafana.harvestasya.org", decide: "no-match" },
    ],
  },
  {
    repo: "ResearchComputer/OpenTela",
    path: "deploy/cloudflare/main.tf",
    commit: "a8c1055a2b9ff9a9af2798a5dc5f623a7e82f9e8",
    phase: "http_request_origin",
    expression: '(http.host eq "bootstraps.opentela.ai")',
    expect: [
      { host: "bootstraps.opentela.ai", decide: "match", probe: "match" },
      { host: "p2p.opentela.ai", decide: "no-match" },
    ],
  },
  {
    repo: "ResearchComputer/OpenTela",
    path: "deploy/cloudflare/main.tf",
    commit: "a8c1055a2b9ff9a9af2798a5dc5f623a7e82f9e8",
    phase: "http_request_origin",
    expression: '(http.host eq "p2p.opentela.ai")',
    expect: [
      { host: "p2p.opentela.ai", decide: "match" },
      { host: "docs.opentela.ai", decide: "no-match" },
    ],
  },
  {
    repo: "ResearchComputer/OpenTela",
    path: "deploy/cloudflare/main.tf",
    commit: "a8c1055a2b9ff9a9af2798a5dc5f623a7e82f9e8",
    phase: "http_config_settings",
    expression: '(http.host eq "bootstraps.opentela.ai" or http.host eq "p2p.opentela.ai")',
    expect: [
      { host: "bootstraps.opentela.ai", decide: "match" },
      { host: "p2p.opentela.ai", path: "/ws", decide: "match" },
      { host: "docs.opentela.ai", decide: "no-match" },
    ],
  },
  {
    repo: "CRRU-UK/photo-id-app",
    path: "terraform/cloudflare.tf",
    commit: "4a020a798962f989e683f27cef45e57c7c08b60b",
    phase: "http_config_settings",
    expression: '(http.host eq "photoidapp.crru.org.uk")',
    expect: [
      { host: "photoidapp.crru.org.uk", decide: "match" },
      { host: "crru.org.uk", decide: "no-match" },
    ],
  },
];

/** The expression with its Terraform interpolations replaced by the test values. */
export function substituted(r: RealExpression): string {
  let text = r.expression;
  for (const [from, to] of Object.entries(r.substitutions ?? {})) text = text.split(from).join(to);
  return text;
}
