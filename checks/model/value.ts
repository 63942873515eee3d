/**
 * A value the checker cannot know before `terraform apply` (a Terraform reference such as
 * `${data.cloudflare_zone.main.zone_id}` or `${aws_instance.web.public_ip}`). Rules that depend on
 * one answer "unknown", never a guess.
 */
export interface Unresolved {
  readonly unresolved: string;
  /** Resource addresses the expression refers to (`cloudflare_tunnel.edge`), when known. */
  readonly references?: readonly string[];
}

export type Resolvable<T> = T | Unresolved;

export function isUnresolved(value: unknown): value is Unresolved {
  return typeof value === "object" && value !== null && "unresolved" in value;
}

export function unresolved(expression: string, references?: readonly string[]): Unresolved {
  return references && references.length > 0
    ? { unresolved: expression, references }
    : { unresolved: expression };
}

/** The resolved value, or undefined when it is a Terraform reference. */
export function known<T>(value: Resolvable<T> | undefined): T | undefined {
  return value === undefined || isUnresolved(value) ? undefined : value;
}

/** `${...}` anywhere in a string makes it a Terraform expression. */
export function isTerraformExpression(value: string): boolean {
  return value.includes("${");
}

export function describeValue(value: Resolvable<unknown> | undefined): string {
  if (value === undefined) return "(not set)";
  if (isUnresolved(value)) return `unresolved ${value.unresolved}`;
  return String(value);
}
