import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from "node:fs";
import net from "node:net";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedZoneFromDesired } from "../../checks/demo/seed.js";
import { readDesired } from "../../checks/desired/read.js";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import { InterruptedError } from "../../checks/errors.js";
import { gateProject } from "../gate/project.js";
import { runCli } from "../helpers/run-cli.js";
import { PROJECT_ROOT, synthExample } from "../helpers/synth.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";
import { type Running, requireBuild, startCli, startProcess, tempDir, waitFor } from "./process.js";

const ZONE = "${data.cloudflare_zone.main.zone_id}";
const TOKEN = "tok-SECRET-signals-4c2e9a";
/** How soon after a signal the command must be gone (it aims at well under a second). */
const PROMPT_MS = 1_500;

/** An origin on loopback that accepts connections and never says a word: a probe waits on it. */
class SilentOrigin {
  readonly sockets: net.Socket[] = [];
  closed = 0;
  private readonly server = net.createServer((socket) => {
    this.sockets.push(socket);
    // Read (and ignore) the request, so the client's FIN is seen; never answer.
    socket.resume();
    socket.on("error", () => {});
    socket.on("close", () => {
      this.closed++;
    });
  });
  port = 0;

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise((resolve) => this.server.close(resolve));
  }
}

/** A Flexible zone whose origin the probe reaches at the silent origin (HTTP, read timeout 120 s). */
function flexibleStack(): string {
  return writeTfJson(
    zoneWithRecords(
      { www: { name: "www.example.com", type: "A", content: "192.0.2.10", proxied: true } },
      { cloudflare_zone_setting: { ssl: { zone_id: ZONE, setting_id: "ssl", value: "flexible" } } },
    ),
  );
}

async function interruptedPromptly(run: Running, signal: NodeJS.Signals, expected: number) {
  const sentAt = performance.now();
  run.child.kill(signal);
  const done = await run.done;
  const tookMs = done.endedAt - sentAt;
  expect(done.code, done.stderr).toBe(expected);
  expect(tookMs, `exit after ${Math.round(tookMs)} ms`).toBeLessThan(PROMPT_MS);
  expect(done.stderr).toContain(`interrupted by ${signal}`);
  expect(done.stderr).not.toMatch(/internal error|\n\s+at /);
  return done;
}

beforeAll(() => requireBuild());

describe("check and drift stop on SIGINT and SIGTERM, write nothing, and exit 130 or 143", () => {
  let origin: SilentOrigin;
  let emulator: Emulator;
  const out = synthExample();

  beforeAll(async () => {
    origin = await new SilentOrigin().start();
    emulator = await startEmulator({
      token: TOKEN,
      seed: { zones: [seedZoneFromDesired((await readDesired(out)).zones[0]!, "strict")] },
    });
  });
  afterAll(async () => {
    await origin.stop();
    await emulator.close();
  });

  const probing = (dir: string): string[] => [
    "check",
    "--synth",
    flexibleStack(),
    "--no-live",
    "--connect-to",
    `192.0.2.10:80:127.0.0.1:${origin.port}`,
    "--format",
    "json",
    "--output",
    join(dir, "report.json"),
    "--format",
    "pretty",
  ];

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("%s while a probe waits on a silent origin", async (signal, code) => {
    const dir = tempDir("sig");
    const before = origin.sockets.length;
    const run = startCli(probing(dir), { env: { PATH: process.env.PATH } });
    await waitFor("the probe's connection", () => origin.sockets.length > before);
    const done = await interruptedPromptly(run, signal, code);
    expect(done.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
  });

  it.each([
    ["SIGTERM", 143, ["check", "--no-probes"]],
    ["SIGINT", 130, ["check", "--no-probes", "--allow-unverified"]],
    ["SIGTERM", 143, ["drift"]],
  ] as const)("%s while the API stalls (%j)", async (signal, code, argv) => {
    emulator.faults.clear();
    emulator.faults.latency(60_000);
    emulator.clearRequests();
    const dir = tempDir("sig");
    const run = startCli([...argv, "--synth", out, "--format", "json", "--output", join(dir, "r.json")], {
      env: { PATH: process.env.PATH, CLOUDFLARE_API_TOKEN: TOKEN, CLOUDFLARE_API_BASE_URL: emulator.url },
    });
    await waitFor("an API request", () => emulator.requests().length > 0);
    const done = await interruptedPromptly(run, signal, code);
    expect(done.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
    emulator.faults.clear();
  });

  it("in-process: the probes in flight are destroyed at once, not left to their timeouts", async () => {
    const dir = tempDir("sig");
    // The signal the CLI's process would abort on SIGINT; here the test holds it.
    const controller = new AbortController();
    const before = origin.sockets.length;
    const closedBefore = origin.closed;
    const pending = runCli(probing(dir), { signal: controller.signal });
    await waitFor("the probe's connection", () => origin.sockets.length > before);
    const at = performance.now();
    controller.abort(new InterruptedError("SIGINT"));
    const run = await pending;
    expect(run.code).toBe(130);
    expect(performance.now() - at).toBeLessThan(PROMPT_MS);
    expect(run.stdout).toBe("");
    expect(readdirSync(dir)).toEqual([]);
    await waitFor(
      "the silent origin to see its connection closed",
      () => origin.closed > closedBefore,
      1_000,
    );
  });
});

/**
 * A cdktf project whose `cdktf` is a stand-in: `synth` copies a synth made by the real cdktf (or
 * runs the real one), `deploy` is a long-running child that logs every signal it gets, as
 * terraform finishing an apply would.
 */
function deployProject(options: { synthFrom?: string; deployMode: "stubborn" | "graceful" }) {
  const { dir, env } = gateProject();
  const log = join(dir, "cdktf-calls.log");
  writeFileSync(log, "");
  // The project's own node_modules: every package of the install, and our cdktf in .bin (the
  // link gateProject made is replaced, never what it points to).
  const modules = join(dir, "node_modules");
  const installed = join(PROJECT_ROOT, "node_modules");
  unlinkSync(modules);
  mkdirSync(join(modules, ".bin"), { recursive: true });
  for (const name of readdirSync(installed)) {
    if (name !== ".bin") symlinkSync(join(installed, name), join(modules, name));
  }
  writeFileSync(join(modules, ".bin", "package.json"), JSON.stringify({ type: "commonjs" }));
  writeFileSync(
    join(modules, ".bin", "cdktf"),
    `const { spawn } = require("node:child_process");
const fs = require("node:fs");
const log = (line) => fs.appendFileSync(${JSON.stringify(log)}, line + "\\n");
const args = process.argv.slice(2);
for (const name of ["SIGINT", "SIGTERM"]) {
  process.on(name, () => {
    log(args[0] + "-got-" + name);
    if (args[0] === "deploy" && process.env.FAKE_DEPLOY_MODE === "graceful")
      setTimeout(() => process.exit(name === "SIGINT" ? 130 : 143), 200);
  });
}
if (args[0] === "synth") {
  log("synth-started " + process.pid);
  const out = args[args.indexOf("--output") + 1];
  if (process.env.FAKE_SYNTH_FROM) {
    fs.cpSync(process.env.FAKE_SYNTH_FROM, out, { recursive: true });
    process.exit(0);
  }
  const real = spawn(process.execPath, [process.env.REAL_CDKTF, ...args], { stdio: "inherit" });
  real.on("close", (code) => process.exit(code ?? 1));
} else if (args[0] === "deploy") {
  log("deploy-started " + process.pid);
  setInterval(() => {}, 1000);
}
`,
  );
  const tmp = join(dir, "tmp");
  mkdirSync(tmp);
  return {
    dir,
    log: () => readFileSync(log, "utf8"),
    tmp,
    env: {
      ...env,
      TMPDIR: tmp,
      REAL_CDKTF: join(PROJECT_ROOT, "node_modules", "cdktf-cli", "bundle", "bin", "cdktf"),
      FAKE_DEPLOY_MODE: options.deployMode,
      GATE_FIXTURE: "passing",
      ...(options.synthFrom ? { FAKE_SYNTH_FROM: options.synthFrom } : {}),
    },
  };
}

function pidIn(log: string, what: string): number | undefined {
  const m = new RegExp(`${what} (\\d+)`).exec(log);
  return m ? Number(m[1]) : undefined;
}

describe("deploy passes the signal on to cdktf and never starts it after one", () => {
  const synthesized = synthExample();

  it("a first SIGINT reaches cdktf deploy and deploy waits for it; a second SIGINT exits at once", async () => {
    const project = deployProject({ synthFrom: synthesized, deployMode: "stubborn" });
    const run = startCli(["deploy", "--no-live", "--no-probes", "--", "--auto-approve"], {
      cwd: project.dir,
      env: project.env,
    });
    try {
      await waitFor("cdktf deploy to start", () => project.log().includes("deploy-started"), 60_000);
      run.child.kill("SIGINT");
      await waitFor("cdktf deploy to get SIGINT", () => project.log().includes("deploy-got-SIGINT"), 2_000);
      // cdktf (terraform) is still stopping: deploy waits for it rather than leave it behind.
      await new Promise((r) => setTimeout(r, 300));
      expect(run.child.exitCode).toBeNull();
      const at = performance.now();
      run.child.kill("SIGINT");
      const done = await run.done;
      expect(done.code).toBe(130);
      expect(done.endedAt - at).toBeLessThan(PROMPT_MS);
      expect(done.stderr).toContain("interrupted again");
    } finally {
      const pid = pidIn(project.log(), "deploy-started");
      if (pid !== undefined) process.kill(pid, "SIGKILL");
    }
  });

  it("SIGTERM reaches cdktf deploy; deploy exits 143 once cdktf has stopped", async () => {
    const project = deployProject({ synthFrom: synthesized, deployMode: "graceful" });
    const run = startCli(["deploy", "--no-live", "--no-probes", "--", "--auto-approve"], {
      cwd: project.dir,
      env: project.env,
    });
    await waitFor("cdktf deploy to start", () => project.log().includes("deploy-started"), 60_000);
    run.child.kill("SIGTERM");
    const done = await run.done;
    expect(done.code, done.stderr).toBe(143);
    expect(project.log()).toContain("deploy-got-SIGTERM");
    expect(done.stderr).toContain("interrupted by SIGTERM");
  });

  it("SIGINT during the real cdktf synth: synth stops, cdktf deploy never starts, no folder is left", async () => {
    const project = deployProject({ deployMode: "graceful" });
    const run = startCli(["deploy", "--no-live", "--no-probes", "--", "--auto-approve"], {
      cwd: project.dir,
      env: project.env,
    });
    await waitFor("cdktf synth to start", () => project.log().includes("synth-started"), 60_000);
    await new Promise((r) => setTimeout(r, 500));
    const done = await interruptedPromptly(run, "SIGINT", 130);
    expect(project.log()).toContain("synth-got-SIGINT");
    expect(project.log()).not.toContain("deploy-started");
    expect(readdirSync(project.tmp).filter((n) => n.startsWith("cf-preflight-synth-"))).toEqual([]);
    expect(done.stdout).toBe("");
  });
});

describe("the in-app gate under a real `cdktf synth`", () => {
  let origin: SilentOrigin;
  beforeAll(async () => {
    origin = await new SilentOrigin().start();
  });
  afterAll(async () => {
    await origin.stop();
  });

  it.each([
    ["SIGINT", 130],
    ["SIGTERM", 143],
  ] as const)("the app itself on %s: the gate stops probing, empties cdktf.out and exits %i", async (signal, code) => {
    const { dir, env } = gateProject();
    const before = origin.sockets.length;
    const closedBefore = origin.closed;
    const run = startProcess(
      process.execPath,
      ["--import", "tsx", join(PROJECT_ROOT, "test", "gate", "fixture-app.ts")],
      {
        cwd: dir,
        env: {
          ...env,
          GATE_FIXTURE: "passing",
          CF_PREFLIGHT_GATE: "full",
          CF_PREFLIGHT_ARGS: `--no-live --connect-to 192.0.2.10::127.0.0.1:${origin.port}`,
        },
      },
    );
    await waitFor("the gate's probe connection", () => origin.sockets.length > before, 60_000);
    const done = await interruptedPromptly(run, signal, code);
    await waitFor("the probe's connection to close", () => origin.closed > closedBefore, 2_000);
    expect(done.stderr).toContain("the preflight blocks this deploy");
    expect(existsSync(join(dir, "cdktf.out", "manifest.json"))).toBe(false);
  });

  it("Ctrl-C (SIGINT to the process group) stops the check at once and writes no cdktf.out", async () => {
    const { dir, env } = gateProject();
    const before = origin.sockets.length;
    const closedBefore = origin.closed;
    const run = startProcess(join(PROJECT_ROOT, "node_modules", ".bin", "cdktf"), ["synth"], {
      cwd: dir,
      env: {
        ...env,
        GATE_FIXTURE: "passing",
        CF_PREFLIGHT_GATE: "full",
        CF_PREFLIGHT_ARGS: `--no-live --connect-to 192.0.2.10::127.0.0.1:${origin.port}`,
      },
      detached: true,
    });
    await waitFor("the gate's probe connection", () => origin.sockets.length > before, 90_000);
    const at = performance.now();
    process.kill(-(run.child.pid as number), "SIGINT");
    const done = await run.done;
    expect(done.code).not.toBe(0);
    expect(done.endedAt - at).toBeLessThan(3_000);
    await waitFor("the probe's connection to close", () => origin.closed > closedBefore, 2_000);
    expect(existsSync(join(dir, "cdktf.out", "manifest.json"))).toBe(false);
  });
});
