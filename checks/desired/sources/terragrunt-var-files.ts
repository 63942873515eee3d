import { existsSync, statSync } from "node:fs";
import { relative, resolve } from "node:path";
import { InputError } from "../../errors.js";
import { readTextFile } from "../../input/read-text.js";
import type { UnresolvedInput } from "../instance.js";
import type { TfValue } from "../terraform/value.js";
import { Unknown } from "../terraform/value.js";
import type { ExtraArguments } from "../terragrunt/evaluate-unit.js";
import { type HclParse, hclError } from "./terraform-folder.js";

/**
 * Variable files Terragrunt passes to `terraform plan`/`apply` through `extra_arguments`
 * (`required_var_files`, `optional_var_files`, `-var-file` arguments), read in the order Terraform
 * receives them: each block's arguments, then its required files, then its optional ones. They rank
 * above terraform.tfvars and *.auto.tfvars (a -var-file option is read after them). A relative path
 * is relative to the working directory, the module folder. `-var NAME=VALUE` arguments, and blocks
 * whose commands or files cannot be evaluated, are listed instead
 * (terragrunt.gruntwork.io/docs/reference/hcl/blocks/#terraform, checked 2026-11-30).
 */
export async function extraVarFiles(
  blocks: readonly ExtraArguments[],
  moduleDir: string,
  parse: HclParse,
  unresolved: UnresolvedInput[],
  at: (file: string) => string,
): Promise<Map<string, TfValue>> {
  const values = new Map<string, TfValue>();
  for (const block of blocks) {
    const where = `terraform.extra_arguments.${block.label}`;
    const list = (why: string, attribute = where) =>
      unresolved.push({ address: at(block.file), attribute, why });
    const commands = strings(block.commands);
    if (commands === undefined) {
      list(
        "its commands are not known, so whether it applies to plan and apply is not: variables it passes are not read",
        `${where}.commands`,
      );
      continue;
    }
    if (!commands.includes("apply") && !commands.includes("plan")) continue;
    const files: { path: string; required: boolean }[] = [];
    const args = block.arguments === null ? [] : strings(block.arguments);
    if (args === undefined)
      list("its arguments are not known: variables they may pass are not read", `${where}.arguments`);
    for (let i = 0; i < (args ?? []).length; i++) {
      const arg = args![i]!;
      const file =
        /^--?var-file=(.*)$/.exec(arg)?.[1] ?? (/^--?var-file$/.test(arg) ? args![++i] : undefined);
      if (file !== undefined) files.push({ path: file, required: true });
      else if (/^--?var(=|$)/.test(arg)) {
        list(
          `it passes ${arg.includes("=") ? arg.split("=")[0] : `${arg} ${args![i + 1] ?? ""}`.trim()} to Terraform, which cf-preflight does not apply`,
          `${where}.arguments`,
        );
        if (!arg.includes("=")) i++;
      }
    }
    for (const [attribute, required] of [
      ["required_var_files", true],
      ["optional_var_files", false],
    ] as const) {
      const raw = required ? block.requiredVarFiles : block.optionalVarFiles;
      if (raw === null) continue;
      const paths = strings(raw);
      if (paths === undefined) {
        list(
          `the variable files it names are not known: ${raw instanceof Unknown ? raw.why : "not a list of paths"}`,
          `${where}.${attribute}`,
        );
        continue;
      }
      for (const path of paths) files.push({ path, required });
    }
    for (const { path, required } of files) {
      const file = resolve(moduleDir, path);
      if (!existsSync(file) || !statSync(file).isFile()) {
        if (!required) continue;
        throw new InputError(
          block.file,
          where,
          "variable files that exist (Terraform stops on a missing -var-file)",
          `${relative(process.cwd(), file) || file} does not exist`,
        );
      }
      for (const [name, value] of Object.entries(await readVariables(file, parse)))
        values.set(name, value as TfValue);
    }
  }
  return values;
}

/** A list of known strings, or undefined. */
function strings(value: TfValue): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.every((v) => typeof v === "string") ? (value as string[]) : undefined;
}

async function readVariables(file: string, parse: HclParse): Promise<Record<string, unknown>> {
  const text = readTextFile(file, "a readable Terraform variables file");
  let document: unknown;
  if (file.endsWith(".json")) {
    try {
      document = JSON.parse(text);
    } catch (error) {
      throw new InputError(file, undefined, "valid JSON (Terraform variables)", (error as Error).message);
    }
  } else {
    try {
      document = await parse("extra.tfvars", text);
    } catch (error) {
      throw hclError(file, error, "valid HCL (Terraform variables)");
    }
  }
  if (typeof document !== "object" || document === null || Array.isArray(document))
    throw new InputError(file, undefined, "variable assignments");
  return document as Record<string, unknown>;
}
