import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn, spawnSync } from "node:child_process";

/**
 * A network lab of three namespaces: the origins, and two vantages joined to them by veth pairs,
 * with addresses from the benchmarking ranges only (198.18.0.0/15, 2001:2::/48), which exist only
 * here. Lab indexes 236 and 237 are this test's (no other test uses them).
 *
 *   fra (198.18.236.2, 2001:2:0:ec::2) ── origins ── (198.18.237.2, IPv4 only) sin
 *
 * The origins hold 198.19.236.10-13 and 2001:2:1:ec::10 on their loopback, one HTTP server on
 * port 80 for all of them, and a firewall that drops fra's range on .11 and resets every
 * connection to .13. fra reaches all of them; sin has no IPv6 at all and an `unreachable` route
 * for .12.
 */
export interface VantageLab {
  readonly origins: {
    readonly healthy: string;
    /** Drops SYNs from fra's range (a firewall missing one of Cloudflare's ranges): 522 from fra. */
    readonly dropsFra: string;
    /** Unreachable from sin (a broken route there): 523 from sin. */
    readonly noRouteFromSin: string;
    /** Resets every connection: 521 from everywhere. */
    readonly refuses: string;
    readonly healthyV6: string;
  };
  /** Run a command inside a vantage's namespace, to the end. */
  run(
    vantage: "fra" | "sin",
    command: readonly string[],
    options?: { cwd?: string },
  ): { status: number | null; stdout: string; stderr: string };
  destroy(): Promise<void>;
}

const NS = { origins: "cfpl-shard-orig", fra: "cfpl-shard-fra", sin: "cfpl-shard-sin" } as const;
const LINKS = {
  fra: { index: 236, outer: "cfpls236o", inner: "cfpls236v" },
  sin: { index: 237, outer: "cfpls237o", inner: "cfpls237v" },
} as const;

function sh(args: readonly string[], input?: string): string {
  return execFileSync(args[0]!, args.slice(1), { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}
function quiet(args: readonly string[]): void {
  spawnSync(args[0]!, args.slice(1), { stdio: "ignore" });
}
function inNs(ns: string, args: readonly string[], input?: string): string {
  return sh(["ip", "netns", "exec", ns, ...args], input);
}

function removeAll(): void {
  for (const ns of Object.values(NS)) quiet(["ip", "netns", "del", ns]);
}

export async function createVantageLab(): Promise<VantageLab> {
  removeAll(); // leftovers of an interrupted run
  let server: ChildProcess | undefined;
  const origins = {
    healthy: "198.19.236.10",
    dropsFra: "198.19.236.11",
    noRouteFromSin: "198.19.236.12",
    refuses: "198.19.236.13",
    healthyV6: "2001:2:1:ec::10",
  };
  const destroy = async (): Promise<void> => {
    if (server && server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((resolve) => server!.once("exit", resolve));
      server.kill("SIGTERM");
      await exited;
    }
    removeAll(); // removing a namespace removes its veth ends and routes
  };
  try {
    for (const ns of Object.values(NS)) sh(["ip", "netns", "add", ns]);
    for (const ns of Object.values(NS)) inNs(ns, ["ip", "link", "set", "lo", "up"]);
    // sin has no IPv6 at all, as on many CI runners.
    inNs(NS.sin, [
      "sysctl",
      "-q",
      "-w",
      "net.ipv6.conf.all.disable_ipv6=1",
      "net.ipv6.conf.default.disable_ipv6=1",
    ]);
    for (const [vantage, link] of Object.entries(LINKS)) {
      const ns = NS[vantage as keyof typeof LINKS];
      sh([
        "ip",
        "link",
        "add",
        link.outer,
        "netns",
        NS.origins,
        "type",
        "veth",
        "peer",
        "name",
        link.inner,
        "netns",
        ns,
      ]);
      inNs(NS.origins, ["ip", "addr", "add", `198.18.${link.index}.1/24`, "dev", link.outer]);
      inNs(NS.origins, ["ip", "link", "set", link.outer, "up"]);
      inNs(ns, ["ip", "addr", "add", `198.18.${link.index}.2/24`, "dev", link.inner]);
      inNs(ns, ["ip", "link", "set", link.inner, "up"]);
      inNs(ns, ["ip", "route", "add", "198.19.236.0/24", "via", `198.18.${link.index}.1`]);
    }
    // IPv6 between fra and the origins only.
    inNs(NS.origins, ["ip", "-6", "addr", "add", "2001:2:0:ec::1/64", "dev", LINKS.fra.outer, "nodad"]);
    inNs(NS.fra, ["ip", "-6", "addr", "add", "2001:2:0:ec::2/64", "dev", LINKS.fra.inner, "nodad"]);
    inNs(NS.fra, ["ip", "-6", "route", "add", "2001:2:1:ec::/64", "via", "2001:2:0:ec::1"]);
    // sin's broken route.
    inNs(NS.sin, ["ip", "route", "add", "unreachable", `${origins.noRouteFromSin}/32`]);
    for (const address of [origins.healthy, origins.dropsFra, origins.noRouteFromSin, origins.refuses])
      inNs(NS.origins, ["ip", "addr", "add", `${address}/32`, "dev", "lo"]);
    inNs(NS.origins, ["ip", "-6", "addr", "add", `${origins.healthyV6}/128`, "dev", "lo", "nodad"]);
    inNs(
      NS.origins,
      ["nft", "-f", "-"],
      `table inet cfpl_shard_lab {
  chain input {
    type filter hook input priority filter; policy accept;
    ip saddr 198.18.${LINKS.fra.index}.0/24 ip daddr ${origins.dropsFra} tcp dport 80 drop
    ip daddr ${origins.refuses} tcp dport 80 reject with tcp reset
  }
}
`,
    );
    const script = `require("node:http").createServer((q, s) => { s.writeHead(200, {"content-type": "text/plain"}); s.end("lab\\n"); })
      .listen(80, "::", () => console.log("ready"));`;
    server = spawn("ip", ["netns", "exec", NS.origins, process.execPath, "-e", script], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    await new Promise<void>((resolve, reject) => {
      let err = "";
      server!.stderr?.on("data", (d: Buffer) => {
        err += d.toString();
      });
      server!.stdout?.on("data", (d: Buffer) => {
        if (d.toString().includes("ready")) resolve();
      });
      server!.once("exit", (code) => reject(new Error(`lab origin exited (${code}): ${err}`)));
    });
  } catch (error) {
    await destroy();
    throw error;
  }
  return {
    origins,
    run: (vantage, command, options = {}) => {
      const result = spawnSync("ip", ["netns", "exec", NS[vantage], ...command], {
        encoding: "utf8",
        cwd: options.cwd,
        env: { PATH: process.env.PATH },
      });
      return { status: result.status, stdout: result.stdout, stderr: result.stderr };
    },
    destroy,
  };
}
