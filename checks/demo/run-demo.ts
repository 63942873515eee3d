import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseCommonOptions } from "../cli/options.js";
import { readDesired } from "../desired/read.js";
import { startEmulator } from "../emulator/index.js";
import { EXIT } from "../errors.js";
import { runPreflight } from "../preflight.js";
import { exitCode } from "../report/exit-code.js";
import type { Report } from "../report/report.js";
import { catalogue } from "../rules/registry.js";
import { makeDemoCertificates } from "./certificates.js";
import { type DemoOrigin, httpsOrigin, refusingPort } from "./origins.js";
import { seedZoneFromDesired } from "./seed.js";

export interface DemoResult {
  readonly report: Report;
  /** What `cf-preflight check` would exit with on this state (1: the demo's problems block). */
  readonly checkExit: number;
  /** What `cf-preflight drift` would exit with (4: drift). */
  readonly driftExit: number;
  /** Every request the emulator saw, to show the checker only reads. */
  readonly methods: readonly string[];
}

/**
 * The demo's timeouts, shortened so the slow origin shows a 524 at once, not after two minutes.
 * The read timeout is most of the demo's time (every other origin answers on loopback in
 * milliseconds); 0.75 s leaves them a margin of a hundred times that on a busy machine.
 */
const DEMO_READ_TIMEOUT_SECONDS = 0.75;
const DEMO_CONNECT_TIMEOUT_SECONDS = 2;
const SLOW_ORIGIN_DELAY_MS = 4_000;
/** The host www is on live, before the migration the code makes. */
const OLD_WWW = "192.0.2.99";
/** The path the migration's parity compares besides "/"; the new origin lacks it. */
const PARITY_PATH = "/health";
/** The demo account, which holds the zone and the tunnel `app` routes through. */
const DEMO_ACCOUNT = "d3e0acc0000000000000000000000001";

/**
 * The embedded default: the example stack (with the demo's problem hosts) synthesized with cdktf,
 * the API emulator seeded with the zone as it stands "live" (one record edited by hand), local
 * origins on loopback, then the whole check. No account, token, root or internet.
 */
export async function runDemo(log: (line: string) => void): Promise<DemoResult> {
  const work = mkdtempSync(join(tmpdir(), "cf-preflight-demo-"));
  const origins: DemoOrigin[] = [];
  let emulator: Awaited<ReturnType<typeof startEmulator>> | undefined;
  // The certificates are made by openssl processes while this one synthesizes (started first, so
  // the two run at once on a machine with two CPUs).
  const certificates = makeDemoCertificates(work, ["example.com", "*.example.com"]);
  certificates.catch(() => {});
  try {
    log("1/5 synthesizing the example stack with cdktf (and making certificates)...");
    const outdir = join(work, "cdktf.out");
    const { synthDemoStack, DEMO_TUNNEL } = await import("./synth-demo.js");
    synthDemoStack(outdir);
    const desired = await readDesired(outdir);
    const zone = desired.zones[0]!;

    log("2/5 starting the Cloudflare API emulator on loopback, seeded with example.com and its tunnel...");
    const token = `demo-${process.pid}-${Date.now()}`;
    // Deployed as the code says (the Full zone, api's Configuration Rule), but for the changes below.
    const live = { ...seedZoneFromDesired(zone, "full"), accountId: DEMO_ACCOUNT };
    for (const record of live.records) {
      // www is still on the old host (192.0.2.99): the code moves it to the web origin, a host
      // migration. The new host lacks /health, which the old one serves.
      if (record.name === "www.example.com" && record.type === "A") record.content = OLD_WWW;
    }
    live.records.push({
      name: "staging.example.com",
      type: "A",
      content: "192.0.2.77",
      proxied: true,
      ttl: 1,
    });
    // The tunnel app.example.com routes through, connected and serving it (cloudflared's ingress).
    const tunnel = {
      id: DEMO_TUNNEL.id,
      name: DEMO_TUNNEL.name,
      status: "healthy" as const,
      ingress: [
        { hostname: "app.example.com", service: "http://localhost:8080" },
        { service: "http_status:404" },
      ],
    };
    emulator = await startEmulator({
      token,
      seed: { accounts: [{ id: DEMO_ACCOUNT, tunnels: [tunnel] }], zones: [live] },
    });

    log("3/5 certificates: a private root standing in for Cloudflare's Origin CA...");
    const certs = await certificates;
    const caFile = join(work, "origin-ca.pem");
    writeFileSync(caFile, certs.rootPem);

    log("4/5 starting local origins: healthy, expired certificate, refusing, slow, old and new www...");
    const web = await httpsOrigin(certs.valid, "web", 0, [PARITY_PATH]);
    const oldWww = await httpsOrigin(certs.valid, "old-www");
    const api = await httpsOrigin(certs.expired, "api");
    const legacy = await refusingPort();
    const reports = await httpsOrigin(certs.valid, "reports", SLOW_ORIGIN_DELAY_MS);
    const partner = await httpsOrigin(certs.valid, "partner");
    origins.push(web, oldWww, api, legacy, reports, partner);
    const connectTo = [
      // By origin address first: the old and the new www serve the same hostname.
      `${OLD_WWW}:443:127.0.0.1:${oldWww.port}`,
      `example.com:443:127.0.0.1:${web.port}`,
      `www.example.com:443:127.0.0.1:${web.port}`,
      `api.example.com:8443:127.0.0.1:${api.port}`,
      `legacy.example.com:443:127.0.0.1:${legacy.port}`,
      `reports.example.com:443:127.0.0.1:${reports.port}`,
      `partner.example.com:443:127.0.0.1:${partner.port}`,
    ].flatMap((spec) => ["--connect-to", spec]);

    log("5/5 running the preflight: static rules, live API, drift, origin probes...");
    const options = parseCommonOptions(
      [
        "--synth",
        outdir,
        ...connectTo,
        "--origin-ca",
        caFile,
        "--read-timeout",
        String(DEMO_READ_TIMEOUT_SECONDS),
        "--connect-timeout",
        String(DEMO_CONNECT_TIMEOUT_SECONDS),
        // The local origins admit this machine, as Cloudflare's ranges would be admitted.
        "--vantage",
        "allowed",
        "--parity-path",
        PARITY_PATH,
      ],
      "demo",
    );
    const { report } = await runPreflight(options, {
      cwd: work,
      env: { CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_API_BASE_URL: emulator.url },
      log: () => {},
      now: new Date(),
    });
    return {
      report,
      checkExit: exitCode(report),
      driftExit: exitCode(report, { drift: true }),
      methods: [...new Set(emulator.requests().map((r) => r.method))],
    };
  } finally {
    await Promise.all(origins.map((o) => o.close()));
    await emulator?.close();
    await certificates.catch(() => {});
    rmSync(work, { recursive: true, force: true });
  }
}

/** A short explanation of each rule the report raised, in the order they appear. */
export function explainFindings(report: Report): string {
  const seen = new Set<string>();
  const lines: string[] = ["What the demo shows:"];
  for (const f of report.findings) {
    if (f.status === "pass" || seen.has(f.rule)) continue;
    seen.add(f.rule);
    const rule = catalogue().find((r) => r.id === f.rule);
    if (rule) lines.push(`  - ${f.rule}${f.predicts ? ` (${f.predicts})` : ""}: ${rule.why}`);
  }
  // The edge's routes that pass are not listed above: the tunnel route is worth a line.
  for (const f of report.findings)
    if (f.rule === "tunnel-route" && f.status === "pass")
      lines.push(`  - tunnel-route: ${f.message} (were it down or deleted, visitors would get 1033).`);
  if (report.drift.dns.length > 0)
    lines.push(
      `  - drift: ${report.drift.dns.length} DNS change(s) between the code and the zone, from records edited by hand in the dashboard; \`cf-preflight drift\` exits ${EXIT.drift} on it.`,
    );
  return `${lines.join("\n")}\n`;
}
