import { afterAll, beforeAll } from "vitest";
import { type Emulator, startEmulator } from "../../checks/emulator/index.js";
import type { RecordInput } from "../../checks/emulator/seed.js";
import { tfFolder } from "../desired/tf-folder.js";

const ZONE_ID = "3d4e5f6a7b8c9d0e1f2a3b4c5d6e7f80";

/**
 * For the report tests that quote live data: code declaring www.example.com, and the emulator
 * serving example.com with that record and `extra` records a third party may have written (so
 * `drift` reports each of them). Registers the emulator's start and stop in the calling `describe`.
 */
export function codeAndLiveZone(
  token: string,
  extra: readonly RecordInput[],
): { readonly dir: string; env(): NodeJS.ProcessEnv } {
  let emulator: Emulator | undefined;
  const dir = tfFolder({
    "main.tf": `resource "cloudflare_dns_record" "www" {
  zone_id = "${ZONE_ID}"
  name    = "www.example.com"
  type    = "A"
  content = "203.0.113.10"
  proxied = false
  ttl     = 300
}
`,
  });
  beforeAll(async () => {
    emulator = await startEmulator({
      token,
      seed: {
        zones: [
          {
            id: ZONE_ID,
            name: "example.com",
            ssl: "full",
            records: [
              { name: "www.example.com", type: "A", content: "203.0.113.10", proxied: false, ttl: 300 },
              ...extra,
            ],
          },
        ],
      },
    });
  });
  afterAll(async () => {
    await emulator?.close();
  });
  return {
    dir,
    env: () => ({ CLOUDFLARE_API_TOKEN: token, CLOUDFLARE_API_BASE_URL: emulator!.url }),
  };
}
