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
      files: ["/repo/cdktf.out/stacks/example/cdk.tf.json"],
      zones: ["example.com", "example.org"],
    },
  });
}
