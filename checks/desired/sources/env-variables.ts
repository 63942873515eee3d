import type { VariableBlock } from "../terraform/config.js";
import type { TfValue } from "../terraform/value.js";

/** Parses `name = <expression>` as a variables file (the HCL parser the folder reader uses). */
export type ParseAssignment = (name: string, text: string) => Promise<unknown>;

/** The environment variable Terraform reads a root variable from (`TF_VAR_zone_id`). */
export const TF_VAR_PREFIX = "TF_VAR_";

/** Types whose value Terraform takes from an environment variable as a literal string. */
const PRIMITIVE = /^(string|number|bool)$/;

/**
 * Root variables set in the environment as Terraform reads them
 * (developer.hashicorp.com/terraform/language/values/variables#environment-variables, checked
 * 2026-11-30): `TF_VAR_name` for a variable the root module declares, below every variables file;
 * a string, number or bool (or untyped) variable takes the text as it is, a collection or object
 * type parses it as an HCL expression. Literal text stays literal: `${` in it is not a template.
 * Only declared variables are read, so no other environment value can reach a report.
 */
export async function environmentVariables(
  env: Readonly<Record<string, string | undefined>>,
  declared: ReadonlyMap<string, VariableBlock>,
  parse: ParseAssignment,
): Promise<Map<string, TfValue>> {
  const out = new Map<string, TfValue>();
  for (const [name, variable] of declared) {
    const text = env[`${TF_VAR_PREFIX}${name}`];
    if (text === undefined) continue;
    const type = variable.typeExpression?.trim();
    if (type === undefined || PRIMITIVE.test(type)) {
      out.set(name, text.replaceAll("${", "$${").replaceAll("%{", "%%{"));
      continue;
    }
    const document = (await parse(`${TF_VAR_PREFIX}${name}`, `${name} = ${text}\n`)) as Record<
      string,
      unknown
    >;
    out.set(name, document[name] as TfValue);
  }
  return out;
}
