import type { RecordResponse } from "cloudflare/resources/dns/records";
import { normalizeFqdn } from "../model/record.js";
import { ApiFailure } from "./envelope.js";
import { CF_ERROR } from "./limits.js";
import type { RecordInput } from "./seed.js";

/**
 * A record as the API returns it. `meta.read_only` is an emulator extension for Cloudflare-managed
 * records (the SDK's type does not declare it), so the reader's handling of them can be tested.
 */
export type EmulatedRecord = RecordResponse & { meta: { read_only?: boolean } };

/** Types the API can proxy (checked 2026-11-21: the API answers 9004 otherwise). */
const PROXIABLE = new Set(["A", "AAAA", "CNAME"]);
/** The API's `ttl: 1` ("automatic"). */
const TTL_AUTO = 1;

/** A name given relative to the zone ("www", "@") or as an FQDN, as the API stores it. */
export function qualifyName(name: string, zoneName: string): string {
  // Stored in Punycode, as the API stores every name (`normalizeFqdn`).
  const lower = normalizeFqdn(name);
  if (lower === "@" || lower === zoneName) return zoneName;
  return lower.endsWith(`.${zoneName}`) ? lower : `${lower}.${zoneName}`;
}

function validation(message: string): ApiFailure {
  return new ApiFailure(400, [{ code: CF_ERROR.validation, message }]);
}

/** Build the API's representation of a record; throws `ApiFailure` (400) on input the API refuses. */
export function buildRecord(
  input: RecordInput,
  zoneName: string,
  id: string,
  createdOn: string,
  modifiedOn: string = createdOn,
): EmulatedRecord {
  const record = buildApiRecord(input, zoneName, id, createdOn, modifiedOn);
  if (input.readOnly) record.meta.read_only = true;
  return record;
}

function buildApiRecord(
  input: RecordInput,
  zoneName: string,
  id: string,
  createdOn: string,
  modifiedOn: string = createdOn,
): EmulatedRecord {
  const proxied = input.proxied ?? false;
  if (proxied && !PROXIABLE.has(input.type)) {
    throw new ApiFailure(400, [{ code: 9004, message: "This record type cannot be proxied." }]);
  }
  const common = {
    id,
    name: qualifyName(input.name, zoneName),
    ttl: proxied ? TTL_AUTO : (input.ttl ?? TTL_AUTO),
    proxied,
    proxiable: PROXIABLE.has(input.type),
    created_on: createdOn,
    modified_on: modifiedOn,
    settings: {},
    meta: {},
    tags: input.tags ?? [],
    ...(input.comment === undefined ? {} : { comment: input.comment }),
  };
  switch (input.type) {
    case "A":
    case "AAAA":
    case "CNAME":
    case "TXT":
    case "NS":
    case "PTR": {
      const record: RecordResponse = { ...common, type: input.type, content: input.content };
      return record as EmulatedRecord;
    }
    case "MX": {
      if (input.priority === undefined) throw validation("MX records require a priority");
      const record: RecordResponse.MXRecord = {
        ...common,
        type: "MX",
        content: input.content,
        priority: input.priority,
      };
      return record as EmulatedRecord;
    }
    case "SRV": {
      const [weight, port, target, ...rest] = input.content.trim().split(/\s+/);
      if (input.priority === undefined || rest.length > 0 || target === undefined) {
        throw validation('SRV records need a priority and content "weight port target"');
      }
      const record: RecordResponse.SRVRecord = {
        ...common,
        type: "SRV",
        content: `${weight} ${port} ${target}`,
        data: { priority: input.priority, weight: Number(weight), port: Number(port), target },
      };
      return record as EmulatedRecord;
    }
    case "CAA": {
      const match = /^(\d+)\s+(\S+)\s+"(.*)"$/.exec(input.content.trim());
      if (!match) throw validation('CAA content must be: flags tag "value"');
      const record: RecordResponse.CAARecord = {
        ...common,
        type: "CAA",
        content: input.content.trim(),
        data: { flags: Number(match[1]), tag: match[2], value: match[3] },
      };
      return record as EmulatedRecord;
    }
  }
}

/** The fields a write request can carry, back as a `RecordInput` (for PATCH merges). */
export function recordToInput(record: EmulatedRecord): RecordInput {
  const priority =
    record.type === "MX" ? record.priority : record.type === "SRV" ? record.data?.priority : undefined;
  return {
    id: record.id,
    name: record.name,
    type: record.type as RecordInput["type"],
    content: record.content ?? "",
    proxied: record.proxied,
    ttl: record.ttl,
    ...(priority === undefined ? {} : { priority }),
    ...(record.comment === undefined ? {} : { comment: record.comment }),
    tags: record.tags ?? [],
    readOnly: record.meta.read_only === true,
  };
}
