import { join, relative } from "node:path";
import { InputError } from "../errors.js";
import { inputExists, statInput } from "../input/read-text.js";
import type { IpList } from "../model/ip-list.js";
import type { DesiredState, DesiredZone } from "../model/zone.js";
import { convertTerraformJson } from "./convert.js";
import { readJsonFile } from "./json-file.js";
import { Manifest } from "./manifest.js";
import { inputErrorFromZod } from "./zod-issue.js";

export interface ReadDesiredOptions {
  /** Only this stack of a cdktf.out folder. */
  readonly stack?: string;
}

/**
 * Read the desired state from a `cdktf.out` folder (manifest plus each stack's `cdk.tf.json`) or a
 * single hand-written Terraform JSON file. Throws InputError on bad input.
 */
export function readDesired(path: string, options: ReadDesiredOptions = {}): DesiredState {
  const documents = statInput(path, "a cdktf.out folder or a Terraform JSON file").isDirectory()
    ? stackFiles(path, options.stack)
    : [singleFile(path, options.stack)];
  const zones: DesiredZone[] = [];
  const ipLists: IpList[] = [];
  for (const { file, stack } of documents) {
    const converted = convertTerraformJson(readJsonFile(file, "Terraform JSON"), file, stack);
    if (converted.zones.length === 0 && converted.ipLists.length === 0)
      throw new InputError(
        file,
        undefined,
        "at least one cloudflare_dns_record, cloudflare_zone_setting, cloudflare_list or cf_preflight zone",
        "it declares nothing cf-preflight checks",
      );
    zones.push(...converted.zones);
    ipLists.push(...converted.ipLists);
  }
  return { files: documents.map((d) => d.file), zones, ipLists };
}

function singleFile(file: string, stack: string | undefined): { file: string; stack?: string } {
  if (stack !== undefined)
    throw new InputError(
      file,
      undefined,
      "a cdktf.out folder when --stack is given",
      "a single Terraform JSON file has no stacks",
    );
  return { file };
}

function stackFiles(dir: string, only: string | undefined): { file: string; stack: string }[] {
  const manifestFile = join(dir, "manifest.json");
  if (!inputExists(manifestFile, "a readable manifest.json"))
    throw new InputError(
      dir,
      undefined,
      "a cdktf.out folder with manifest.json (run `cdktf synth`)",
      "no manifest.json",
    );
  const parsed = Manifest.safeParse(readJsonFile(manifestFile, "cdktf manifest"));
  if (!parsed.success) throw inputErrorFromZod(parsed.error, manifestFile);
  const names = Object.keys(parsed.data.stacks);
  if (names.length === 0)
    throw new InputError(manifestFile, "stacks", "at least one stack", "the manifest lists none");
  if (only !== undefined && !names.includes(only))
    throw new InputError(
      manifestFile,
      "stacks",
      `a stack named ${only} (stacks: ${names.join(", ")})`,
      "no such stack",
    );
  return names
    .filter((name) => only === undefined || name === only)
    .map((name) => {
      const file = join(dir, parsed.data.stacks[name]!.synthesizedStackPath);
      if (relative(dir, file).startsWith(".."))
        throw new InputError(
          manifestFile,
          `stacks.${name}.synthesizedStackPath`,
          "a path inside the cdktf.out folder",
          file,
        );
      return { file, stack: name };
    });
}
