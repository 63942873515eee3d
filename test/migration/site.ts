import { CloudflareProvider } from "@cdktf/provider-cloudflare/lib/provider/index.js";
import { type App, TerraformStack } from "cdktf";
import type { Seed } from "../../checks/emulator/seed.js";
import { CloudflareSite } from "../../stacks/site.js";

/**
 * The migration scenario of issue 6: zone example.com under Full (strict), www and app proxied
 * (A + AAAA). Live, they point at the old origin; the code moves both to the new one, whose
 * firewall admits Cloudflare's ranges, and asks migration parity to compare `/health` besides `/`.
 */
export const ZONE = "example.com";
export const HOSTNAMES = ["app.example.com", "www.example.com"] as const;
export const STACK = "migration";
/** The paths parity compares besides `/`. */
export const PARITY_PATHS = ["/health"] as const;

export interface OriginAddresses {
  readonly v4: string;
  readonly v6: string;
}

export interface SiteAddresses {
  readonly old: OriginAddresses;
  readonly new: OriginAddresses;
}

/** The desired state: a CloudflareSite stack routing www and app to the new origin. */
export function defineMigrationSite(app: App, addresses: SiteAddresses): void {
  const stack = new TerraformStack(app, STACK);
  new CloudflareProvider(stack, "cloudflare", {});
  new CloudflareSite(stack, "site", {
    zone: ZONE,
    sslMode: "strict",
    origins: {
      old: { ipv4: [addresses.old.v4], ipv6: [addresses.old.v6] },
      new: { ipv4: [addresses.new.v4], ipv6: [addresses.new.v6], allowlist: "cloudflare" },
    },
    routes: {
      www: { origin: "new" },
      app: { origin: "new" },
    },
    migration: { paths: [...PARITY_PATHS] },
  });
}

/** The live state for the emulator: the same hostnames, still on the old origin; default /ips. */
export function liveSeed(addresses: SiteAddresses): Seed {
  return {
    zones: [
      {
        name: ZONE,
        ssl: "strict",
        status: "active",
        originRules: [],
        records: HOSTNAMES.flatMap((name) => [
          { name, type: "A" as const, content: addresses.old.v4, proxied: true, ttl: 1 },
          { name, type: "AAAA" as const, content: addresses.old.v6, proxied: true, ttl: 1 },
        ]),
      },
    ],
  };
}

const ENV_NAMES = {
  old: { v4: "MIG_OLD_V4", v6: "MIG_OLD_V6" },
  new: { v4: "MIG_NEW_V4", v6: "MIG_NEW_V6" },
} as const;

/** The addresses as environment variables, for the fixture app run by the cdktf CLI. */
export function addressesToEnv(addresses: SiteAddresses): Record<string, string> {
  return {
    [ENV_NAMES.old.v4]: addresses.old.v4,
    [ENV_NAMES.old.v6]: addresses.old.v6,
    [ENV_NAMES.new.v4]: addresses.new.v4,
    [ENV_NAMES.new.v6]: addresses.new.v6,
  };
}

export function addressesFromEnv(env: NodeJS.ProcessEnv): SiteAddresses {
  const get = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set (the migration fixture app needs the lab addresses)`);
    return value;
  };
  return {
    old: { v4: get(ENV_NAMES.old.v4), v6: get(ENV_NAMES.old.v6) },
    new: { v4: get(ENV_NAMES.new.v4), v6: get(ENV_NAMES.new.v6) },
  };
}
