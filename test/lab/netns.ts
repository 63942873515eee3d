import type { ChildProcess } from "node:child_process";
import { execFileSync, spawn, spawnSync } from "node:child_process";

/**
 * A network lab: one network namespace (`cfpl-probe-<tag>`) joined to this namespace by a veth
 * pair, with addresses from the benchmarking ranges (198.18.0.0/15, 2001:2::/48) that exist only
 * in these namespaces. Made and removed by the test setup, as root. Packets go only to the lab.
 */
export interface Lab {
  readonly namespace: string;
  readonly hostInterface: string;
  /** This namespace's end and the lab's end of the veth pair. */
  readonly v4: { readonly host: string; readonly lab: string };
  readonly v6: { readonly host: string; readonly lab: string };
  /** Networks routed into the lab and declared unreachable there (523 by ICMP from the lab). */
  readonly unreachable: { readonly v4: string; readonly v6: string };
  /** Run a command inside the lab namespace. */
  exec(command: readonly string[]): string;
  /** Load an nftables ruleset inside the lab namespace. */
  nft(ruleset: string): void;
  /** Start a long-running process inside the lab namespace. */
  spawn(command: readonly string[]): ChildProcess;
  destroy(): void;
}

export type LabCapability = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const LAB_PREFIX = "cfpl-probe-";

function run(command: string, args: readonly string[], input?: string): string {
  return execFileSync(command, args, { encoding: "utf8", input, stdio: ["pipe", "pipe", "pipe"] });
}

function quiet(command: string, args: readonly string[]): void {
  spawnSync(command, args, { stdio: "ignore" });
}

function has(command: string): boolean {
  return spawnSync("sh", ["-c", `command -v ${command}`], { stdio: "ignore" }).status === 0;
}

/** Whether this machine can build a lab: root, iproute2, nftables, and a namespace made and removed. */
export function labCapability(): LabCapability {
  if (process.platform !== "linux") return { ok: false, reason: "network namespaces need Linux" };
  if (process.getuid?.() !== 0) return { ok: false, reason: "the network lab needs root" };
  if (!has("ip")) return { ok: false, reason: "ip (iproute2) is not installed: apt-get install -y iproute2" };
  if (!has("nft")) return { ok: false, reason: "nft is not installed: apt-get install -y nftables" };
  const probe = `${LAB_PREFIX}cap-${process.pid}`;
  const made = spawnSync("ip", ["netns", "add", probe], { encoding: "utf8" });
  if (made.status !== 0)
    return { ok: false, reason: `cannot create a network namespace: ${made.stderr.trim()}` };
  quiet("ip", ["netns", "del", probe]);
  return { ok: true };
}

/** Whether lab tests must run (CI=true): then a lab that cannot be made is a failure, not a skip. */
export const LAB_REQUIRED = process.env.CI === "true";

/**
 * Build a lab. `index` (1-250) keeps concurrent labs apart: it picks the veth names and the
 * subnets 198.18.<index>.0/24, 198.19.<index>.0/24, 2001:2:0:<index>::/64 and 2001:2:1:<index>::/64.
 */
export function createLab(tag: string, index: number): Lab {
  if (!Number.isInteger(index) || index < 1 || index > 250)
    throw new Error(`lab index ${index} out of 1-250`);
  const namespace = `${LAB_PREFIX}${tag}`;
  const hostInterface = `cfplp${index}h`;
  const labInterface = `cfplp${index}n`;
  const hex = index.toString(16);
  const v4 = { host: `198.18.${index}.1`, lab: `198.18.${index}.2` };
  const v6 = { host: `2001:2:0:${hex}::1`, lab: `2001:2:0:${hex}::2` };
  const unreachable = { v4: `198.19.${index}.0/24`, v6: `2001:2:1:${hex}::/64` };

  // Leftovers of an interrupted run.
  quiet("ip", ["netns", "del", namespace]);
  quiet("ip", ["link", "del", hostInterface]);

  const inLab = (args: readonly string[]): string => run("ip", ["netns", "exec", namespace, ...args]);
  const lab: Lab = {
    namespace,
    hostInterface,
    v4,
    v6,
    unreachable,
    exec: inLab,
    nft: (ruleset) => {
      run("ip", ["netns", "exec", namespace, "nft", "-f", "-"], ruleset);
    },
    spawn: (command) =>
      spawn("ip", ["netns", "exec", namespace, ...command], { stdio: ["ignore", "pipe", "pipe"] }),
    destroy: () => {
      // Removing the namespace removes the veth pair and the routes through it.
      quiet("ip", ["netns", "del", namespace]);
      quiet("ip", ["link", "del", hostInterface]);
    },
  };
  try {
    run("ip", ["netns", "add", namespace]);
    run("ip", [
      "link",
      "add",
      hostInterface,
      "type",
      "veth",
      "peer",
      "name",
      labInterface,
      "netns",
      namespace,
    ]);
    run("ip", ["addr", "add", `${v4.host}/24`, "dev", hostInterface]);
    run("ip", ["-6", "addr", "add", `${v6.host}/64`, "dev", hostInterface, "nodad"]);
    run("ip", ["link", "set", hostInterface, "up"]);
    inLab(["ip", "link", "set", "lo", "up"]);
    inLab(["ip", "addr", "add", `${v4.lab}/24`, "dev", labInterface]);
    inLab(["ip", "-6", "addr", "add", `${v6.lab}/64`, "dev", labInterface, "nodad"]);
    inLab(["ip", "link", "set", labInterface, "up"]);
    // The lab routes what it is sent, so an `unreachable` route there answers with ICMP.
    inLab(["sysctl", "-q", "-w", "net.ipv4.ip_forward=1", "net.ipv6.conf.all.forwarding=1"]);
    inLab(["ip", "route", "add", "unreachable", unreachable.v4]);
    inLab(["ip", "-6", "route", "add", "unreachable", unreachable.v6]);
    run("ip", ["route", "add", unreachable.v4, "via", v4.lab, "dev", hostInterface]);
    run("ip", ["-6", "route", "add", unreachable.v6, "via", v6.lab, "dev", hostInterface]);
  } catch (error) {
    lab.destroy();
    throw error;
  }
  return lab;
}

/** Start a Node HTTP origin inside the lab on every address (IPv4 and IPv6); resolves once it listens. */
export async function labHttpOrigin(lab: Lab, port: number): Promise<ChildProcess> {
  const script = `require("node:http").createServer((q, s) => { s.writeHead(200); s.end("lab\\n"); })
    .listen(${port}, "::", () => console.log("ready"));`;
  const child = lab.spawn([process.execPath, "-e", script]);
  await new Promise<void>((resolve, reject) => {
    let err = "";
    child.stderr?.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve();
    });
    child.once("exit", (code) => reject(new Error(`lab origin exited (${code}): ${err}`)));
  });
  return child;
}

export async function stopChild(child: ChildProcess | undefined): Promise<void> {
  if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once("exit", resolve));
  child.kill("SIGTERM");
  await exited;
}
