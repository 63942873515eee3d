import { execFileSync, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/run-cli.js";
import { PROJECT_ROOT, synthExample } from "../helpers/synth.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";

describe("check --no-live --no-probes on a hand-written Terraform JSON file", () => {
  const file = writeTfJson(
    zoneWithRecords({
      spf: { name: "example.com", type: "TXT", content: "v=spf1 -all", proxied: true },
      internal: { name: "intranet.example.com", type: "A", content: "10.0.0.5", proxied: true },
      shop: { name: "shop.example.com", type: "CNAME", content: "shops.example.net", proxied: true },
      shopA: { name: "shop.example.com", type: "A", content: "192.0.2.44", proxied: true },
    }),
  );

  it("yields exactly the three findings, each with predicts set, and exits 1", async () => {
    const run = await runCli(["check", "--synth", file, "--no-live", "--no-probes", "--format", "json"]);
    expect(run.code).toBe(1);
    const report = JSON.parse(run.stdout);
    expect(report.schemaVersion).toBe(1);
    expect(report.tool.name).toBe("cf-preflight");
    expect(
      report.findings.map((f: { rule: string; predicts: string; subject: { hostname: string } }) => [
        f.rule,
        f.predicts,
        f.subject.hostname,
      ]),
    ).toEqual(
      [
        ["proxied-type-not-proxiable", "9004", "example.com"],
        ["proxied-target-prohibited", "9003", "intranet.example.com"],
        ["cname-coexists", "81053", "shop.example.com"],
      ].sort((a, b) => a[2]!.localeCompare(b[2]!)),
    );
    expect(report.summary).toEqual({ blocking: 3, warnings: 0, unknown: 0, passed: 0 });
    expect(report.coverage).toMatchObject({ live: false, probes: false, zones: ["example.com"] });
  });

  it("renders the same report in pretty form, predicted error first", async () => {
    const run = await runCli(["check", "--synth", file, "--no-live", "--no-probes"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toContain("BLOCKED");
    expect(run.stdout).toMatch(/✖ 9004 +TXT record example\.com is proxied/);
    expect(run.stdout).not.toContain("\u001b[");
  });
});

describe("the installed command", () => {
  it("checks the synthesized example stack with the compiled CLI and reports it clean", () => {
    const out = synthExample();
    const result = spawnSync(
      process.execPath,
      [
        join(PROJECT_ROOT, "dist", "checks", "cli.js"),
        "check",
        "--synth",
        out,
        "--no-live",
        "--no-probes",
        "--format",
        "json",
      ],
      {
        encoding: "utf8",
      },
    );
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report.coverage.zones).toEqual(["example.com"]);
    expect(report.summary.blocking).toBe(0);
  });

  it("synthesizes the app itself when --synth is not given", () => {
    const result = spawnSync(
      process.execPath,
      [
        join(PROJECT_ROOT, "dist", "checks", "cli.js"),
        "check",
        "--no-live",
        "--no-probes",
        "--format",
        "json",
      ],
      {
        cwd: PROJECT_ROOT,
        encoding: "utf8",
        env: { ...process.env, CHECKPOINT_DISABLE: "1" },
      },
    );
    expect(result.status).toBe(0);
    expect(result.stderr).toContain("synthesizing");
    expect(JSON.parse(result.stdout).coverage.files[0]).toMatch(/cf-preflight-synth-.*cdk\.tf\.json$/);
  });

  it("answers --help and --version from compiled JavaScript, and from the bundle bin runs", () => {
    const pkg = JSON.parse(readFileSync(join(PROJECT_ROOT, "package.json"), "utf8"));
    expect(pkg.bin["cf-preflight"]).toBe("dist/bundle/cli.js");
    for (const cli of [
      join(PROJECT_ROOT, "dist", "checks", "cli.js"),
      join(PROJECT_ROOT, pkg.bin["cf-preflight"]),
    ]) {
      const help = execFileSync(process.execPath, [cli, "--help"], { encoding: "utf8" });
      expect(help).toContain("Usage: cf-preflight <command>");
      const version = execFileSync(process.execPath, [cli, "--version"], { encoding: "utf8" });
      expect(version.trim()).toBe(pkg.version);
    }
  });

  it("loads nothing heavy before a command needs it: the static import graph of cli.js holds no package", () => {
    const seen = new Set<string>();
    const packages = new Set<string>();
    const walk = (file: string) => {
      if (seen.has(file)) return;
      seen.add(file);
      const text = readFileSync(file, "utf8");
      for (const m of text.matchAll(/^import\s+(?:[^'"]*?from\s+)?["']([^"']+)["']/gm)) {
        const spec = m[1]!;
        if (spec.startsWith(".")) walk(resolve(dirname(file), spec));
        else if (!spec.startsWith("node:")) packages.add(spec);
      }
    };
    walk(join(PROJECT_ROOT, "dist", "checks", "cli.js"));
    expect([...packages]).toEqual([]);
    // The entry, its dispatch (cli/main) and the loader of compiled programs (cli/compiled), and what they print with.
    expect(seen.size).toBeLessThan(10);
  });

  it("the bundle loads no package's code before a command needs it (esbuild's metafile)", () => {
    interface Output {
      readonly bytes: number;
      readonly inputs: Record<string, unknown>;
      readonly imports: readonly {
        readonly path: string;
        readonly kind: string;
        readonly external?: boolean;
      }[];
    }
    const meta = JSON.parse(readFileSync(join(PROJECT_ROOT, "dist", "bundle", "meta.json"), "utf8")) as {
      outputs: Record<string, Output>;
    };
    /** The outputs loaded with `entry`, following static imports only, and the sources they hold. */
    const loadedWith = (entry: string) => {
      const files = new Set<string>();
      const visit = (file: string) => {
        if (files.has(file)) return;
        files.add(file);
        for (const i of meta.outputs[file]!.imports)
          if (i.kind === "import-statement" && !i.external) visit(i.path);
      };
      visit(entry);
      const sources = [...files].flatMap((f) => Object.keys(meta.outputs[f]!.inputs));
      const bytes = [...files].reduce((n, f) => n + meta.outputs[f]!.bytes, 0);
      return { sources, bytes };
    };
    const start = loadedWith("dist/bundle/cli.js");
    expect(start.sources.filter((s) => s.includes("node_modules/"))).toEqual([]);
    expect(start.bytes).toBeLessThan(64 * 1024);
    // The walk does see packages: the command `check` loads the SDK and zod once it runs.
    const check = Object.entries(meta.outputs).find(([, o]) =>
      Object.keys(o.inputs).includes("checks/commands/check.ts"),
    )![0];
    const loaded = loadedWith(check).sources;
    expect(loaded.some((s) => s.includes("node_modules/zod/"))).toBe(true);
    const live = Object.entries(meta.outputs).find(([, o]) =>
      Object.keys(o.inputs).includes("checks/live/read-live-state.ts"),
    )![0];
    expect(loadedWith(live).sources.some((s) => s.includes("node_modules/cloudflare/"))).toBe(true);
  });
});

describe("every command answers --help", () => {
  it.each(["check", "drift", "deploy", "demo", "rules", "emulator"])("%s --help", async (command) => {
    const run = await runCli([command, "--help"]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain(`Usage: cf-preflight ${command}`);
  });
});
