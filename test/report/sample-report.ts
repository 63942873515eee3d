import type { Finding } from "../../checks/model/finding.js";
import { buildReport } from "../../checks/report/build.js";
import type { Report } from "../../checks/report/report.js";

const base = { evidence: {}, fix: "Do the fix." };

/** A fixed report with every status, an acknowledgement, awkward characters and drift. */
export function sampleReport(): Report {
  const findings: Finding[] = [
    {
      ...base,
      rule: "origin-port-scheme",
      status: "fail",
      blocking: true,
      predicts: "521",
      subject: {
        zone: "example.com",
        hostname: "api.example.com",
        address: "198.51.100.20",
        port: 8443,
        constructPath: "example/example-com/api",
        file: "/repo/cdktf.out/stacks/example/cdk.tf.json",
      },
      message: 'origin api refuses port 8443 <tcp> & "more"',
      fix: "Open port 8443, or route to 443 | 80.",
    },
    {
      ...base,
      rule: "proxied-ttl-not-auto",
      status: "warn",
      blocking: false,
      predicts: null,
      subject: {
        zone: "example.com",
        hostname: "www.example.com",
        type: "A",
        terraformAddress: "cloudflare_dns_record.www",
      },
      message: "proxied record www.example.com sets TTL 300, 100%\nsecond line",
    },
    {
      ...base,
      rule: "origin-port-scheme",
      status: "unknown",
      blocking: false,
      predicts: null,
      subject: { zone: "example.org" },
      message: "the SSL mode of example.org is not known",
    },
    {
      ...base,
      rule: "duplicate-record",
      status: "fail",
      blocking: false,
      predicts: "81058",
      subject: { zone: "example.com", hostname: "dup.example.com", type: "TXT" },
      message: "TXT dup.example.com is declared twice",
      acknowledged: { reason: "cleanup tracked in OPS-12", expires: "2027-01-01" },
    },
  ];
  return buildReport({
    findings,
    drift: {
      dns: [
        {
          action: "update",
          zone: "example.com",
          fqdn: "www.example.com",
          type: "A",
          fields: [{ field: "content", from: "192.0.2.9", to: "192.0.2.10" }],
        },
      ],
      settings: [{ zone: "example.com", setting: "ssl", desired: "strict", live: "full" }],
      firewall: [
        {
          origin: "web",
          kind: "missing-cloudflare-ranges",
          cidrs: ["104.16.0.0/13"],
          message: "allowlist misses 104.16.0.0/13",
          predicts: "522",
        },
      ],
    },
    coverage: {
      live: true,
      probes: false,
      probesSkipped: "--no-probes",
      files: ["/repo/cdktf.out/stacks/example/cdk.tf.json"],
      zones: ["example.com", "example.org"],
    },
  });
}

const BLOCKED = "example.com: old -> new";
const UNVERIFIED = "example.net: web (full) -> web (strict)";
const READY = "example.org: lb-old.example.net -> lb-new.example.net";

/**
 * A report whose change moves hostnames: one migration blocked by a finding carrying its id, one
 * unverified (the SSL mode moves and the new side could not be probed), one ready.
 */
export function sampleMigrationReport(): Report {
  const findings: Finding[] = [
    {
      ...base,
      rule: "origin-certificate",
      status: "fail",
      blocking: true,
      predicts: "526",
      subject: { zone: "example.com", hostname: "www.example.com", address: "198.18.212.2", port: 443 },
      message: "the new origin's certificate does not cover www.example.com",
      fix: "Install a certificate for www.example.com on the new origin.",
      migration: BLOCKED,
    },
    {
      ...base,
      rule: "migration-http-parity",
      status: "pass",
      blocking: false,
      predicts: null,
      subject: { zone: "example.com", hostname: "www.example.com", address: "198.18.212.2", port: 443 },
      message: "/ answers 200 on old and new",
      migration: BLOCKED,
    },
    {
      ...base,
      rule: "migration-port-parity",
      status: "unknown",
      blocking: false,
      predicts: null,
      subject: { zone: "example.net", hostname: "shop.example.net", address: "2001:db8::7", port: 443 },
      message: "the new origin did not answer on port 443 from this vantage\n(it may admit only Cloudflare)",
      migration: UNVERIFIED,
    },
    {
      ...base,
      rule: "proxied-ttl-not-auto",
      status: "warn",
      blocking: false,
      predicts: null,
      subject: { zone: "example.com", hostname: "www.example.com", type: "A" },
      message: "proxied record www.example.com sets TTL 300",
    },
  ];
  return buildReport({
    findings,
    drift: { dns: [], settings: [], firewall: [] },
    migrations: [
      {
        id: BLOCKED,
        zone: "example.com",
        from: {
          origin: "old",
          addresses: ["198.18.211.2"],
          ports: [443],
          scheme: "https",
          sslMode: "strict",
        },
        to: {
          origin: "new",
          addresses: ["198.18.212.2", "2001:2:0:d4::2"],
          ports: [443],
          scheme: "https",
          sslMode: "strict",
        },
        hostnames: [
          { hostname: "www.example.com", reasons: ["address"] },
          { hostname: "api.example.com", reasons: ["address", "origin-port"] },
        ],
        verdict: "blocked",
        checks: { failed: 1, warnings: 0, unknown: 0, passed: 4 },
      },
      {
        id: UNVERIFIED,
        zone: "example.net",
        from: {
          origin: "web",
          addresses: ["2001:db8::7"],
          ports: [80, 443],
          scheme: "mixed",
          sslMode: "full",
        },
        to: { origin: "web", addresses: ["2001:db8::7"], ports: [443], scheme: "https", sslMode: "strict" },
        hostnames: [{ hostname: "shop.example.net", reasons: ["ssl-mode"] }],
        verdict: "unverified",
        checks: { failed: 0, warnings: 0, unknown: 1, passed: 2 },
      },
      {
        id: READY,
        zone: "example.org",
        from: { addresses: ["lb-old.example.net"], ports: [443], scheme: "https", sslMode: "full" },
        to: { addresses: ["lb-new.example.net"], ports: [443], scheme: "https", sslMode: "full" },
        hostnames: [{ hostname: "cdn.example.org", reasons: ["cname-target"] }],
        verdict: "ready",
        checks: { failed: 0, warnings: 0, unknown: 0, passed: 6 },
      },
    ],
    coverage: {
      live: true,
      probes: true,
      files: ["/repo/cdktf.out/stacks/example/cdk.tf.json"],
      zones: ["example.com", "example.net", "example.org"],
    },
  });
}

/**
 * The sample report as `cf-preflight drift` gives it: gated on drift, with a DNS update whose
 * content the code leaves to apply (unknown) and a firewall export with rules not decided.
 */
export function sampleDriftReport(): Report {
  const report = sampleReport();
  return {
    ...report,
    gate: "drift",
    drift: {
      ...report.drift,
      dns: [
        ...report.drift.dns,
        {
          action: "update",
          zone: "example.com",
          fqdn: "lb.example.com",
          type: "A",
          desired: {
            fqdn: "lb.example.com",
            type: "A",
            content: { unresolved: "${var.lb_ip}" },
            proxied: false,
            ttl: 300,
            source: {
              file: "/repo/cdktf.out/stacks/example/cdk.tf.json",
              address: "cloudflare_dns_record.lb",
              constructPath: "example/lb/a",
            },
          },
          fields: [{ field: "content", from: "192.0.2.50", to: { unresolved: "${var.lb_ip}" } }],
          unresolved: ["content"],
        },
      ],
      firewall: [
        ...report.drift.firewall,
        {
          zone: "example.com",
          origin: "web",
          kind: "enforced-unknown",
          cidrs: ["0.0.0.0/0"],
          ports: [443],
          rules: ["INPUT 3: -m set --match-set edge src"],
          message: "origin web's firewall has a rule the checker cannot read on port 443",
          predicts: null,
        },
      ],
    },
  };
}
