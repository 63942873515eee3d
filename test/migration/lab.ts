import type { ChildProcess } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import http from "node:http";
import https from "node:https";
import os from "node:os";
import path from "node:path";
import { createLab, type Lab } from "../lab/netns.js";
import { createTestCa, type TestCa } from "./certificates.js";
import { GENERATION_PATH, renderNginxConfig } from "./nginx-config.js";
import type { SiteAddresses } from "./site.js";

/** Debian's nginx binary, when installed. */
export const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** Lab indexes reserved for this test (no other test uses them). */
const LABS = { old: { tag: "mig-old", index: 211 }, new: { tag: "mig-new", index: 212 } } as const;

/** What one origin serves, and how its firewall is set. */
export interface OriginState {
  /**
   * Per hostname, the DNS names of the certificate its server block presents (from the shared
   * test CA). Default: the hostname itself.
   */
  readonly certificateNames?: Readonly<Record<string, readonly string[]>>;
  /** `/health` answers 200 application/json (true) or 404 (false). */
  readonly health: boolean;
  /** An nftables ruleset loaded in the origin's namespace; none: no firewall at all. */
  readonly nftables?: string;
}

export interface LabOrigin {
  readonly name: "old" | "new";
  readonly lab: Lab;
  readonly v4: string;
  readonly v6: string;
  /** Rewrite the firewall and the nginx configuration, reload, and wait until the new one answers. */
  apply(state: OriginState): Promise<void>;
  /** `nft -j list ruleset` in the namespace, written to `file` (for `--firewall ORIGIN=FILE`). */
  exportFirewall(file: string): void;
}

export interface MigrationLab {
  /** A scratch folder for the test (configurations, certificates, exports). */
  readonly dir: string;
  /** The shared test CA (PEM file), for `--origin-ca`. */
  readonly caFile: string;
  readonly old: LabOrigin;
  readonly new: LabOrigin;
  readonly addresses: SiteAddresses;
  /** Stop both nginx and remove both namespaces and the scratch folder; safe to call twice. */
  destroy(): Promise<void>;
}

export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
  readonly headers: http.IncomingHttpHeaders;
}

/**
 * One GET to a lab address with the hostname as Host (and SNI over HTTPS, certificate not
 * checked): what a lab origin answers, for readiness and for the test's own sanity checks.
 */
export function labGet(
  address: string,
  port: 80 | 443,
  hostname: string,
  pathname: string,
  timeoutMs = 2000,
): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const options = {
      host: address,
      port,
      path: pathname,
      headers: { host: hostname },
      agent: false as const,
      timeout: timeoutMs,
    };
    const onResponse = (res: http.IncomingMessage): void => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      res.on("error", reject);
    };
    const req =
      port === 443
        ? https.get({ ...options, servername: hostname, rejectUnauthorized: false }, onResponse)
        : http.get(options, onResponse);
    req.on("timeout", () => req.destroy(new Error(`no answer from ${address}:${port} in ${timeoutMs} ms`)));
    req.on("error", reject);
  });
}

async function stopProcess(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
  await exited;
  clearTimeout(timer);
}

interface OriginHandle extends LabOrigin {
  stop(): Promise<void>;
}

function labOrigin(
  name: "old" | "new",
  lab: Lab,
  dir: string,
  ca: TestCa,
  hostnames: readonly string[],
): OriginHandle {
  const nginx = NGINX;
  if (nginx === undefined) throw new Error("nginx is not installed (apt-get install -y nginx)");
  mkdirSync(path.join(dir, "temp"), { recursive: true });
  const conf = path.join(dir, "nginx.conf");
  const errorLog = path.join(dir, "error.log");
  let generation = 0;
  let child: ChildProcess | undefined;
  let stderr = "";

  const problem = (): string =>
    [stderr.trim(), existsSync(errorLog) ? readFileSync(errorLog, "utf8").trim() : ""]
      .filter(Boolean)
      .join("\n");

  /** Every hostname on both families and both ports answers with the current generation. */
  const waitForGeneration = async (deadlineMs = 10_000): Promise<void> => {
    const until = Date.now() + deadlineMs;
    const checks = hostnames.flatMap((h) =>
      [lab.v4.lab, lab.v6.lab].flatMap((a) => ([443, 80] as const).map((p) => ({ h, a, p }))),
    );
    let last = "";
    for (;;) {
      if (child && (child.exitCode !== null || child.signalCode !== null))
        throw new Error(`nginx (${name}) exited: ${problem()}`);
      const answers = await Promise.all(
        checks.map(({ h, a, p }) =>
          labGet(a, p, h, GENERATION_PATH, 1000).then(
            (r) =>
              r.status === 200 && r.body === String(generation)
                ? ""
                : `${a}:${p} ${h}: ${r.status} ${r.body}`,
            (e: Error) => `${a}:${p} ${h}: ${e.message}`,
          ),
        ),
      );
      last = answers.filter(Boolean).join("; ");
      // After a reload the old worker finishes its connections and may still accept new ones for
      // a moment: the new generation counts only once it is the one worker left.
      const workers = child?.pid === undefined ? 1 : childrenOf(child.pid).length;
      if (last === "" && workers <= 1) return;
      if (last === "") last = `${workers} worker processes (an old one is still shutting down)`;
      if (Date.now() > until)
        throw new Error(`nginx (${name}) did not serve generation ${generation}: ${last}\n${problem()}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  };

  return {
    name,
    lab,
    v4: lab.v4.lab,
    v6: lab.v6.lab,
    async apply(state) {
      lab.nft(`flush ruleset\n${state.nftables ?? ""}`);
      generation += 1;
      const sites = hostnames.map((hostname) => {
        const leaf = ca.issue(state.certificateNames?.[hostname] ?? [hostname]);
        return { hostname, certFile: leaf.certFile, keyFile: leaf.keyFile };
      });
      writeFileSync(
        conf,
        renderNginxConfig({ dir, v4: lab.v4.lab, v6: lab.v6.lab, generation, health: state.health, sites }),
      );
      lab.exec([nginx, "-t", "-q", "-p", dir, "-c", conf]);
      if (child === undefined) {
        child = lab.spawn([nginx, "-p", dir, "-c", conf, "-g", "daemon off;"]);
        child.stdout?.resume();
        child.stderr?.on("data", (d: Buffer) => {
          stderr += d.toString();
        });
      } else {
        lab.exec([nginx, "-s", "reload", "-p", dir, "-c", conf]);
      }
      await waitForGeneration();
    },
    exportFirewall(file) {
      writeFileSync(file, lab.exec(["nft", "-j", "list", "ruleset"]));
    },
    async stop() {
      await stopProcess(child);
    },
  };
}

/** The processes whose parent is `pid` (nginx's workers under its master), read from /proc. */
function childrenOf(pid: number): number[] {
  const out: number[] = [];
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // pid (comm) state ppid ...: comm may hold spaces, so read after the last ")".
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (ppid === pid) out.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return out;
}

/**
 * Two origins in network namespaces (old: 198.18.211.2 and 2001:2:0:d3::2; new: 198.18.212.2 and
 * 2001:2:0:d4::2), each running Debian's nginx inside its namespace for `hostnames`, with
 * certificates from one test CA. Call `apply` on each origin to start it. Needs root, iproute2,
 * nftables, nginx and openssl; anything made before a failure is removed before it throws.
 */
export function createMigrationLab(hostnames: readonly string[]): MigrationLab {
  const dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-migration-"));
  const labs: Lab[] = [];
  const origins: OriginHandle[] = [];
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    await Promise.all(origins.map((o) => o.stop()));
    for (const lab of labs) lab.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ca = createTestCa(path.join(dir, "ca"));
    for (const name of ["old", "new"] as const) {
      const lab = createLab(LABS[name].tag, LABS[name].index);
      labs.push(lab);
      origins.push(labOrigin(name, lab, path.join(dir, name), ca, hostnames));
    }
    const [old, next] = origins as [OriginHandle, OriginHandle];
    return {
      dir,
      caFile: ca.caFile,
      old,
      new: next,
      addresses: { old: { v4: old.v4, v6: old.v6 }, new: { v4: next.v4, v6: next.v6 } },
      destroy,
    };
  } catch (error) {
    // Synchronous cleanup of what exists: no nginx was started yet.
    for (const lab of labs) lab.destroy();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
