import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Documentation addresses the records point at; `--connect-to` sends each to a real origin. */
export const ORIGIN_ADDRESSES = ["203.0.113.1", "203.0.113.2", "203.0.113.3", "203.0.113.4"] as const;

/**
 * A scratch folder with a hand-written Terraform JSON stack: zone example.com in Flexible (HTTP on
 * port 80), `count` proxied A records h<i>.example.com spread over the four origin addresses, and
 * a `--config` declarations file acknowledging one hostname's finding (so acknowledgement use
 * across shards is exercised).
 */
export function writeStack(
  count: number,
  acknowledged = "h1.example.com",
): { dir: string; stack: string; config: string } {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-shard-"));
  const records = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [
      `h${i}`,
      {
        zone_id: "${data.cloudflare_zone.main.zone_id}",
        name: `h${i}.example.com`,
        type: "A",
        content: ORIGIN_ADDRESSES[i % ORIGIN_ADDRESSES.length],
        proxied: true,
        ttl: 1,
      },
    ]),
  );
  const stack = join(dir, "main.tf.json");
  writeFileSync(
    stack,
    JSON.stringify({
      data: { cloudflare_zone: { main: { filter: { name: "example.com" } } } },
      resource: {
        cloudflare_dns_record: records,
        cloudflare_zone_setting: {
          ssl: { zone_id: "${data.cloudflare_zone.main.zone_id}", setting_id: "ssl", value: "flexible" },
        },
      },
    }),
  );
  const config = join(dir, "preflight.json");
  writeFileSync(
    config,
    JSON.stringify({
      schemaVersion: 2,
      zones: [
        {
          zone: "example.com",
          acknowledgements: [
            { rule: "origin-tcp", hostname: acknowledged, reason: "retiring this host next week, OPS-7" },
          ],
        },
      ],
    }),
  );
  return { dir, stack, config };
}
