import { ACK_REASON_MIN_LENGTH, type Acknowledgement } from "../model/acknowledgement.js";
import type { Finding } from "../model/finding.js";
import { normalizeFqdn } from "../model/record.js";
import type { DesiredState } from "../model/zone.js";
import { finding, type Rule } from "./rule.js";
import { codeLocation, zoneLabel } from "./subject.js";

/** The acknowledgement checks: catalogued like rules, evaluated by `applyAcknowledgements`. */
export const acknowledgementInvalid: Rule = {
  id: "acknowledgement-invalid",
  predicts: null,
  checks: `An acknowledgement gives a reason of at least ${ACK_REASON_MIN_LENGTH} characters.`,
  why: "An accepted risk without a reason cannot be reviewed; it is not applied.",
  fix: "Say why the finding is acceptable, and until when (expires).",
  needs: [],
  evaluate: () => [],
};

export const acknowledgementExpired: Rule = {
  id: "acknowledgement-expired",
  predicts: null,
  checks: "An acknowledgement has not passed its expiry date.",
  why: "An expired acknowledgement no longer applies: the finding it covered counts again.",
  fix: "Fix the finding, or renew the acknowledgement with a new date and reason.",
  needs: [],
  evaluate: () => [],
};

export const acknowledgementUnused: Rule = {
  id: "acknowledgement-unused",
  predicts: null,
  checks: "Every acknowledgement matches a finding.",
  why: "An acknowledgement that matches nothing is stale, or has a typo and hides nothing it meant to.",
  fix: "Remove it, or correct its rule id and subject.",
  needs: [],
  evaluate: () => [],
};

/**
 * An acknowledgement is declared in a zone and accepts that zone's findings only: `{ rule }` without
 * a hostname means "every such finding of my zone", never another zone's. A finding of no zone (the
 * account's IP lists, a read that failed) has only the account to belong to, so any zone's matches.
 */
function matches(ack: Acknowledgement, zone: string, f: Finding): boolean {
  return (
    ack.rule === f.rule &&
    (f.subject.zone === undefined || normalizeFqdn(f.subject.zone) === zone) &&
    (ack.hostname === undefined || ack.hostname === f.subject.hostname) &&
    (ack.address === undefined || ack.address === f.subject.address) &&
    (ack.port === undefined || ack.port === f.subject.port)
  );
}

/**
 * Mark findings that a valid acknowledgement accepts, and add findings for acknowledgements that
 * are invalid, expired or match nothing (pure). `pass` findings are never acknowledged.
 */
export function applyAcknowledgements(
  findings: readonly Finding[],
  desired: DesiredState,
  now: Date,
): Finding[] {
  const today = now.toISOString().slice(0, 10);
  const out = [...findings];
  const extra: Finding[] = [];
  for (const zone of desired.zones) {
    for (const ack of zone.acknowledgements) {
      const subject = {
        zone: zoneLabel(zone),
        ...(ack.hostname ? { hostname: ack.hostname } : {}),
        ...codeLocation(ack.source),
      };
      const evidence = { rule: ack.rule, reason: ack.reason, expires: ack.expires };
      if (ack.reason.trim().length < ACK_REASON_MIN_LENGTH) {
        extra.push(
          finding(
            acknowledgementInvalid,
            "fail",
            subject,
            `acknowledgement of ${ack.rule} has no real reason ("${ack.reason}")`,
            evidence,
          ),
        );
        continue;
      }
      if (ack.expires !== undefined && ack.expires < today) {
        extra.push(
          finding(
            acknowledgementExpired,
            "warn",
            subject,
            `acknowledgement of ${ack.rule} expired on ${ack.expires}`,
            evidence,
          ),
        );
        continue;
      }
      let used = false;
      for (let i = 0; i < out.length; i++) {
        const f = out[i]!;
        if (f.status === "pass" || f.acknowledged || !matches(ack, normalizeFqdn(subject.zone), f)) continue;
        out[i] = {
          ...f,
          blocking: false,
          acknowledged: { reason: ack.reason, ...(ack.expires ? { expires: ack.expires } : {}) },
        };
        used = true;
      }
      if (!used)
        extra.push(
          finding(
            acknowledgementUnused,
            "warn",
            subject,
            `acknowledgement of ${ack.rule} matches no finding`,
            evidence,
          ),
        );
    }
  }
  return [...out, ...extra];
}
