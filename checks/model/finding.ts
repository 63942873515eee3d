/** The statuses a finding can have (see DESIGN.md, "Finding"). */
export type FindingStatus = "fail" | "warn" | "unknown" | "pass";

/** What a finding is about. Every field is optional: a finding names what it knows. */
export interface Subject {
  readonly zone?: string;
  readonly hostname?: string;
  readonly type?: string;
  readonly address?: string;
  readonly port?: number;
  /** Where in code: the Terraform address and construct path. */
  readonly terraformAddress?: string;
  readonly constructPath?: string;
  readonly file?: string;
}

export interface Finding {
  readonly rule: string;
  readonly status: FindingStatus;
  readonly blocking: boolean;
  /** The Cloudflare error it predicts as a string ("521", "1016"), or null. */
  readonly predicts: string | null;
  readonly subject: Subject;
  readonly message: string;
  readonly evidence: Readonly<Record<string, unknown>>;
  readonly fix: string;
  /** The id of the host migration this finding is about (see `Report.migrations`), if any. */
  readonly migration?: string;
  /** Set when an acknowledgement in code accepted this finding. */
  readonly acknowledged?: { readonly reason: string; readonly expires?: string };
}
