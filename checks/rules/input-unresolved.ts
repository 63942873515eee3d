import type { Finding } from "../model/finding.js";
import { finding, type Rule } from "./rule.js";
import { zoneLabel } from "./subject.js";

/**
 * What the readers could not know or did not understand (a value known only after apply, a
 * `for_each` over an unknown collection, a module they could not read, a resource type that
 * changes the edge but is not modelled), one finding per Terraform address, so that the summary
 * counts it as unknown and never says "0 unknown" when it is not true.
 */
export const inputUnresolved: Rule = {
  id: "input-unresolved",
  predicts: null,
  checks: "Every value, block and module the configuration holds could be read and understood.",
  why: "A value known only after apply (a new resource's id), a for_each over an unknown collection, a module from a registry that was not installed, or a resource type cf-preflight does not model leaves part of the zone unchecked; the rules that need it answer unknown instead of guessing.",
  fix: "Check with a plan (terraform plan -out p && terraform show -json p > plan.json; cf-preflight check --plan plan.json), give the missing variable values in terraform.tfvars, or run terraform init so modules can be followed.",
  needs: [],
  evaluate({ desired }) {
    const byAddress = new Map<string, { attribute: string; why: string }[]>();
    for (const u of desired.inputs?.unresolved ?? []) {
      const list = byAddress.get(u.address) ?? [];
      list.push({ attribute: u.attribute, why: u.why });
      byAddress.set(u.address, list);
    }
    if (byAddress.size === 0) return [];
    // Where a record stands for the address, the finding sits under its zone and hostname.
    const places = new Map<string, { zone: string; hostname: string }>();
    for (const zone of desired.zones)
      for (const record of zone.records) {
        const address = record.source?.address;
        if (address !== undefined && byAddress.has(address))
          places.set(address, { zone: zoneLabel(zone), hostname: record.fqdn });
      }
    const out: Finding[] = [];
    for (const [address, items] of byAddress) {
      const parts = items.map((i) => `${i.attribute}: ${i.why}`);
      const shown = parts.slice(0, 3).join("; ") + (parts.length > 3 ? `; and ${parts.length - 3} more` : "");
      out.push(
        finding(
          this,
          "unknown",
          address.includes("/") ? { file: address } : { ...places.get(address), terraformAddress: address },
          `${address}: ${shown}`,
          { unresolved: items },
        ),
      );
    }
    return out;
  },
};
