import { TerraformEvalError } from "./evaluate.js";
import { Unknown } from "./value.js";

/**
 * Terraform's `regex`, `regexall` and `replace` take Go's RE2 syntax
 * (developer.hashicorp.com/terraform/language/functions/regex, checked 2026-11-30). Most of it is
 * JavaScript syntax too; this translates the rest that configurations use — `(?P<name>...)`
 * groups, leading flag groups such as `(?i)`, `\A` and `\z` — and answers an Unknown for RE2
 * syntax JavaScript cannot run (`\Q...\E`, `[[:alpha:]]`, flags in the middle of a pattern), so a
 * pattern is never run with a meaning it does not have. A pattern neither accepts is one
 * Terraform refuses too.
 */
export function goRegExp(pattern: string, flags: string, source: string): RegExp | Unknown {
  let body = pattern;
  let extra = "";
  const leading = /^\(\?([imsU]+)\)/.exec(body);
  if (leading) {
    if (leading[1]!.includes("U"))
      return new Unknown(source, "the RE2 flag U (ungreedy) is not evaluated by cf-preflight");
    extra = leading[1]!;
    body = body.slice(leading[0].length);
  }
  const unsupported = /\\Q|\\E|\[\[:\^?[a-z]+:\]\]|\(\?[imsU-]+[:)]|\\[pP][A-Z{]|\\C/.exec(body);
  if (unsupported)
    return new Unknown(
      source,
      `the RE2 syntax ${JSON.stringify(unsupported[0])} in ${JSON.stringify(pattern)} is not evaluated by cf-preflight`,
    );
  body = body
    .replace(/\(\?P</g, "(?<")
    .replace(/(^|[^\\])\\A/g, "$1(?<![\\s\\S])")
    .replace(/(^|[^\\])\\z/g, "$1(?![\\s\\S])");
  try {
    return new RegExp(body, [...new Set(flags + extra)].join(""));
  } catch (error) {
    throw new TerraformEvalError(
      `invalid regular expression ${JSON.stringify(pattern)}: ${(error as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, "")}`,
    );
  }
}

/** Go's replacement syntax (`$1`, `${1}`, `${name}`) in JavaScript's (`$1`, `$<name>`); `$$` stays a dollar. */
export function goReplacement(replacement: string): string {
  return replacement.replace(/\$(\$|\{(\w+)\}|(\d+)|(\w+))/g, (whole, _all, braced, digits, named) => {
    if (whole === "$$") return "$$";
    const name = braced ?? digits ?? named;
    return /^\d+$/.test(name) ? `$${name}` : `$<${name}>`;
  });
}
