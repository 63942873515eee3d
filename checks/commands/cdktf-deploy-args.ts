/**
 * The options of `cdktf deploy` that take a value, and those that take every word up to the next
 * option (yargs arrays), from cdktf-cli 0.21 `cdktf deploy --help` (checked 2026-11-30). Every
 * other option is a flag; yargs lets a flag take a following `true` or `false`.
 */
const VALUE_OPTIONS: ReadonlySet<string> = new Set([
  "app",
  "a",
  "output",
  "o",
  "outputs-file",
  "parallelism",
  "terraform-parallelism",
  "log-level",
  "log-file-directory",
  "experimental-provider-schema-cache-path",
]);
const ARRAY_OPTIONS: ReadonlySet<string> = new Set(["var", "var-file"]);
const FLAGS: ReadonlySet<string> = new Set([
  "auto-approve",
  "outputs-file-include-sensitive-outputs",
  "ignore-missing-stack-dependencies",
  "refresh-only",
  "no-color",
  "color",
  "migrate-state",
  "skip-synth",
  "skip-provider-lock",
  "disable-plugin-cache-env",
  "version",
  "help",
  "h",
]);

/** yargs reads `--varFile` as `--var-file`. */
function optionName(arg: string): string {
  return arg
    .replace(/^--?/, "")
    .replace(/=.*$/s, "")
    .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

/**
 * The words of `cdktf deploy` arguments that cdktf takes for stack names (pure). A word after an
 * option this table does not know is counted as a stack: refusing one argument too many is safe,
 * deploying a stack nobody checked is not.
 */
export function cdktfDeployStacks(args: readonly string[]): string[] {
  const stacks: string[] = [];
  let taking: "value" | "array" | "flag" | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === "--") {
      stacks.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith("-") && arg.length > 1) {
      const name = optionName(arg);
      taking = arg.includes("=")
        ? undefined
        : VALUE_OPTIONS.has(name)
          ? "value"
          : ARRAY_OPTIONS.has(name)
            ? "array"
            : FLAGS.has(name)
              ? "flag"
              : undefined;
      continue;
    }
    if (taking === "value" || taking === "array") {
      if (taking === "value") taking = undefined;
      continue;
    }
    if (taking === "flag" && (arg === "true" || arg === "false")) {
      taking = undefined;
      continue;
    }
    taking = undefined;
    stacks.push(arg);
  }
  return stacks;
}
