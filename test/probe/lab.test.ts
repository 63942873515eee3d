import type { ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";
import { applyVantage } from "../../checks/probe/vantage.js";
import type { Lab } from "../lab/netns.js";
import { createLab, LAB_REQUIRED, labCapability, labHttpOrigin, stopChild } from "../lab/netns.js";
import { targetFor } from "./helpers/targets.js";

const capability = labCapability();
const PORTS = { open: 7080, drop: 7001, reset: 7002, icmp: 7003, counted: 7004 };
const LAB_INDEX = 201;

let lab: Lab | undefined;
let origin: ChildProcess | undefined;

/**
 * Short for dropped SYNs; long enough elsewhere for an ICMPv6 error, which Linux reports on the
 * SYN's first retransmission (about 1 s) rather than at once.
 */
async function probe(target: ProbeTarget, connectTimeoutMs = 5000): Promise<ProbeResult> {
  const [result] = await runProbes([target], { connectTimeoutMs, readTimeoutMs: 2000 });
  return result!;
}

function firstHost(cidr: string): string {
  return cidr.includes(":") ? cidr.replace(/::\/64$/, "::7") : cidr.replace(/\.0\/24$/, ".7");
}

describe.skipIf(!capability.ok && !LAB_REQUIRED)(
  `network lab: namespaces, veth and nftables${capability.ok ? "" : ` (skipped: ${capability.reason})`}`,
  () => {
    beforeAll(async () => {
      if (!capability.ok) throw new Error(`CI=true requires the network lab: ${capability.reason}`);
      lab = createLab("lab", LAB_INDEX);
      lab.nft(`
table inet cfpl_probe_lab {
  chain input {
    type filter hook input priority filter; policy accept;
    tcp dport ${PORTS.drop} drop
    tcp dport ${PORTS.reset} reject with tcp reset
    tcp dport ${PORTS.icmp} reject with icmpx type host-unreachable
    tcp dport ${PORTS.counted} tcp flags syn counter drop
  }
}
`);
      origin = await labHttpOrigin(lab, PORTS.open);
    });

    afterAll(async () => {
      await stopChild(origin);
      lab?.destroy();
    });

    for (const family of ["v4", "v6"] as const) {
      describe(`IP${family}`, () => {
        const address = (): string => lab![family].lab;

        it("reaches a healthy origin inside the lab", async () => {
          const r = await probe(targetFor(address(), PORTS.open, "flexible"));
          expect(r).toMatchObject({
            status: "ok",
            httpStatus: 200,
            address: address(),
            localAddress: lab![family].host,
          });
        });

        it("predicts 522 when a firewall drops the SYN", async () => {
          const r = await probe(targetFor(address(), PORTS.drop, "strict"), 1000);
          expect(r).toMatchObject({ status: "fail", predicts: "522", phase: "tcp", code: "ETIMEDOUT" });
        });

        it("predicts 521 when a firewall answers with a TCP reset", async () => {
          const r = await probe(targetFor(address(), PORTS.reset, "strict"));
          expect(r).toMatchObject({ status: "fail", predicts: "521", phase: "tcp", code: "ECONNREFUSED" });
        });

        it("predicts 523 when a firewall answers ICMP host unreachable", async () => {
          const r = await probe(targetFor(address(), PORTS.icmp, "strict"));
          expect(r).toMatchObject({ status: "fail", predicts: "523", phase: "tcp", code: "EHOSTUNREACH" });
          expect(r.timings.tcp).toBeLessThan(5000);
        });

        it("predicts 523 when the path has no route to the origin (an unreachable route in the lab)", async () => {
          const r = await probe(targetFor(firstHost(lab!.unreachable[family]), 443, "strict"));
          expect(r).toMatchObject({ status: "fail", predicts: "523", phase: "tcp" });
          expect(["EHOSTUNREACH", "ENETUNREACH"]).toContain(r.code);
        });
      });
    }

    describe("one connection attempt per address and port", () => {
      it("waits out a silent address once for every hostname behind it, and sends it one SYN", async () => {
        const hostnames = ["a", "b", "c", "d", "e", "f"].map((h) => `${h}.example.test`);
        const targets = hostnames.map((hostname) =>
          targetFor(lab!.v4.lab, PORTS.counted, "strict", { hostname }),
        );
        // Concurrency 1: without sharing, six attempts would be made one after another.
        const results = await runProbes(targets, {
          connectTimeoutMs: 700,
          readTimeoutMs: 2000,
          concurrency: 1,
        });
        expect(results.map((r) => [r.target.hostname, r.predicts, r.code])).toEqual(
          hostnames.map((h) => [h, "522", "ETIMEDOUT"]),
        );
        // In the same words for each: a finding does not depend on which target attempted first.
        expect(new Set(results.map((r) => r.message)).size).toBe(1);
        const listed = lab!.exec(["nft", "list", "table", "inet", "cfpl_probe_lab"]);
        const syns = Number(/counter packets (\d+)/.exec(listed)?.[1]);
        expect(syns).toBe(1);
      });
    });

    describe("vantage", () => {
      it("calls a dropped SYN behind a Cloudflare-only allowlist 'blocked by design' unless the vantage is allowed", async () => {
        const target = targetFor(lab!.v4.lab, PORTS.drop, "strict", {
          allowlist: { kind: "cloudflare" },
          originName: "lab",
        });
        const r = await probe(target, 1000);
        expect(r.predicts).toBe("522");
        expect(applyVantage(r, target, "unknown")).toMatchObject({ status: "unknown", predicts: null });
        expect(applyVantage(r, target, "unknown").message).toMatch(/blocked by design/);
        expect(applyVantage(r, target, "allowed")).toMatchObject({ status: "fail", predicts: "522" });
      });

      it("warns that an origin answering a vantage declared outside its allowlist is exposed", async () => {
        const target = targetFor(lab!.v6.lab, PORTS.open, "flexible", {
          allowlist: { kind: "cloudflare" },
          originName: "lab",
        });
        const r = applyVantage(await probe(target), target, "outside");
        expect(r).toMatchObject({ status: "warn", exposed: true, httpStatus: 200 });
      });

      it("judges the allowlist by the real source address of the connection", async () => {
        const target = targetFor(lab!.v4.lab, PORTS.open, "flexible", {
          allowlist: { kind: "cidrs", cidrs: [`${lab!.v4.host}/32`] },
        });
        const r = await probe(target);
        expect(applyVantage(r, target, "outside")).toEqual(r);
      });
    });
  },
);
