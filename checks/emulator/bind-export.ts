import type { EmulatedRecord } from "./record-response.js";

function absolute(name: string): string {
  return name.endsWith(".") ? name : `${name}.`;
}

function quoteTxt(content: string): string {
  return content.startsWith('"') ? content : `"${content.replaceAll('"', '\\"')}"`;
}

function rdata(record: EmulatedRecord): string {
  const content = record.content ?? "";
  switch (record.type) {
    case "CNAME":
    case "NS":
    case "PTR":
      return absolute(content);
    case "MX":
      return `${record.priority ?? 0} ${absolute(content)}`;
    case "SRV": {
      const data = record.data ?? {};
      return `${data.priority ?? 0} ${data.weight ?? 0} ${data.port ?? 0} ${absolute(data.target ?? "")}`;
    }
    case "TXT":
      return quoteTxt(content);
    default:
      return content;
  }
}

/**
 * The zone as `GET /zones/{id}/dns_records/export` returns it: a BIND file in which proxiable
 * records carry `cf_tags=cf-proxied:true|false` in a trailing comment (checked 2026-11-21).
 */
export function renderBindExport(
  zoneName: string,
  records: readonly EmulatedRecord[],
  exportedAt: Date,
): string {
  const lines = [
    `;;`,
    `;; Domain:     ${absolute(zoneName)}`,
    `;; Exported:   ${exportedAt.toISOString().replace("T", " ").slice(0, 19)}`,
    `;;`,
    `$ORIGIN ${absolute(zoneName)}`,
    `@\t3600\tIN\tSOA\tns1.emulator.invalid. dns.emulator.invalid. 1 10000 2400 604800 3600`,
    "",
  ];
  for (const record of records) {
    const tag = record.proxiable ? ` ; cf_tags=cf-proxied:${record.proxied ? "true" : "false"}` : "";
    lines.push(`${absolute(record.name)}\t${record.ttl}\tIN\t${record.type}\t${rdata(record)}${tag}`);
  }
  return `${lines.join("\n")}\n`;
}
