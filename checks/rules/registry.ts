import { mergeCoverage, mergeDisagreement } from "../merge/merge-rules.js";
import type { Finding } from "../model/finding.js";
import { acknowledgementExpired, acknowledgementInvalid, acknowledgementUnused } from "./acknowledgements.js";
import { afterDeploy } from "./after-deploy.js";
import { apexNsChange } from "./apex-ns-change.js";
import { changeThreshold } from "./change-threshold.js";
import { cnameCoexists } from "./cname-coexists.js";
import {
  allowlistExposed,
  allowlistMissingRanges,
  firewallEnforcement,
  ipListDrift,
  zoneNotActive,
} from "./drift-rules.js";
import { duplicateRecord } from "./duplicate-record.js";
import { edgePortNotProxied } from "./edge-port-not-proxied.js";
import { liveUnverified, probesUnverified, ruleError } from "./engine-rules.js";
import { inputUnresolved } from "./input-unresolved.js";
import {
  migrationFirewall,
  migrationHttpParity,
  migrationLatency,
  migrationPortParity,
} from "./migration-rules.js";
import { mixedProxyStatus } from "./mixed-proxy-status.js";
import { originPortScheme } from "./origin-port-scheme.js";
import {
  originCertificate,
  originDns,
  originExposed,
  originHttp,
  originTcp,
  originTls,
} from "./origin-probe-rules.js";
import { proxiedTargetProhibited } from "./proxied-target-prohibited.js";
import { proxiedTtlNotAuto } from "./proxied-ttl-not-auto.js";
import { proxiedTypeNotProxiable } from "./proxied-type-not-proxiable.js";
import { originNameResolution, tunnelCnameProxied } from "./route-rules.js";
import { finding, type Rule, type RuleContext } from "./rule.js";
import { tunnelRoute } from "./tunnel-route.js";

/** Every rule, in the order findings are reported. */
export const RULES: readonly Rule[] = [
  proxiedTypeNotProxiable,
  proxiedTargetProhibited,
  cnameCoexists,
  duplicateRecord,
  mixedProxyStatus,
  proxiedTtlNotAuto,
  edgePortNotProxied,
  originPortScheme,
  originNameResolution,
  tunnelCnameProxied,
  tunnelRoute,
  originDns,
  originTcp,
  originTls,
  originCertificate,
  originHttp,
  originExposed,
  allowlistMissingRanges,
  allowlistExposed,
  firewallEnforcement,
  ipListDrift,
  zoneNotActive,
  migrationHttpParity,
  migrationLatency,
  migrationPortParity,
  migrationFirewall,
  changeThreshold,
  apexNsChange,
  afterDeploy,
  acknowledgementInvalid,
  acknowledgementExpired,
  acknowledgementUnused,
  inputUnresolved,
];

/** Every rule and check the catalogue lists: the registry plus the engine's own. */
export function catalogue(): readonly Rule[] {
  return [...RULES, ruleError, liveUnverified, probesUnverified, mergeCoverage, mergeDisagreement];
}

/**
 * Run the rules whose needs the context meets. A rule that throws becomes an `unknown` finding
 * (cdk-nag's way), never a crash and never a silent pass.
 */
export function runRules(rules: readonly Rule[], context: RuleContext): Finding[] {
  const out: Finding[] = [];
  for (const rule of rules) {
    if (rule.needs.includes("live") && !context.live) continue;
    if (rule.needs.includes("probes") && !context.probes) continue;
    try {
      // One at a time: a rule may return more findings than a call's arguments can hold.
      for (const f of rule.evaluate(context)) out.push(f);
    } catch (error) {
      out.push(
        finding(ruleError, "unknown", {}, `rule ${rule.id} failed: ${(error as Error).message}`, {
          rule: rule.id,
        }),
      );
    }
  }
  return out;
}

export function ruleById(id: string): Rule | undefined {
  return catalogue().find((r) => r.id === id);
}
