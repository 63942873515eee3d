import { createRequire } from "node:module";
import type { Document, Node as YamlNode } from "yaml";
import { TerraformEvalError } from "./evaluate.js";
import type { TfValue } from "./value.js";

/**
 * Terraform's `yamldecode()`: the text parsed by a maintained YAML parser (`yaml` on npm), its
 * values resolved as HashiCorp's go-cty-yaml resolves them (its resolve.go and decode.go, checked
 * 2026-11-30), which is not plain YAML 1.2:
 * - quoted and block scalars are strings; plain scalars follow go-cty-yaml's table, YAML 1.1
 *   booleans included (`yes`, `on`, `n` are booleans; `0x1F` stays a string; `1_000` is 1000);
 * - mappings are objects whose keys are scalars converted to strings (a later key wins), sequences
 *   are tuples; anchors and aliases are followed, a self-reference refused;
 * - an empty text is null; a second document is refused.
 * Where Terraform versions differ or cf-preflight cannot be sure — explicit tags other than
 * `!!str`, merge keys (`<<`), dates, binary and octal forms, infinities — the value is reported
 * unknown (`YamlNotRead`), never guessed. Teams keep DNS records in YAML files and `for_each` over
 * `yamldecode(file(...))`: reading them is what lets those records be checked at all.
 */
export class YamlNotRead extends Error {}

/** Alias expansions one document may make: enough for real files, not for an alias bomb. */
const MAX_ALIAS_EXPANSIONS = 10_000;

const STR_TAG = "tag:yaml.org,2002:str";

/** go-cty-yaml's table of plain scalars that are not strings. */
const PLAIN_VALUES: ReadonlyMap<string, boolean | null> = new Map<string, boolean | null>([
  ...["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"].map((s) => [s, true] as const),
  ...["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"].map(
    (s) => [s, false] as const,
  ),
  ...["", "~", "null", "Null", "NULL"].map((s) => [s, null] as const),
]);

const DECIMAL = /^[-+]?(\d+(\.\d*)?|\.\d+)([eE][-+]?\d+)?$/;

/** A plain (unquoted) scalar as go-cty-yaml resolves it. */
export function resolvePlainScalar(text: string): TfValue {
  if (PLAIN_VALUES.has(text)) return PLAIN_VALUES.get(text)!;
  const first = text[0]!;
  if (/[-+0-9]/.test(first)) {
    if (/^\d{4}-/.test(text)) throw new YamlNotRead(`the date-like scalar "${text}"`);
    const plain = text.replaceAll("_", "");
    if (DECIMAL.test(plain)) return Number(plain);
    if (/^[-+]?0[bo]/i.test(plain)) throw new YamlNotRead(`the number "${text}"`);
    return text;
  }
  if (first === ".") {
    if (/^\.(inf|Inf|INF|nan|NaN|NAN)$/.test(text)) throw new YamlNotRead(`the number "${text}"`);
    if (DECIMAL.test(text)) return Number(text);
  }
  return text;
}

/** The YAML parser, loaded on the first call: most runs decode no YAML and should not pay for it. */
let yaml: typeof import("yaml") | undefined;

export function yamlDecode(text: string): TfValue {
  yaml ??= createRequire(import.meta.url)("yaml") as typeof import("yaml");
  // The failsafe schema leaves every scalar a string: resolution is go-cty-yaml's, below.
  const lines = new yaml.LineCounter();
  const documents = yaml.parseAllDocuments(text, {
    version: "1.2",
    schema: "failsafe",
    uniqueKeys: false,
    lineCounter: lines,
  });
  if (!Array.isArray(documents) || documents.length === 0) return null;
  if (documents.length > 1)
    throw new TerraformEvalError(
      `yamldecode(): the text holds ${documents.length} YAML documents; Terraform decodes only one`,
    );
  const document = documents[0]!;
  const [error] = document.errors;
  if (error) {
    // The parser's message quotes the text; say where instead.
    const at = error.linePos?.[0];
    throw new TerraformEvalError(
      `yamldecode(): not valid YAML (${error.code}${at ? ` at line ${at.line}, column ${at.col}` : ""})`,
    );
  }
  return new Converter(yaml, document, lines).value(document.contents as YamlNode | null, []);
}

class Converter {
  private expansions = 0;

  constructor(
    private readonly lib: typeof import("yaml"),
    private readonly document: Document,
    private readonly lines: import("yaml").LineCounter,
  ) {}

  value(node: YamlNode | null, following: readonly YamlNode[]): TfValue {
    const lib = this.lib;
    if (node === null || node === undefined) return null;
    if (lib.isAlias(node)) {
      this.expansions += 1;
      if (this.expansions > MAX_ALIAS_EXPANSIONS)
        throw new TerraformEvalError(`yamldecode(): more than ${MAX_ALIAS_EXPANSIONS} aliases expanded`);
      const target = node.resolve(this.document) as YamlNode | undefined;
      if (!target)
        throw new TerraformEvalError(`yamldecode(): a reference to undefined anchor "${node.source}"`);
      if (following.includes(target))
        throw new TerraformEvalError(`yamldecode(): anchor "${node.source}" refers to itself`);
      return this.value(target, [...following, target]);
    }
    const inside = [...following, node];
    if (lib.isScalar(node)) return this.scalar(node);
    if (lib.isSeq(node)) {
      this.checkTag(node.tag, "tag:yaml.org,2002:seq", node);
      return node.items.map((item) => this.value(item as YamlNode | null, inside));
    }
    if (lib.isMap(node)) {
      this.checkTag(node.tag, "tag:yaml.org,2002:map", node);
      const out: Record<string, TfValue> = {};
      for (const pair of node.items) {
        const key = pair.key as YamlNode | null;
        if (!lib.isScalar(key))
          throw new TerraformEvalError(
            `yamldecode(): only strings are allowed as mapping keys${where(this.lineOf(key))}`,
          );
        if (key.type === "PLAIN" && key.value === "<<" && !key.tag)
          throw new YamlNotRead(
            `the merge key "<<"${where(this.lineOf(key))} (Terraform versions differ on it)`,
          );
        const name = this.scalar(key);
        if (name === null)
          throw new TerraformEvalError(
            `yamldecode(): a mapping key cannot be null${where(this.lineOf(key))}`,
          );
        out[typeof name === "string" ? name : String(name)] = this.value(
          pair.value as YamlNode | null,
          inside,
        );
      }
      return out;
    }
    throw new YamlNotRead("a YAML node of an unexpected kind");
  }

  private scalar(node: YamlNode & { type?: string; value: unknown; tag?: string }): TfValue {
    const text = String(node.value ?? "");
    if (node.tag) {
      if (node.tag === STR_TAG) return text;
      throw new YamlNotRead(
        `the tag ${node.tag.replace("tag:yaml.org,2002:", "!!")}${where(this.lineOf(node))}`,
      );
    }
    return node.type === "PLAIN" ? resolvePlainScalar(text) : text;
  }

  private checkTag(tag: string | undefined, expected: string, node: YamlNode): void {
    if (tag && tag !== expected)
      throw new YamlNotRead(`the tag ${tag.replace("tag:yaml.org,2002:", "!!")}${where(this.lineOf(node))}`);
  }

  private lineOf(node: YamlNode | null): number | undefined {
    const offset = node?.range?.[0];
    return offset === undefined ? undefined : this.lines.linePos(offset).line;
  }
}

function where(line: number | undefined): string {
  return line === undefined ? "" : ` on line ${line}`;
}
