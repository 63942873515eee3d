import { existsSync, statSync } from "node:fs";
import { resolve } from "node:path";
import { readTextFile } from "../../input/read-text.js";

/**
 * Template files a module renders with `templatefile()`. Expressions are parsed before evaluation
 * (parsing is asynchronous, evaluation is not), so the files a configuration names literally —
 * `"${path.module}/spf.tftpl"`, `"templates/spf.tpl"` — are read up front and their templates
 * parsed with the rest. A path computed otherwise is left to `templatefile()`, which then says the
 * template was not read (unknown), never guesses.
 */
const CALL = /templatefile\(\s*"((?:[^"\\]|\\.)*)"/g;

export function templateFilesNamed(
  strings: Iterable<string>,
  moduleDir: string,
  rootDir: string,
): { readonly path: string; readonly text: string }[] {
  const out = new Map<string, string>();
  for (const text of strings) {
    if (!text.includes("templatefile(")) continue;
    for (const match of text.matchAll(CALL)) {
      const written = match[1]!
        .replaceAll("${path.module}", moduleDir)
        .replaceAll("${path.root}", rootDir)
        .replaceAll("${path.cwd}", rootDir);
      if (written.includes("${") || written.includes("%{") || written.includes("\\")) continue;
      const path = resolve(rootDir, written);
      if (out.has(path) || !existsSync(path) || !statSync(path).isFile()) continue;
      out.set(path, readTextFile(path, "a template file the configuration renders with templatefile()"));
    }
  }
  return [...out].map(([path, text]) => ({ path, text }));
}
