import { spawnSync } from "node:child_process";
import {
  cpSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { builtinModules } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";

/**
 * The bundled command as a user gets it: `package.json` and the bundle copied into a project's
 * `node_modules/cf-preflight`, its runtime dependencies beside it, and `node_modules/.bin/cf-preflight`
 * linked to the `bin` the way npm links it, run through its shebang from another folder. Whatever
 * the bundle leaves out (the HCL parser's WebAssembly, Cloudflare's Origin CA roots) must be found
 * from there.
 */

const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8")) as {
  bin: Record<string, string>;
  dependencies: Record<string, string>;
};
const BIN = pkg.bin["cf-preflight"]!;

let project: string;
let command: string;

beforeAll(() => {
  project = mkdtempSync(join(tmpdir(), "cfpl-installed-"));
  const installed = join(project, "node_modules", "cf-preflight");
  mkdirSync(installed, { recursive: true });
  cpSync(join(PROJECT_ROOT, "package.json"), join(installed, "package.json"));
  cpSync(join(PROJECT_ROOT, dirname(BIN)), join(installed, dirname(BIN)), { recursive: true });
  for (const dependency of Object.keys(pkg.dependencies)) {
    const target = join(project, "node_modules", dependency);
    mkdirSync(dirname(target), { recursive: true });
    symlinkSync(join(PROJECT_ROOT, "node_modules", dependency), target);
  }
  mkdirSync(join(project, "node_modules", ".bin"));
  command = join(project, "node_modules", ".bin", "cf-preflight");
  symlinkSync(join("..", "cf-preflight", BIN), command);
});

afterAll(() => {
  rmSync(project, { recursive: true, force: true });
});

/** Run the linked command itself (its shebang picks node), from the user's project folder. */
function run(args: readonly string[]) {
  return spawnSync(command, args, {
    cwd: project,
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${dirname(process.execPath)}:${process.env.PATH}`,
      CHECKPOINT_DISABLE: "1",
    },
  });
}

describe("the installed, bundled command", () => {
  it("imports no package at run time that the package does not depend on", () => {
    const dir = join(PROJECT_ROOT, dirname(BIN));
    const bare = new Set<string>();
    for (const file of readdirSync(dir).filter((f) => f.endsWith(".js") || f.endsWith(".cjs"))) {
      const text = readFileSync(join(dir, file), "utf8");
      for (const m of text.matchAll(
        /(?:\bfrom\s*|\bimport\s*\(\s*|\brequire\s*\(\s*)["']([@a-z0-9][^"'\s]*)["']/g,
      ))
        bare.add(m[1]!);
    }
    // A deep import (`pkg/sub/path`) comes from its package.
    const packageOf = (s: string) =>
      s
        .split("/")
        .slice(0, s.startsWith("@") ? 2 : 1)
        .join("/");
    const packages = [...bare]
      .filter((s) => !s.startsWith("node:") && !builtinModules.includes(s))
      .map(packageOf);
    expect(packages.length).toBeGreaterThan(0);
    for (const p of packages) expect(Object.keys(pkg.dependencies), p).toContain(p);
  });

  it("answers --help through its shebang", () => {
    const result = run(["--help"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("Usage: cf-preflight <command>");
    const drift = run(["drift", "--help"]);
    expect(drift.status).toBe(0);
    expect(drift.stdout).toContain("--api-share FRACTION");
  });

  it("checks a folder of .tf files: HashiCorp's parser (WebAssembly) is found from the bundle", () => {
    const folder = join(project, "infra");
    mkdirSync(folder);
    cpSync(join(PROJECT_ROOT, "test", "fixtures", "real", "danacr-dns", "input"), folder, {
      recursive: true,
    });
    const result = run(["check", "--synth", "infra", "--no-live", "--no-probes", "--format", "json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.inputs.sources).toEqual([{ path: folder, kind: "hcl" }]);
    expect(report.inputs.zones.length).toBeGreaterThan(0);
    expect(report.inputs.zones[0].records.total).toBeGreaterThan(0);
  });

  it("runs drift from its compiled program, the HCL parser found from there too", () => {
    const folder = join(project, "drift-infra");
    mkdirSync(folder);
    cpSync(join(PROJECT_ROOT, "test", "fixtures", "real", "danacr-dns", "input"), folder, {
      recursive: true,
    });
    const result = run(["drift", "--synth", "drift-infra", "--no-live", "--format", "json"]);
    expect(result.stderr).toMatch(/^drift: no live state \(--no-live\): DNS and settings not compared/);
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.inputs.sources).toEqual([{ path: folder, kind: "hcl" }]);
    expect(report.inputs.zones[0].records.total).toBeGreaterThan(0);
  });

  it("checks a Terraform JSON file with an expression, parsed by the same WebAssembly", () => {
    const file = join(project, "site.tf.json");
    writeFileSync(
      file,
      JSON.stringify({
        data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
        resource: {
          cloudflare_dns_record: {
            spf: {
              zone_id: "${data.cloudflare_zone.main.zone_id}",
              name: "example.com",
              type: "TXT",
              content: "v=spf1 -all",
              proxied: true,
            },
          },
        },
      }),
    );
    const result = run(["check", "--synth", "site.tf.json", "--no-live", "--no-probes", "--format", "json"]);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.findings.map((f: { rule: string }) => f.rule)).toEqual(["proxied-type-not-proxiable"]);
  });

  it("ships Cloudflare's Origin CA roots where the probes' code looks for them", () => {
    const dir = join(project, "node_modules", "cf-preflight", dirname(BIN));
    const chunk = readdirSync(dir).find((f) =>
      readFileSync(join(dir, f), "utf8").includes("cloudflare-origin-ca.pem"),
    );
    expect(chunk).toBeDefined();
    expect(readFileSync(join(dir, "data", "cloudflare-origin-ca.pem"), "utf8")).toBe(
      readFileSync(join(PROJECT_ROOT, "checks", "probe", "data", "cloudflare-origin-ca.pem"), "utf8"),
    );
  });
});
