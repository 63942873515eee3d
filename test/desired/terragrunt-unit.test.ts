import { describe, expect, it } from "vitest";
import { readDesiredSources } from "../../checks/desired/read.js";
import { InputError } from "../../checks/errors.js";
import { tfFolder } from "./tf-folder.js";

/**
 * A Terragrunt unit is a folder holding terragrunt.hcl and no Terraform files: Terragrunt copies
 * the module its terraform { source } names and passes `inputs` as TF_VAR_ variables
 * (terragrunt.gruntwork.io/docs/reference/config-blocks-and-attributes/, checked 2026-11-30).
 * cf-preflight does not run Terragrunt, so such a folder is refused (exit 2) with what to give
 * instead; the generic "neither a cdktf.out nor Terraform files" told the user nothing they could act on.
 */
const UNIT = `terraform {
  source = "\${get_repo_root()}/modules//cloudflare/dns"
}

inputs = {
  domain_name    = "example.com"
  domain_records = [["A", "www", "203.0.113.10"]]
}
`;

async function refusal(dir: string): Promise<InputError> {
  try {
    await readDesiredSources({ synth: dir });
  } catch (error) {
    if (error instanceof InputError) return error;
    throw error;
  }
  throw new Error("the folder was read");
}

describe("a Terragrunt unit given as the configuration", () => {
  it("is refused naming terragrunt.hcl, the module folder and a plan as what to give", async () => {
    const dir = tfFolder({ "terragrunt.hcl": UNIT });
    const error = await refusal(dir);
    expect(error.message).toContain("terragrunt.hcl");
    expect(error.message).toContain("terraform { source }");
    expect(error.message).toContain("--plan");
    expect(error.message).not.toContain("it has neither");
  });

  it("a folder with neither Terraform files nor terragrunt.hcl keeps the general refusal", async () => {
    const dir = tfFolder({ "README.md": "# nothing here\n" });
    const error = await refusal(dir);
    expect(error.message).toContain("it has neither");
    expect(error.message).not.toContain("terragrunt");
  });
});
