import { execFileSync, spawn, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../helpers/synth.js";
import { writeTfJson, zoneWithRecords } from "../helpers/tf-json.js";
import { CLI, filesUnder, requireBuild, runCliProcess, tempDir } from "./process.js";

/** A stack the static rules block (exit 1): a real report with findings in every format. */
const STACK = writeTfJson(
  zoneWithRecords({
    spf: { name: "example.com", type: "TXT", content: "v=spf1 -all", proxied: true },
    www: { name: "www.example.com", type: "A", content: "192.0.2.10", proxied: true },
  }),
);
const STATIC = ["check", "--synth", STACK, "--no-live", "--no-probes"];
const ENV = { PATH: process.env.PATH };

const isRoot = process.getuid?.() === 0;
const mounts: string[] = [];

/** A tmpfs of our own (root only): read-only, or `size` bytes. */
function tmpfs(options: string): string {
  const dir = tempDir("mnt");
  execFileSync("mount", ["-t", "tmpfs", "-o", options, "tmpfs", dir]);
  mounts.push(dir);
  return dir;
}

/** An output failure is exit 2 with one line naming the file and the OS's reason, never a stack. */
function expectOneLineFailure(
  run: { code: number | null; stderr: string; stdout: string },
  file: string,
  reason: RegExp,
) {
  expect(run.code, run.stderr).toBe(2);
  const lines = run.stderr.trimEnd().split("\n");
  expect(lines, run.stderr).toHaveLength(1);
  expect(lines[0]).toContain(file);
  expect(lines[0]).toMatch(reason);
  expect(run.stderr).not.toMatch(/\n\s+at |internal error/);
  expect(run.stdout).toBe("");
}

/** Nothing of ours in a folder: no report, no temporary file. */
function expectNothingIn(dir: string, before: string[] = []) {
  expect(readdirSync(dir).filter((n) => !before.includes(n))).toEqual([]);
}

beforeAll(() => requireBuild());
afterAll(() => {
  for (const dir of mounts.reverse()) spawnSync("umount", ["-l", dir]);
});

describe("outputs are checked before any work", () => {
  it("a folder as --output: exit 2, EISDIR", async () => {
    const dir = tempDir("out");
    const run = await runCliProcess([...STATIC, "--format", "json", "--output", dir], { env: ENV });
    expectOneLineFailure(run, dir, /folder \(EISDIR\)/);
    expectNothingIn(dir);
  });

  it("a parent that is a file: exit 2, ENOTDIR", async () => {
    const dir = tempDir("out");
    writeFileSync(join(dir, "plain"), "x");
    const target = join(dir, "plain", "report.json");
    const run = await runCliProcess([...STATIC, "--format", "json", "--output", target], { env: ENV });
    expectOneLineFailure(run, target, /ENOTDIR/);
    expect(readFileSync(join(dir, "plain"), "utf8")).toBe("x");
  });

  it("the same file twice: exit 2 before any work", async () => {
    const dir = tempDir("out");
    const run = await runCliProcess(
      [
        ...STATIC,
        "--format",
        "json",
        "--format",
        "sarif",
        "--output",
        join(dir, "r"),
        "--output",
        `${dir}/./r`,
      ],
      { env: ENV },
    );
    expect(run.code).toBe(2);
    expect(run.stderr).toContain("the same file");
    expectNothingIn(dir);
  });

  it("a symlink loop: exit 2, ELOOP", async () => {
    const dir = tempDir("out");
    symlinkSync(join(dir, "b"), join(dir, "a"));
    symlinkSync(join(dir, "a"), join(dir, "b"));
    const run = await runCliProcess([...STATIC, "--format", "json", "--output", join(dir, "a")], {
      env: ENV,
    });
    expectOneLineFailure(run, join(dir, "a"), /symlink loop \(ELOOP\)/);
  });

  it.runIf(isRoot)("a read-only file system: exit 2, EROFS, nothing written", async () => {
    const ro = tmpfs("ro,size=1m");
    const target = join(ro, "sub", "report.json");
    const run = await runCliProcess([...STATIC, "--format", "json", "--output", target], { env: ENV });
    expectOneLineFailure(run, target, /read-only file system \(EROFS\)/);
    expectNothingIn(ro);
  });

  it.runIf(isRoot)("an immutable folder (chattr +i): exit 2, EPERM", async () => {
    const dir = tempDir("immutable");
    execFileSync("chattr", ["+i", dir]);
    try {
      const target = join(dir, "report.json");
      const run = await runCliProcess([...STATIC, "--format", "json", "--output", target], { env: ENV });
      expectOneLineFailure(run, target, /operation not permitted \(EPERM\)/);
      expectNothingIn(dir);
    } finally {
      execFileSync("chattr", ["-i", dir]);
    }
  });

  it.runIf(isRoot)("a folder the user may not write (as nobody): exit 2, EACCES", async () => {
    const dir = tempDir("perm");
    chmodSync(dir, 0o555);
    const target = join(dir, "report.json");
    // Root bypasses permissions: the command runs as nobody, who can read the project but not write here.
    const run = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(process.execPath, [CLI, ...STATIC, "--format", "json", "--output", target], {
        cwd: PROJECT_ROOT,
        env: ENV,
        uid: 65534,
        gid: 65534,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => {
        stdout += d.toString();
      });
      child.stderr.on("data", (d: Buffer) => {
        stderr += d.toString();
      });
      child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
    expectOneLineFailure(run, target, /permission denied \(EACCES\)/);
    expectNothingIn(dir);
  });
});

describe("all outputs or none", () => {
  it.runIf(isRoot)(
    "a full disk (ENOSPC): exit 2, no temporary file left, no first output written",
    async () => {
      const full = tmpfs("size=64k");
      // Fill the file system, leaving less than one report.
      spawnSync("dd", ["if=/dev/zero", `of=${join(full, "filler")}`, "bs=4k"], { stdio: "ignore" });
      const good = tempDir("good");
      const first = join(good, "report.json");
      const second = join(full, "report.sarif");
      const run = await runCliProcess(
        [...STATIC, "--format", "json", "--format", "sarif", "--output", first, "--output", second],
        {
          env: ENV,
        },
      );
      expectOneLineFailure(run, second, /no space left on device \(ENOSPC\)/);
      expectNothingIn(full, ["filler"]);
      expectNothingIn(good);
    },
  );

  it.runIf(isRoot)("a failing second output on a read-only file system never leaves the first", async () => {
    const ro = tmpfs("ro,size=1m");
    const good = tempDir("good");
    const run = await runCliProcess(
      [
        ...STATIC,
        "--format",
        "json",
        "--format",
        "markdown",
        "--output",
        join(good, "a", "r.json"),
        "--output",
        join(ro, "r.md"),
      ],
      { env: ENV },
    );
    expect(run.code).toBe(2);
    expectNothingIn(good);
  });

  it("replaces an existing report whole, keeping its permissions", async () => {
    const dir = tempDir("out");
    const target = join(dir, "report.json");
    writeFileSync(target, "old");
    chmodSync(target, 0o640);
    const run = await runCliProcess([...STATIC, "--format", "json", "--output", target], { env: ENV });
    expect(run.code).toBe(1);
    expect(JSON.parse(readFileSync(target, "utf8")).summary.blocking).toBe(1);
    expect(statSync(target).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir)).toEqual(["report.json"]);
  });
});

describe("symlinks and files that are not regular are written through, never replaced", () => {
  it("a symlink stays a symlink; its target gets the report", async () => {
    const dir = tempDir("out");
    mkdirSync(join(dir, "real"));
    writeFileSync(join(dir, "real", "report.json"), "old");
    symlinkSync(join("real", "report.json"), join(dir, "link.json"));
    const run = await runCliProcess([...STATIC, "--format", "json", "--output", join(dir, "link.json")], {
      env: ENV,
    });
    expect(run.code).toBe(1);
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, "link.json"))).toBe(join("real", "report.json"));
    expect(JSON.parse(readFileSync(join(dir, "real", "report.json"), "utf8")).tool.name).toBe("cf-preflight");
    expect(readdirSync(join(dir, "real"))).toEqual(["report.json"]);
  });

  it("a dangling symlink: the target is created, the link stays", async () => {
    const dir = tempDir("out");
    symlinkSync(join(dir, "later.json"), join(dir, "link.json"));
    const run = await runCliProcess([...STATIC, "--format", "sarif", "--output", join(dir, "link.json")], {
      env: ENV,
    });
    expect(run.code).toBe(1);
    expect(lstatSync(join(dir, "link.json")).isSymbolicLink()).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, "later.json"), "utf8")).version).toBe("2.1.0");
  });

  it("/dev/stdout and /dev/stderr: the report arrives on the stream, whatever it is", async () => {
    const run = await runCliProcess(
      [...STATIC, "--format", "json", "--format", "markdown", "--format", "pretty"].concat([
        "--output",
        "/dev/stdout",
        "--output",
        "/dev/stderr",
        "--output",
        "/dev/null",
      ]),
      { env: ENV },
    );
    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout).summary.blocking).toBe(1);
    expect(run.stderr).toMatch(/^## cf-preflight/m);
    expect(run.stderr).toContain("proxied-type-not-proxiable");
    expect(statSync("/dev/null").isCharacterDevice()).toBe(true);
  });

  it("a shell pipe through /dev/fd/1 and a name that links to /dev/stdout", async () => {
    const dir = tempDir("out");
    symlinkSync("/dev/stdout", join(dir, "out-link"));
    const shell = spawnSync(
      "sh",
      [
        "-c",
        `"${process.execPath}" "${CLI}" "$@" | cat`,
        "sh",
        ...STATIC,
        "--format",
        "sarif",
        "--output",
        join(dir, "out-link"),
      ],
      { cwd: PROJECT_ROOT, env: ENV, encoding: "utf8" },
    );
    expect(shell.stderr).toBe("");
    expect(JSON.parse(shell.stdout).version).toBe("2.1.0");
    expect(lstatSync(join(dir, "out-link")).isSymbolicLink()).toBe(true);
  });

  it("/dev/stdout redirected to a file: the file gets the report and is not replaced", async () => {
    const dir = tempDir("out");
    const file = join(dir, "captured.json");
    const fd = openSync(file, "w");
    const inode = statSync(file).ino;
    const result = spawnSync(
      process.execPath,
      [CLI, ...STATIC, "--format", "json", "--output", "/dev/stdout"],
      {
        cwd: PROJECT_ROOT,
        env: ENV,
        stdio: ["ignore", fd, "pipe"],
      },
    );
    expect(result.status).toBe(1);
    expect(statSync(file).ino).toBe(inode);
    expect(JSON.parse(readFileSync(file, "utf8")).summary.blocking).toBe(1);
    expect(readdirSync(dir)).toEqual(["captured.json"]);
  });

  it("a FIFO is written through, and stays a FIFO", async () => {
    const dir = tempDir("out");
    const fifo = join(dir, "report.pipe");
    execFileSync("mkfifo", [fifo]);
    const reader = spawn("cat", [fifo]);
    let received = "";
    reader.stdout.on("data", (d: Buffer) => {
      received += d.toString();
    });
    const closed = new Promise((r) => reader.on("close", r));
    const run = await runCliProcess([...STATIC, "--format", "markdown", "--output", fifo], { env: ENV });
    await closed;
    expect(run.code).toBe(1);
    expect(received).toContain("proxied-type-not-proxiable");
    expect(statSync(fifo).isFIFO()).toBe(true);
  });
});

describe("nothing is written when the run itself fails", () => {
  it("bad input leaves every output folder as it was", async () => {
    const dir = tempDir("out");
    const bad = writeTfJson("{ nope");
    const run = await runCliProcess(
      [
        "check",
        "--synth",
        bad,
        "--no-live",
        "--no-probes",
        "--format",
        "json",
        "--output",
        join(dir, "new", "r.json"),
      ],
      { env: ENV },
    );
    expect(run.code).toBe(2);
    expect(filesUnder(dir)).toEqual([]);
    expect(existsSync(join(dir, "new"))).toBe(false);
  });
});
