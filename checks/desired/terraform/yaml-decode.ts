import { createRequire } from "node:module";
import { TerraformEvalError } from "./evaluate.js";
import type { TfValue } from "./value.js";

/**
 * Terraform's `yamldecode()` (developer.hashicorp.com/terraform/language/functions/yamldecode,
 * checked 2026-11-30): YAML 1.2 with the core schema (`yes` stays a string), one document (an empty
 * text is null; a stream of several is refused), anchors, aliases and merge keys followed, mapping
 * keys as strings. Teams keep DNS records in YAML files and `for_each` over
 * `yamldecode(file(...))`; reading them is what lets those records be checked at all.
 */

/** Aliases one document may expand: enough for real files, not for an alias bomb. */
const MAX_ALIAS_EXPANSIONS = 1_000;

/** The YAML parser, loaded on the first call: most runs decode no YAML and should not pay for it. */
let yaml: typeof import("yaml") | undefined;

export function yamlDecode(text: string): TfValue {
  yaml ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  const documents = yaml.parseAllDocuments(text, {
    version: "1.2",
    schema: "core",
    merge: true,
    uniqueKeys: true,
  });
  if (!Array.isArray(documents)) return null; // an empty stream
  if (documents.length === 0) return null;
  if (documents.length > 1)
    throw new TerraformEvalError(
      `yamldecode(): the text holds ${documents.length} YAML documents; Terraform decodes only one`,
    );
  const [document] = documents;
  const [error] = document!.errors;
  if (error) {
    // The parser's message quotes the text; say where instead.
    const at = error.linePos?.[0];
    throw new TerraformEvalError(
      `yamldecode(): not valid YAML (${error.code}${at ? ` at line ${at.line}, column ${at.col}` : ""})`,
    );
  }
  let value: unknown;
  try {
    value = document!.toJS({ maxAliasCount: MAX_ALIAS_EXPANSIONS });
  } catch (cause) {
    throw new TerraformEvalError(`yamldecode(): ${(cause as Error).message.split("\n")[0]}`);
  }
  return toTerraform(value);
}

function toTerraform(value: unknown): TfValue {
  if (value === null || value === undefined) return null;
  if (typeof value === "string" || typeof value === "boolean") return value;
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new TerraformEvalError("yamldecode(): Terraform numbers cannot be infinite or NaN");
    return value;
  }
  if (typeof value === "bigint") return Number(value);
  if (Array.isArray(value)) return value.map(toTerraform);
  if (value instanceof Map) {
    const out: Record<string, TfValue> = {};
    for (const [k, v] of value) out[String(k)] = toTerraform(v);
    return out;
  }
  if (typeof value === "object") {
    const out: Record<string, TfValue> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) out[k] = toTerraform(v);
    return out;
  }
  throw new TerraformEvalError(`yamldecode(): a value of a kind Terraform has no type for (${typeof value})`);
}
