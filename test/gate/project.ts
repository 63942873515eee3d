import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PROJECT_ROOT } from "../helpers/synth.js";

/**
 * A throwaway cdktf project whose app is the gate fixture, with a Terraform CLI configuration that
 * installs providers only from an empty local mirror: `terraform init` fails there without ever
 * reaching for the network.
 */
export function gateProject(): { dir: string; env: NodeJS.ProcessEnv } {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-gate-"));
  symlinkSync(join(PROJECT_ROOT, "node_modules"), join(dir, "node_modules"));
  writeFileSync(join(dir, "package.json"), JSON.stringify({ type: "module", private: true }));
  writeFileSync(
    join(dir, "cdktf.json"),
    JSON.stringify({
      language: "typescript",
      app: `node --import tsx ${join(PROJECT_ROOT, "test", "gate", "fixture-app.ts")}`,
      terraformProviders: [],
      sendCrashReports: "false",
    }),
  );
  const mirror = join(dir, "empty-provider-mirror");
  mkdirSync(mirror);
  const tfrc = join(dir, "offline.tfrc");
  writeFileSync(
    tfrc,
    `provider_installation {\n  filesystem_mirror {\n    path    = "${mirror}"\n    include = ["*/*/*"]\n  }\n}\n`,
  );
  return {
    dir,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      CI: "1",
      TF_CLI_CONFIG_FILE: tfrc,
      TF_IN_AUTOMATION: "1",
      CF_PREFLIGHT_ARGS: "--no-live --no-probes",
      FORCE_COLOR: "0",
      NO_COLOR: "1",
    },
  };
}
