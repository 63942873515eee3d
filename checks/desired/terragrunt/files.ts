import { readTextFile } from "../../input/read-text.js";
import { type HclParse, hclError, templatesIn } from "../sources/terraform-folder.js";
import type { ExpressionCache } from "../terraform/ast.js";
import { type TerragruntFile, terragruntFile } from "./unit-file.js";

/**
 * Thrown while evaluating when a Terragrunt file the evaluation needs (an include, a
 * `read_terragrunt_config` target) is not parsed yet. Parsing is asynchronous and evaluation is
 * not, so the reader parses what was asked for and evaluates again (`TerragruntFiles.loadPending`).
 * It is not a TerraformEvalError: `try()` and `can()` must not swallow it.
 */
export class FileNotLoaded extends Error {
  override readonly name = "FileNotLoaded";
  constructor(readonly file: string) {
    super(`cf-preflight: ${file} is read on the next pass`);
  }
}

/** Terragrunt files parsed so far, by absolute path, with their expressions prepared in `cache`. */
export class TerragruntFiles {
  private readonly parsed = new Map<string, TerragruntFile>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly parse: HclParse,
    readonly cache: ExpressionCache,
  ) {}

  /** The parsed file, or FileNotLoaded thrown (it will be parsed by the next `loadPending`). */
  get(file: string): TerragruntFile {
    const found = this.parsed.get(file);
    if (found) return found;
    this.pending.add(file);
    throw new FileNotLoaded(file);
  }

  /** Parse every file asked for since the last call; false when nothing was pending. */
  async loadPending(): Promise<boolean> {
    if (this.pending.size === 0) return false;
    const files = [...this.pending];
    this.pending.clear();
    for (const file of files) await this.load(file);
    return true;
  }

  async load(file: string): Promise<TerragruntFile> {
    const found = this.parsed.get(file);
    if (found) return found;
    const text = readTextFile(file, "a readable Terragrunt configuration file");
    let document: unknown;
    try {
      document = await this.parse("terragrunt.hcl", text);
    } catch (error) {
      throw hclError(file, error, "valid HCL (Terragrunt configuration)");
    }
    const strings = new Set<string>();
    templatesIn(document, strings);
    await this.cache.prepare(strings);
    const config = terragruntFile(document, file);
    this.parsed.set(file, config);
    return config;
  }
}
