import { existsSync, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";

/**
 * Where Terragrunt runs Terraform for `terraform { source }` (checked against
 * https://terragrunt.gruntwork.io/docs/reference/hcl/blocks/#terraform on 2026-11-30): a local
 * path is relative to the unit, `//` splits the folder Terragrunt copies from the subfolder it runs
 * in, and a query (`?ref=`) means nothing to a local copy. Any other source (git, a registry, a URL,
 * go-getter's `x::` forms and host shorthands) is downloaded by `terragrunt init` into the unit's
 * `.terragrunt-cache/<hash>/<hash>/`, which is read only when it holds exactly one copy.
 */
export type SourcePlace =
  | { readonly kind: "local"; readonly dir: string }
  | { readonly kind: "cache"; readonly dir: string; readonly copy: string }
  | { readonly kind: "remote"; readonly why: string };

/** Terragrunt's download folder inside a unit, by default. */
export const TERRAGRUNT_CACHE = ".terragrunt-cache";

/** go-getter's forced getters (`git::`, `s3::`), URLs with a scheme, `git@` and the host shorthands it detects. */
const REMOTE = [
  /^[A-Za-z0-9+.-]+::/,
  /^[A-Za-z][A-Za-z0-9+.-]*:\/\//,
  /^git@/,
  /^(github\.com|gitlab\.com|bitbucket\.org)\//,
  /^[^/]*\.amazonaws\.com\//,
  /^www\.googleapis\.com\/storage\//,
];

/** Whether go-getter would download the source rather than copy a local folder. */
export function isRemoteSource(source: string): boolean {
  if (source.startsWith("file://")) return false;
  return REMOTE.some((pattern) => pattern.test(source));
}

/** A local source's folder to copy and the subfolder (after `//`) to run in; the query dropped. */
export function splitLocalSource(source: string): { root: string; subdir: string } {
  const path = source.replace(/^file:\/\//, "").replace(/\?.*$/, "");
  const split = path.indexOf("//", 1);
  if (split < 0) return { root: path, subdir: "" };
  return { root: path.slice(0, split), subdir: path.slice(split + 2) };
}

/** The subfolder after `//` of a remote source (`git::https://host/repo.git//modules/dns?ref=v1`). */
export function remoteSubdir(source: string): string {
  const withoutQuery = source.replace(/\?.*$/, "");
  const scheme = withoutQuery.replace(/^[A-Za-z0-9+.-]+::/, "").replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, "");
  const split = scheme.indexOf("//");
  return split < 0 ? "" : scheme.slice(split + 2);
}

/** The `<hash>/<hash>` folders of a unit's Terragrunt download cache. */
function cacheCopies(unitDir: string): string[] {
  const cache = join(unitDir, TERRAGRUNT_CACHE);
  if (!existsSync(cache) || !statSync(cache).isDirectory()) return [];
  const copies: string[] = [];
  for (const first of readdirSync(cache)) {
    const outer = join(cache, first);
    if (!statSync(outer).isDirectory()) continue;
    for (const second of readdirSync(outer))
      if (statSync(join(outer, second)).isDirectory()) copies.push(join(outer, second));
  }
  return copies.sort();
}

export function placeSource(source: string, unitDir: string): SourcePlace {
  if (!isRemoteSource(source)) {
    const { root, subdir } = splitLocalSource(source);
    const base = isAbsolute(root) ? root : resolve(unitDir, root);
    return { kind: "local", dir: subdir ? join(base, subdir) : base };
  }
  const copies = cacheCopies(unitDir);
  const run =
    "run terragrunt init in the unit (cf-preflight then reads its .terragrunt-cache copy), or give --plan with the JSON of 'terragrunt plan -out=tfplan' then 'terragrunt show -json tfplan'";
  if (copies.length === 0)
    return {
      kind: "remote",
      why: `terraform { source } is ${JSON.stringify(source)}, which cf-preflight does not download: ${run}`,
    };
  if (copies.length > 1)
    return {
      kind: "remote",
      why: `terraform { source } is ${JSON.stringify(source)}, and ${TERRAGRUNT_CACHE} holds ${copies.length} downloaded copies (${copies.join(", ")}), so which one Terragrunt runs is not clear: delete ${TERRAGRUNT_CACHE} and ${run}`,
    };
  const subdir = remoteSubdir(source);
  const dir = subdir ? join(copies[0]!, subdir) : copies[0]!;
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    return {
      kind: "remote",
      why: `terraform { source } is ${JSON.stringify(source)}, and the one copy in ${TERRAGRUNT_CACHE} (${copies[0]}) has no ${subdir} folder: delete ${TERRAGRUNT_CACHE} and ${run}`,
    };
  return { kind: "cache", dir, copy: copies[0]! };
}
