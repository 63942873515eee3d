import { isTfObject, type TfValue } from "./terraform/value.js";

/**
 * The strings inside a value marked sensitive (by a plan, a `sensitive = true` variable or
 * `sensitive()`), gathered to be redacted wherever they appear. Only strings of at least 4
 * characters: shorter ones would redact ordinary words of the report.
 */
export function collectSensitiveStrings(value: TfValue | undefined, into: Set<string>): void {
  if (typeof value === "string") {
    if (value.length >= 4) into.add(value);
  } else if (Array.isArray(value)) for (const item of value) collectSensitiveStrings(item, into);
  else if (isTfObject(value)) for (const item of Object.values(value)) collectSensitiveStrings(item, into);
}
