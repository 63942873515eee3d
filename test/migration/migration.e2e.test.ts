import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App } from "cdktf";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_IPS, type Emulator, startEmulator } from "../../checks/emulator/index.js";
import type { Finding } from "../../checks/model/finding.js";
import type { MigrationSummary } from "../../checks/model/migration.js";
import type { Report } from "../../checks/report/report.js";
import { runCli } from "../helpers/run-cli.js";
import { LAB_REQUIRED, labCapability } from "../lab/netns.js";
import { cloudflareRuleset, LAB_ONLY_RULESET } from "./firewall.js";
import { cdktfDeploy, type DeployRun, migrationGateProject, REACHED_INIT } from "./gate-project.js";
import { createMigrationLab, labGet, type MigrationLab, NGINX, type OriginState } from "./lab.js";
import { addressesToEnv, defineMigrationSite, HOSTNAMES, liveSeed, ZONE } from "./site.js";

/**
 * Issue 6's acceptance: two real nginx origins in network namespaces (old and new), the API
 * emulator holding the live zone (www and app on the old origin), and a stack moving both to the
 * new origin. Each broken new origin (a certificate missing a hostname, a firewall dropping
 * Cloudflare's ranges, a path answering 404 where the old origin answers 200) must block the
 * migration with the right finding; the clean one passes, and the in-app gate lets `cdktf deploy`
 * reach `terraform init` only then. One lab serves every case: nginx is reconfigured in between.
 */

const TOKEN = "tok-SECRET-lab-4b1e8d-77a2";
const capability = labCapability();
const ready = capability.ok && NGINX !== undefined;
const reason = !capability.ok ? capability.reason : "nginx is not installed (apt-get install -y nginx)";

const [APP, WWW] = HOSTNAMES;
/** Fail fast: a mistake should not wait for Cloudflare's 19 s and 120 s. */
const TIMEOUTS = ["--connect-timeout", "3", "--read-timeout", "5"];

const OLD_STATE: OriginState = { health: true };
/**
 * The new origin, ready: certificates for both hostnames, /health up, and a firewall admitting
 * Cloudflare's ranges (the emulator's /ips) besides the lab. Each broken case changes one thing.
 */
const CLEAN: OriginState = { health: true, nftables: cloudflareRuleset(DEFAULT_IPS) };
const CERT_LACKS_APP: OriginState = { ...CLEAN, certificateNames: { [APP]: [WWW], [WWW]: [WWW] } };
const DROPS_CLOUDFLARE: OriginState = { ...CLEAN, nftables: LAB_ONLY_RULESET };
const HEALTH_404: OriginState = { ...CLEAN, health: false };

interface CheckRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  readonly report: Report | undefined;
}

let lab: MigrationLab | undefined;
let emulator: Emulator | undefined;
let synthDir: string | undefined;
/** The new origin's ruleset as exported after the last `setNew`, for `--firewall new=FILE`. */
let firewallExport: string | undefined;

function currentLab(): MigrationLab {
  if (!lab) throw new Error("the migration lab was not built (see beforeAll's error)");
  return lab;
}

/** Put the new origin in `state` and export its ruleset (every check passes it with --firewall). */
async function setNew(state: OriginState): Promise<void> {
  await currentLab().new.apply(state);
  firewallExport = join(currentLab().dir, "new-ruleset.json");
  currentLab().new.exportFirewall(firewallExport);
}

/** `cf-preflight check` on the scenario's synth, against the emulator, probing the lab. */
async function check(extra: readonly string[] = []): Promise<CheckRun> {
  const run = await runCli(
    [
      "check",
      ...extra,
      "--synth",
      synthDir!,
      "--format",
      "json",
      "--vantage",
      "allowed",
      "--origin-ca",
      currentLab().caFile,
      "--firewall",
      `new=${firewallExport}`,
      ...TIMEOUTS,
    ],
    {
      env: { CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator!.url },
      // Unscrubbed, so that a token in the output fails the test instead of being hidden.
      scrub: false,
    },
  );
  let report: Report | undefined;
  try {
    report = JSON.parse(run.stdout) as Report;
  } catch {
    report = undefined;
  }
  return { ...run, report };
}

/** What a failing assertion prints: the exit code, the migrations and every finding that is not a pass. */
function digest(run: CheckRun): string {
  const findings = (run.report?.findings ?? [])
    .filter((f) => f.status !== "pass")
    .map((f) => ({
      rule: f.rule,
      status: f.status,
      blocking: f.blocking,
      predicts: f.predicts,
      migration: f.migration,
      subject: f.subject,
      message: f.message,
      evidence: f.evidence,
    }));
  return `\n--- check exited ${run.code}\n--- stderr (tail):\n${run.stderr.slice(-1500)}\n--- migrations:\n${JSON.stringify(
    run.report?.migrations,
    null,
    2,
  )}\n--- findings (not pass):\n${JSON.stringify(findings, null, 2)}\n`;
}

function findings(run: CheckRun, rule: string): Finding[] {
  return (run.report?.findings ?? []).filter((f) => f.rule === rule);
}

/** The one migration the scenario makes: example.com, old -> new, www and app by address. */
function theMigration(run: CheckRun): MigrationSummary {
  const migrations = run.report?.migrations;
  expect(migrations, `report.migrations should hold one migration${digest(run)}`).toHaveLength(1);
  const migration = migrations![0]!;
  const { addresses } = currentLab();
  expect(migration, digest(run)).toMatchObject({
    zone: ZONE,
    from: { origin: "old", sslMode: "strict", scheme: "https" },
    to: { origin: "new", sslMode: "strict", scheme: "https" },
  });
  expect([...migration.from.addresses].sort(), digest(run)).toEqual(
    [addresses.old.v4, addresses.old.v6].sort(),
  );
  expect([...migration.to.addresses].sort(), digest(run)).toEqual(
    [addresses.new.v4, addresses.new.v6].sort(),
  );
  expect(
    [...migration.hostnames].sort((a, b) => a.hostname.localeCompare(b.hostname)),
    digest(run),
  ).toEqual([
    { hostname: APP, reasons: ["address"] },
    { hostname: WWW, reasons: ["address"] },
  ]);
  return migration;
}

function expectNoTokenIn(text: string): void {
  expect(text.includes(TOKEN), "the API token appeared in the output").toBe(false);
}

function gateArgs(): string {
  return [
    "--vantage",
    "allowed",
    "--origin-ca",
    currentLab().caFile,
    "--firewall",
    `new=${firewallExport}`,
    ...TIMEOUTS,
  ].join(" ");
}

/** The real `cdktf deploy --auto-approve` of the fixture app, gated, against the emulator and the lab. */
function deploy(): Promise<DeployRun> {
  const { dir, env } = migrationGateProject();
  return cdktfDeploy(dir, {
    ...env,
    ...addressesToEnv(currentLab().addresses),
    CF_PREFLIGHT_ARGS: gateArgs(),
    CLOUDFLARE_API_TOKEN: TOKEN,
    CLOUDFLARE_API_BASE_URL: emulator!.url,
  }).finally(() => rmSync(dir, { recursive: true, force: true }));
}

describe.skipIf(!ready && !LAB_REQUIRED)(
  `host migration preflight end to end: two nginx origins in namespaces + the API emulator${ready ? "" : ` (skipped: ${reason})`}`,
  () => {
    beforeAll(async () => {
      if (!ready) throw new Error(`CI=true requires the migration lab: ${reason}`);
      lab = createMigrationLab(HOSTNAMES);
      await lab.old.apply(OLD_STATE);
      await setNew(CLEAN);
      emulator = await startEmulator({ token: TOKEN, seed: liveSeed(lab.addresses) });
      synthDir = mkdtempSync(join(tmpdir(), "cfpl-migration-synth-"));
      const app = new App({ outdir: synthDir });
      defineMigrationSite(app, lab.addresses);
      app.synth();
    });

    afterAll(async () => {
      await emulator?.close();
      await lab?.destroy();
      if (synthDir) rmSync(synthDir, { recursive: true, force: true });
    });

    describe("a clean migration", () => {
      let run: CheckRun;
      beforeAll(async () => {
        await setNew(CLEAN);
        run = await check();
      });

      it("the lab: both origins serve / and /health for both hostnames over IPv4 and IPv6", async () => {
        for (const origin of [currentLab().old, currentLab().new])
          for (const address of [origin.v4, origin.v6])
            for (const hostname of HOSTNAMES) {
              const root = await labGet(address, 443, hostname, "/");
              expect(root.status).toBe(200);
              expect(root.headers["content-type"]).toMatch(/^text\/html/);
              expect(root.headers["strict-transport-security"]).toBe("max-age=31536000");
              const health = await labGet(address, 443, hostname, "/health");
              expect(health.status).toBe(200);
              expect(health.headers["content-type"]).toBe("application/json");
            }
      });

      it("passes: exit 0, nothing blocks, and the new origin was probed for both hostnames", () => {
        expect(run.report, digest(run)).toBeDefined();
        expect(run.code, digest(run)).toBe(0);
        expect(run.report!.coverage, digest(run)).toMatchObject({ live: true, probes: true });
        expect(
          run.report!.findings.filter((f) => f.blocking),
          digest(run),
        ).toEqual([]);
        // A healthy probe is a pass of origin-http: one per hostname and new address.
        const healthy = findings(run, "origin-http").filter((f) => f.status === "pass");
        expect(healthy.map((f) => `${f.subject.hostname} ${f.subject.address}`).sort(), digest(run)).toEqual(
          HOSTNAMES.flatMap((h) => [`${h} ${currentLab().new.v4}`, `${h} ${currentLab().new.v6}`]).sort(),
        );
        expectNoTokenIn(run.stdout + run.stderr);
      });

      it("reports the migration old -> new (www and app by address) as ready", () => {
        const migration = theMigration(run);
        expect(migration.verdict, digest(run)).toBe("ready");
        expect(migration.checks.failed, digest(run)).toBe(0);
        expect(
          migration.checks.passed,
          `parity should have compared something${digest(run)}`,
        ).toBeGreaterThan(0);
      });

      it("the gate lets `cdktf deploy` reach terraform init", { timeout: 300_000 }, async () => {
        const r = await deploy();
        expectNoTokenIn(r.output);
        expect(r.output, r.output).toContain("0 blocking");
        expect(r.output, r.output).toMatch(REACHED_INIT);
      });
    });

    describe("the new origin's certificate lacks app.example.com", () => {
      let run: CheckRun;
      beforeAll(async () => {
        await setNew(CERT_LACKS_APP);
        run = await check();
      });

      it("predicts 526 for app.example.com on the new origin (not for www), exit 1", () => {
        expect(run.code, digest(run)).toBe(1);
        const failed = findings(run, "origin-certificate").filter((f) => f.status === "fail");
        expect(failed.length, digest(run)).toBeGreaterThan(0);
        for (const f of failed) {
          expect(f, digest(run)).toMatchObject({
            blocking: true,
            predicts: "526",
            subject: { hostname: APP },
          });
          expect([currentLab().new.v4, currentLab().new.v6], digest(run)).toContain(f.subject.address);
        }
        expectNoTokenIn(run.stdout + run.stderr);
      });

      it("ties the finding to the migration and blocks it", () => {
        const migration = theMigration(run);
        const failed = findings(run, "origin-certificate").filter((f) => f.status === "fail");
        expect(failed.length, digest(run)).toBeGreaterThan(0);
        for (const f of failed) expect(f.migration, digest(run)).toBe(migration.id);
        expect(migration.verdict, digest(run)).toBe("blocked");
        expect(migration.checks.failed, digest(run)).toBeGreaterThan(0);
      });
    });

    describe("the new origin's firewall drops Cloudflare's ranges", () => {
      let run: CheckRun;
      beforeAll(async () => {
        await setNew(DROPS_CLOUDFLARE);
        run = await check();
      });

      it("the lab: the firewall still admits the lab host (the allowed vantage)", async () => {
        const root = await labGet(currentLab().new.v4, 443, WWW, "/");
        expect(root.status).toBe(200);
      });

      it("finds that the exported ruleset does not enforce the allowlist, predicting 522, exit 1", () => {
        expect(run.code, digest(run)).toBe(1);
        const failed = findings(run, "firewall-enforcement").filter((f) => f.status === "fail");
        expect(failed, digest(run)).toEqual([
          expect.objectContaining({
            blocking: true,
            predicts: "522",
            evidence: expect.objectContaining({ origin: "new" }),
          }),
        ]);
        expectNoTokenIn(run.stdout + run.stderr);
      });

      it("ties the finding to the migration and blocks it", () => {
        const migration = theMigration(run);
        const failed = findings(run, "firewall-enforcement").filter((f) => f.status === "fail");
        expect(failed.length, digest(run)).toBeGreaterThan(0);
        for (const f of failed) expect(f.migration, digest(run)).toBe(migration.id);
        expect(migration.verdict, digest(run)).toBe("blocked");
      });
    });

    describe("`check --after`: verification once the deploy has run", () => {
      /** Play the deploy on the emulator: move `hostnames`' records to the new origin. */
      function applyDeploy(hostnames: readonly string[]): void {
        const state = emulator!.state;
        const zone = state.zoneByName(ZONE)!;
        const { addresses } = currentLab();
        for (const record of state.records(zone.id)) {
          if (!hostnames.includes(record.name)) continue;
          const content = record.type === "A" ? addresses.new.v4 : addresses.new.v6;
          state.updateRecord(zone.id, record.id, { content }, true);
        }
      }

      afterAll(() => {
        // Back to the migration's starting point (everything on the old origin).
        const state = emulator!.state;
        const zone = state.zoneByName(ZONE)!;
        const { addresses } = currentLab();
        for (const record of state.records(zone.id)) {
          const content = record.type === "A" ? addresses.old.v4 : addresses.old.v6;
          state.updateRecord(zone.id, record.id, { content }, true);
        }
      });

      it("blocks after a deploy that moved www but not app, naming the records left behind", async () => {
        await setNew(CLEAN);
        applyDeploy([WWW]);
        const run = await check(["--after"]);
        expect(run.code, digest(run)).toBe(1);
        const failed = findings(run, "after-deploy").filter((f) => f.status === "fail");
        expect(failed.map((f) => `${f.subject.type} ${f.subject.hostname}`).sort(), digest(run)).toEqual([
          `A ${APP}`,
          `AAAA ${APP}`,
        ]);
        expectNoTokenIn(run.stdout + run.stderr);
      });

      it("passes once the live zone matches the code and the new origin answers for every hostname", async () => {
        applyDeploy(HOSTNAMES);
        const run = await check(["--after"]);
        expect(run.code, digest(run)).toBe(0);
        expect(run.report!.migrations, digest(run)).toEqual([]);
        expect(findings(run, "after-deploy"), digest(run)).toEqual([
          expect.objectContaining({ status: "pass", subject: { zone: ZONE } }),
        ]);
        const healthy = findings(run, "origin-http").filter((f) => f.status === "pass");
        expect(healthy.map((f) => `${f.subject.hostname} ${f.subject.address}`).sort(), digest(run)).toEqual(
          HOSTNAMES.flatMap((h) => [`${h} ${currentLab().new.v4}`, `${h} ${currentLab().new.v6}`]).sort(),
        );
      });
    });

    describe("/health answers 404 on the new origin and 200 on the old", () => {
      let run: CheckRun;
      beforeAll(async () => {
        await setNew(HEALTH_404);
        run = await check();
      });

      it("the lab: /health is 404 on new and 200 on old, / is 200 on both", async () => {
        for (const hostname of HOSTNAMES) {
          expect((await labGet(currentLab().new.v4, 443, hostname, "/health")).status).toBe(404);
          expect((await labGet(currentLab().new.v6, 443, hostname, "/health")).status).toBe(404);
          expect((await labGet(currentLab().old.v4, 443, hostname, "/health")).status).toBe(200);
          expect((await labGet(currentLab().new.v4, 443, hostname, "/")).status).toBe(200);
        }
      });

      it("fails HTTP parity for /health on each moving hostname, tied to the migration, exit 1", () => {
        expect(run.code, digest(run)).toBe(1);
        const migration = theMigration(run);
        const failed = findings(run, "migration-http-parity").filter((f) => f.status === "fail");
        expect(failed.length, digest(run)).toBeGreaterThan(0);
        for (const f of failed) {
          expect(f, digest(run)).toMatchObject({
            blocking: true,
            migration: migration.id,
            evidence: expect.objectContaining({ path: "/health" }),
          });
          expect(HOSTNAMES as readonly (string | undefined)[], digest(run)).toContain(f.subject.hostname);
        }
        expect(new Set(failed.map((f) => f.subject.hostname)), digest(run)).toEqual(new Set(HOSTNAMES));
        expect(migration.verdict, digest(run)).toBe("blocked");
        expectNoTokenIn(run.stdout + run.stderr);
      });

      it("the gate stops `cdktf deploy` before terraform init, naming migration-http-parity", {
        timeout: 300_000,
      }, async () => {
        const r = await deploy();
        expectNoTokenIn(r.output);
        expect(r.status, r.output).not.toBe(0);
        expect(r.output, r.output).toContain("migration-http-parity");
        expect(r.output, r.output).not.toMatch(REACHED_INIT);
      });
    });
  },
);
