import { compareResponses, fastest, hstsSummary, mediaType, tooSlow } from "../migration/compare.js";
import type { MigrationParity, ParityPair, ParitySample } from "../migration/parity.js";
import type { Finding, Subject } from "../model/finding.js";
import type { ProbeResult } from "../probe/result.js";
import { targetAddress } from "../probe/result.js";
import { allowlistAdmits } from "../probe/vantage.js";
import { finding, type Rule, type RuleContext } from "./rule.js";

/**
 * The host migration rules (issue 6): pure readings of `context.migrations`, each finding tagged with
 * the migration's id. Reachability and certificates of the new origin are the origin-* rules' (they
 * probe the desired state, which is the new origin), and its firewall is the firewall rules': the
 * report ties those findings to the migration as well. These rules add what only a comparison of
 * old and new can tell.
 */

function pairSubject(parity: MigrationParity, pair: ParityPair): Subject {
  return {
    zone: parity.migration.zone,
    hostname: pair.hostname,
    address: targetAddress(pair.new),
    port: pair.new.port,
  };
}

function answer(result: ProbeResult): Record<string, unknown> {
  return {
    address: result.address ?? targetAddress(result.target),
    port: result.port,
    status: result.status,
    ...(result.httpStatus !== undefined ? { httpStatus: result.httpStatus } : {}),
    ...(result.location !== undefined ? { location: result.location } : {}),
    ...(result.headers?.contentType !== undefined
      ? { contentType: mediaType(result.headers.contentType) }
      : {}),
    ...(result.headers?.strictTransportSecurity !== undefined
      ? { strictTransportSecurity: hstsSummary(result.headers.strictTransportSecurity) ?? "off (max-age=0)" }
      : {}),
    ...(result.predicts !== null ? { predicts: result.predicts } : {}),
    ...(result.httpStatus === undefined ? { message: result.message } : {}),
  };
}

/** The first sample of each path, in path order. */
function firstPerPath(samples: readonly ParitySample[]): ParitySample[] {
  const seen = new Set<string>();
  return samples.filter((s) => !seen.has(s.path) && seen.add(s.path));
}

function familyWords(pair: ParityPair): string {
  return pair.family === "ipv6" ? " over IPv6" : pair.family === "ipv4" ? " over IPv4" : "";
}

export const migrationHttpParity: Rule = {
  id: "migration-http-parity",
  predicts: null,
  checks:
    "For each hostname that moves, the new origin answers / and the configured paths like the old one: same status, Location, Content-Type and Strict-Transport-Security.",
  why: "A new host that answers 404 where the old one answered 200, or redirects elsewhere, breaks the site for visitors the moment DNS moves, with no 52x to warn anyone.",
  fix: "Deploy the missing content, redirects and headers on the new origin (or change the old one first), then run the preflight again.",
  needs: ["live"],
  evaluate(context: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const parity of context.migrations ?? []) {
      const id = parity.migration.id;
      if (!parity.probed) {
        out.push(
          finding(
            this,
            "unknown",
            { zone: parity.migration.zone },
            `${id}: ${parity.migration.hostnames.length} hostname(s) move, but the origins were not probed (--no-probes), so the new origin is not proven ready`,
            { hostnames: parity.migration.hostnames.map((h) => h.hostname) },
            {
              migration: id,
              fix: "Run the check with probes (without --no-probes) from a machine the origins admit.",
            },
          ),
        );
        continue;
      }
      for (const pair of parity.pairs) out.push(...pairFindings(this, parity, pair));
    }
    return out;
  },
};

function pairFindings(rule: Rule, parity: MigrationParity, pair: ParityPair): Finding[] {
  const id = parity.migration.id;
  const subject = pairSubject(parity, pair);
  const on = familyWords(pair);
  if (pair.unknownReason !== undefined)
    return [
      finding(
        rule,
        "unknown",
        subject,
        `${pair.hostname}: old and new cannot be compared${on}: ${pair.unknownReason}`,
        {},
        { migration: id },
      ),
    ];
  const out: Finding[] = [];
  const compared: string[] = [];
  for (const sample of firstPerPath(pair.samples)) {
    const { path, old, new: next } = sample;
    const evidence = { path, family: pair.family, old: answer(old), new: answer(next) };
    if (old.status === "unknown" || next.status === "unknown") {
      const side = old.status === "unknown" ? old : next;
      out.push(
        finding(
          rule,
          "unknown",
          subject,
          `${pair.hostname}${path}${on}: old and new not compared: ${side === old ? "the old" : "the new"} origin could not be judged (${side.message})`,
          evidence,
          { migration: id },
        ),
      );
      break;
    }
    const oldAnswered = old.httpStatus !== undefined;
    const newAnswered = next.httpStatus !== undefined;
    if (!oldAnswered && !newAnswered) continue;
    if (!oldAnswered) {
      compared.push(
        `${path} (the old origin fails: ${old.predicts ?? old.code}; the new one answers ${next.httpStatus})`,
      );
      continue;
    }
    if (!newAnswered) {
      // "/" is probed by the origin-* rules already: one finding per problem.
      if (path === "/") continue;
      out.push(
        finding(
          rule,
          "fail",
          subject,
          `${pair.hostname}${path}${on}: the old origin answers ${old.httpStatus}; the new one would give ${next.predicts ?? "an error"}: ${next.message}`,
          evidence,
          { migration: id, predicts: next.predicts === "redirect-loop" ? null : next.predicts },
        ),
      );
      continue;
    }
    const differences = compareResponses(old, next, pair.hostname, path);
    if (differences.length === 0) {
      compared.push(`${path} (${next.httpStatus})`);
      continue;
    }
    const blocking = differences.some((d) => d.blocking);
    const words = differences
      .map((d) => `${d.field} ${d.old ?? "(none)"} on the old origin, ${d.new ?? "(none)"} on the new`)
      .join("; ");
    out.push(
      finding(
        rule,
        blocking ? "fail" : "warn",
        subject,
        `${pair.hostname}${path}${on}: ${words}`,
        { ...evidence, differences },
        { migration: id },
      ),
    );
  }
  if (out.length === 0 && compared.length > 0)
    out.push(
      finding(
        rule,
        "pass",
        subject,
        `${pair.hostname}${on}: old and new answer alike on ${compared.join(", ")}`,
        { paths: compared },
        { migration: id },
      ),
    );
  return out;
}

export const migrationLatency: Rule = {
  id: "migration-latency",
  predicts: null,
  checks:
    "For each hostname that moves, the new origin's response time (connect, TLS, response headers; fastest of several samples) stays within the configured factor of the old one's.",
  why: "A much slower new host turns into timeouts (524 past Cloudflare's 100 s) under load and slower pages at once; a migration should not be where that is found out.",
  fix: "Find why the new origin is slower (cold caches, a far-away database, missing keep-alive), or raise `latencyFactor` in the site's migration policy if the difference is expected.",
  needs: ["live", "probes"],
  evaluate(context: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const parity of context.migrations ?? []) {
      for (const pair of parity.pairs) {
        if (pair.unknownReason !== undefined) continue;
        const subject = pairSubject(parity, pair);
        const measured: { path: string; oldMs: number; newMs: number }[] = [];
        for (const path of new Set(pair.samples.map((s) => s.path))) {
          const samples = pair.samples.filter((s) => s.path === path);
          const oldMs = fastest(samples, "old");
          const newMs = fastest(samples, "new");
          if (oldMs !== undefined && newMs !== undefined) measured.push({ path, oldMs, newMs });
        }
        if (measured.length === 0) continue;
        const slow = measured.filter((m) => tooSlow(m.oldMs, m.newMs, parity.policy));
        const evidence = {
          family: pair.family,
          factor: parity.policy.latencyFactor,
          slackMs: parity.policy.latencySlackMs,
          samples: parity.policy.latencySamples,
          measured,
        };
        const on = familyWords(pair);
        out.push(
          slow.length > 0
            ? finding(
                this,
                "fail",
                subject,
                `${pair.hostname}${on}: the new origin answers ${slow.map((m) => `${m.path} in ${m.newMs} ms against ${m.oldMs} ms`).join(", ")} on the old, over ${parity.policy.latencyFactor}x`,
                evidence,
                { migration: parity.migration.id },
              )
            : finding(
                this,
                "pass",
                subject,
                `${pair.hostname}${on}: the new origin answers within ${parity.policy.latencyFactor}x of the old (${measured.map((m) => `${m.path} ${m.newMs} ms vs ${m.oldMs} ms`).join(", ")})`,
                evidence,
                { migration: parity.migration.id },
              ),
        );
      }
    }
    return out;
  },
};

export const migrationPortParity: Rule = {
  id: "migration-port-parity",
  predicts: "521",
  checks:
    "The new origin accepts connections on every port the old origin serves (the ports Cloudflare uses for the moving hostnames and the ports the code declares for the old origin).",
  why: "Anything that reaches the old host on another port (an origin rule outside this code, a second hostname, a health check) gets 521 or 522 once it is pointed at the new host.",
  fix: "Open the port on the new origin (listener and firewall), or confirm nothing uses it and acknowledge the finding.",
  needs: ["live", "probes"],
  evaluate(context: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const parity of context.migrations ?? []) {
      const id = parity.migration.id;
      const both: string[] = [];
      for (const port of parity.ports) {
        const subject: Subject = { zone: parity.migration.zone, address: port.newAddress, port: port.port };
        const evidence = {
          family: port.family,
          old: { address: port.oldAddress, ...port.old },
          new: { address: port.newAddress, ...port.new },
        };
        if (!port.old.answered) continue;
        if (port.new.answered) {
          both.push(`${port.port} (${port.family === "ipv6" ? "IPv6" : "IPv4"})`);
          continue;
        }
        // The ports the moving hostnames use are judged by the origin probes (origin-tcp).
        if (parity.migration.to.ports.includes(port.port)) continue;
        const admitted = parity.newOrigin
          ? allowlistAdmits(parity.newOrigin.allowlist, undefined)
          : undefined;
        if (context.vantage !== "allowed" && admitted !== true) {
          out.push(
            finding(
              this,
              "unknown",
              subject,
              `port ${port.port}: the old origin answers; the new one did not (${port.new.code}), which its firewall may do by design: run from an admitted machine or declare --vantage allowed`,
              evidence,
              { migration: id, predicts: null },
            ),
          );
          continue;
        }
        out.push(
          finding(
            this,
            "warn",
            subject,
            `port ${port.port}: the old origin ${port.oldAddress} answers, the new origin ${port.newAddress} does not (${port.new.code}); nothing in this code routes there after the move, but anything outside it that does will get ${port.new.code === "ETIMEDOUT" ? "522" : "521"}`,
            evidence,
            { migration: id, predicts: port.new.code === "ETIMEDOUT" ? "522" : "521" },
          ),
        );
      }
      if (both.length > 0)
        out.push(
          finding(
            this,
            "pass",
            { zone: parity.migration.zone },
            `${id}: both origins answer on port ${both.join(", ")}`,
            { ports: both },
            { migration: id, predicts: null },
          ),
        );
    }
    return out;
  },
};

export const migrationFirewall: Rule = {
  id: "migration-firewall",
  predicts: "522",
  checks:
    "The new origin's declared allowlist covers Cloudflare's live ranges and, when its exported ruleset is given (--firewall NEW=FILE), the origin really enforces it.",
  why: "A new host whose firewall still admits only the office, or an old copy of Cloudflare's ranges, answers every visitor with 522 once DNS moves.",
  fix: "Export the new origin's ruleset (`nft -j list ruleset` or `iptables-save`) and pass it with --firewall NEW=FILE; fix what allowlist-missing-ranges or firewall-enforcement report.",
  needs: ["live"],
  evaluate(context: RuleContext): Finding[] {
    const out: Finding[] = [];
    for (const parity of context.migrations ?? []) {
      const id = parity.migration.id;
      const origin = parity.newOrigin;
      const subject: Subject = { zone: parity.migration.zone };
      if (origin === undefined) {
        out.push(
          finding(
            this,
            "unknown",
            subject,
            `${id}: the new origin (${parity.migration.to.addresses.join(", ")}) is not declared in the code, so its allowlist cannot be checked`,
            {},
            {
              migration: id,
              fix: "Declare the new origin (addOrigin) with its addresses, ports and allowlist.",
            },
          ),
        );
        continue;
      }
      if (origin.allowlist.kind === "none") {
        out.push(
          finding(
            this,
            "pass",
            subject,
            `${origin.name}: declares no firewall; nothing there filters Cloudflare`,
            {},
            { migration: id, predicts: null },
          ),
        );
        continue;
      }
      const problems = (context.drift?.firewall ?? []).filter(
        (d) =>
          d.origin === origin.name &&
          (d.zone === undefined || d.zone === parity.migration.zone) &&
          (d.kind === "missing-cloudflare-ranges" ||
            d.kind === "enforced-missing" ||
            d.kind === "enforced-unknown"),
      );
      // Those are findings of allowlist-missing-ranges and firewall-enforcement (a fail, or an unknown
      // when the export holds rules the checker cannot decide), tied to this migration.
      if (problems.length > 0) continue;
      if (!parity.firewallExported) {
        out.push(
          finding(
            this,
            "unknown",
            subject,
            `${origin.name}: its declared allowlist covers Cloudflare's ranges, but its real firewall was not checked (no --firewall ${origin.name}=FILE)`,
            {},
            { migration: id, predicts: null },
          ),
        );
        continue;
      }
      out.push(
        finding(
          this,
          "pass",
          subject,
          `${origin.name}: its allowlist covers Cloudflare's ranges and its exported ruleset enforces it`,
          {},
          { migration: id, predicts: null },
        ),
      );
    }
    return out;
  },
};
