import { spawnSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  COMPILED_COMMANDS,
  lastLoadedProgram,
  loadProgram,
  makeCodeCache,
  startCompiled,
} from "../../checks/cli/compiled.js";
import { PROJECT_ROOT } from "../helpers/synth.js";

/**
 * `drift` in the bundle runs from a program of its own (`dist/bundle/drift.cjs`) with V8's code
 * cache made by the build (`npm run build` before the tests, as for every test of the bundle).
 */

const BUNDLE = join(PROJECT_ROOT, "dist", "bundle");
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "cfpl-compiled-"));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A copy of a compiled program (its cache beside it when given) to load without touching dist/. */
function copyProgram(command: string, cache: "copy" | "none" | Buffer): string {
  const file = join(dir, `${command}-${Math.random().toString(36).slice(2)}.cjs`);
  copyFileSync(join(BUNDLE, `${command}.cjs`), file);
  if (cache === "copy") copyFileSync(join(BUNDLE, `${command}.cjs.cache`), `${file}.cache`);
  else if (cache !== "none") writeFileSync(`${file}.cache`, cache);
  return file;
}

function bundled(args: readonly string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [join(BUNDLE, "cli.js"), ...args], {
    encoding: "utf8",
    env: { ...process.env, ...env },
  });
}

describe("the compiled programs of the bundle", () => {
  it("are built for every compiled command, each with a code cache V8 takes", () => {
    for (const command of COMPILED_COMMANDS) {
      expect(existsSync(join(BUNDLE, `${command}.cjs`)), command).toBe(true);
      const program = loadProgram(copyProgram(command, "copy")) as { start?: unknown };
      expect(typeof program.start).toBe("function");
      expect(lastLoadedProgram()?.cacheRejected).toBe(false);
    }
  });

  it("ship a cache made after a training run, which holds more compiled code than the top level's", async () => {
    const shipped = readFileSync(join(BUNDLE, "drift.cjs.cache"));
    const topLevelOnly = await makeCodeCache(copyProgram("drift", "none"));
    // The training run compiles the reader, the evaluator, the diff and the formats: their code
    // is in the shipped cache (measured: about 2.5 times the top level's).
    expect(shipped.length).toBeGreaterThan(1.5 * topLevelOnly.length);
  });

  it("still load without a cache, or with one V8 refuses", () => {
    const none = loadProgram(copyProgram("drift", "none")) as { start?: unknown };
    expect(typeof none.start).toBe("function");
    expect(lastLoadedProgram()?.cacheRejected).toBeUndefined();
    const garbage = loadProgram(copyProgram("drift", Buffer.from("not a code cache"))) as { start?: unknown };
    expect(typeof garbage.start).toBe("function");
    expect(lastLoadedProgram()?.cacheRejected).toBe(true);
  });

  it("are used only for their own commands, and only beside the bundle", () => {
    // From the compiled JavaScript of the tests (no drift.cjs beside it), nothing is started.
    expect(startCompiled(["drift", "--help"])).toBe(false);
    expect(startCompiled(["check"])).toBe(false);
    expect(startCompiled([])).toBe(false);
  });

  it("answer as the command does: help, bad input (exit 2) and an internal error's wording", () => {
    const help = bundled(["drift", "--help"]);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("Usage: cf-preflight drift");
    const missing = bundled(["drift", "--synth", join(dir, "missing.tf.json"), "--no-live"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/^cf-preflight drift: .*missing\.tf\.json.*it does not exist/m);
    const option = bundled(["drift", "--no-such-option"]);
    expect(option.status).toBe(2);
    expect(option.stderr).toContain("See cf-preflight drift --help");
  });

  it("give the same report as the command run from its ES modules", () => {
    const file = join(dir, "site.tf.json");
    writeFileSync(
      file,
      JSON.stringify({
        resource: {
          cloudflare_zone: { main: { name: "example.com", account: { id: "0123" } } },
          cloudflare_dns_record: {
            www: {
              zone_id: "${cloudflare_zone.main.id}",
              name: "www.example.com",
              type: "A",
              content: "192.0.2.10",
              proxied: true,
            },
          },
        },
      }),
    );
    const args = ["drift", "--synth", file, "--no-live", "--format", "json"];
    const compiled = bundled(args);
    const modules = spawnSync(process.execPath, [join(PROJECT_ROOT, "dist", "checks", "cli.js"), ...args], {
      encoding: "utf8",
    });
    expect(compiled.status).toBe(modules.status);
    expect(compiled.stderr).toBe(modules.stderr);
    const strip = (text: string) => {
      const report = JSON.parse(text) as Record<string, unknown>;
      delete report.generatedAt;
      return report;
    };
    expect(strip(compiled.stdout)).toEqual(strip(modules.stdout));
    expect(readFileSync(join(BUNDLE, "drift.cjs"), "utf8")).toContain("__cfpImportMetaUrl");
  });
});
