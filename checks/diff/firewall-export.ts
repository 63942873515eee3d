import type { EnforcedFirewall } from "./enforced-firewall.js";
import { type IptablesParseOptions, parseIptablesSave } from "./iptables-save.js";
import { parseNftRuleset } from "./nft-ruleset.js";

/**
 * An origin firewall export of either kind, told apart by its first character: `nft -j list ruleset`
 * is JSON (`{`), `iptables-save` / `ip6tables-save` is text. For the CLI, which takes a file per origin.
 */
export function parseFirewallExport(text: string, options: IptablesParseOptions): EnforcedFirewall {
  return text.trimStart().startsWith("{") ? parseNftRuleset(text, options) : parseIptablesSave(text, options);
}
