import type { SourceRef } from "./source.js";

/** A finding accepted in code. It matches findings by rule id and, when given, subject fields. */
export interface Acknowledgement {
  readonly rule: string;
  readonly hostname?: string;
  readonly address?: string;
  readonly port?: number;
  readonly reason: string;
  /** ISO date (YYYY-MM-DD) after which the acknowledgement no longer applies. */
  readonly expires?: string;
  readonly source?: SourceRef;
}

/** The shortest reason an acknowledgement may carry. */
export const ACK_REASON_MIN_LENGTH = 10;
