import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { prepareRoot } from "../../checks/desired/sources/evaluate-tree.js";
import { loadTerraformFolder } from "../../checks/desired/sources/terraform-folder.js";
import { type TfValue, Unknown } from "../../checks/desired/terraform/value.js";

/** A throwaway Terraform folder with these files (paths may hold subfolders). */
export function tfFolder(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), "cfpl-tf-"));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, ".."), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

/** Evaluate configuration strings (`"${split(",", "a,b")}"`) in the root module of a folder. */
export async function evaluateIn(dir: string, ...texts: string[]): Promise<TfValue[]> {
  const tree = await loadTerraformFolder(dir);
  await tree.cache.prepare(texts);
  const { root } = prepareRoot(tree);
  return texts.map((text) => root.evaluate(text));
}

/** Evaluate one expression (written without `${}`) in an otherwise empty configuration. */
export async function evaluateExpression(
  expression: string,
  files: Record<string, string> = {},
): Promise<TfValue> {
  const dir = tfFolder({ "main.tf": 'variable "unused" {\n  default = ""\n}\n', ...files });
  const [value] = await evaluateIn(dir, `\${${expression}}`);
  return value!;
}

/** An Unknown's reason, or a marker that the value was known. */
export function whyUnknown(value: TfValue | undefined): string {
  return value instanceof Unknown ? value.why : `(known: ${JSON.stringify(value)})`;
}
