import { InputError } from "../errors.js";
import type { EnforcedFirewall } from "./enforced-firewall.js";
import { type IptablesParseOptions, parseIptablesSave } from "./iptables-save.js";
import { parseNftRuleset } from "./nft-ruleset.js";

/**
 * An origin firewall export of either kind, told apart by its first character: `nft -j list ruleset`
 * is JSON (`{`), `iptables-save` / `ip6tables-save` is text. For the CLI, which takes a file per origin.
 * An empty file is bad input, never a firewall that admits everyone.
 */
export function parseFirewallExport(text: string, options: IptablesParseOptions): EnforcedFirewall {
  const start = text.trimStart();
  if (start === "") {
    throw new InputError(
      options.file,
      undefined,
      "the output of `nft -j list ruleset` or `iptables-save` run on the origin",
      text === "" ? "an empty file" : "only whitespace",
    );
  }
  return start.startsWith("{") ? parseNftRuleset(text, options) : parseIptablesSave(text, options);
}
