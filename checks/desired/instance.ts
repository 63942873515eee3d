import type { SourceRef } from "../model/source.js";
import type { TfObject, TfValue, Unknown } from "./terraform/value.js";

/**
 * One Terraform resource or data-source instance, as every desired-state source yields it (a plan,
 * an evaluated HCL folder, Terraform JSON, a cdktf/cdktn synth), before a provider adapter turns it
 * into the model. Values Terraform knows only after apply are `Unknown` leaves.
 */
export interface ResourceInstance {
  /** The full address: `module.dns.cloudflare_record.mx["a"]`, `data.cloudflare_zone.main`. */
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  /** `for_each` key or `count` index, when the resource has one. */
  readonly key?: string | number;
  readonly values: TfObject;
  readonly source: SourceRef;
  /** From a plan: what the apply would do to it. */
  readonly action?: PlanAction;
  /** The provider's major version when the source says (plan, `required_providers`). */
  readonly providerMajor?: number;
  /** Configuration sources: the block as written, to tell a literal from an evaluated expression. */
  readonly config?: Readonly<Record<string, unknown>>;
  /**
   * Set when this instance stands for every instance of a `for_each` over this collection, which is
   * not known before apply (only for the types `EvaluationContext.templates` names).
   */
  readonly expansion?: Unknown;
}

export type PlanAction = "create" | "update" | "delete" | "replace" | "no-op" | "read";

/** A value, block or module the reader could not know or did not understand: never dropped silently. */
export interface UnresolvedInput {
  /** A Terraform address (`module.dns.cloudflare_record.www`) or a file for file-level problems. */
  readonly address: string;
  readonly attribute: string;
  readonly why: string;
}

/** cf-preflight declarations found in a source, before validation (`//` key, `cf_preflight` output, --config). */
export interface RawDeclarations {
  readonly value: TfValue | unknown;
  readonly file: string;
  /** Where inside the file, for errors (e.g. `output.cf_preflight`). */
  readonly path: readonly PropertyKey[];
  readonly stack?: string;
}

export type InputKind = "plan" | "hcl" | "terraform-json" | "cdktf" | "cdktn" | "config" | "terragrunt";

export interface InstanceSet {
  readonly sources: { readonly path: string; readonly kind: InputKind }[];
  readonly instances: ResourceInstance[];
  readonly unresolved: UnresolvedInput[];
  readonly declarations: RawDeclarations[];
  /** Strings a plan marked sensitive: never echoed in any output. */
  readonly sensitive: string[];
  /** True when the source knows exactly which managed records the apply deletes (a plan). */
  readonly deletesKnown: boolean;
  /**
   * True when the configuration declares Cloudflare resources or data sources, even if none has an
   * instance (a `for_each` over a variable whose default is empty): a configuration Terraform plans.
   */
  readonly declaresCloudflare?: boolean;
}

export function instanceAddress(
  modulePath: string,
  mode: "managed" | "data",
  type: string,
  name: string,
  key?: string | number,
): string {
  const base = `${modulePath ? `${modulePath}.` : ""}${mode === "data" ? "data." : ""}${type}.${name}`;
  return key === undefined ? base : `${base}[${typeof key === "number" ? key : JSON.stringify(key)}]`;
}
