/**
 * `npm run build`'s second step: the command `bin` runs, bundled by esbuild into `dist/bundle/`
 * (`dist/checks/` stays, compiled by tsc, for the tests). One entry, split into chunks along the
 * CLI's dynamic imports, so `--help` loads a few kilobytes and each command what it uses.
 *
 * - `@cdktn/hcl2json` stays a package import: it finds its WebAssembly next to its own files, and
 *   it is loaded only when a `.tf` file or an expression beyond a plain reference is read.
 * - Cloudflare's Origin CA roots are copied beside the chunks, where `probe/trust.ts` looks.
 * - CommonJS code inside the bundle (cdktf, for the demo) gets a `require` of its own.
 * - zod's error messages in other languages than English are left out: the checker never switches
 *   zod's locale, and they are half of zod's code, loaded by every command that validates.
 *
 * The metafile (`dist/bundle/meta.json`) lets a test hold the CLI to loading no package up front.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";

/** The project's root: the first folder up from this file with a package.json (run from dist/ or not). */
function projectRoot(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, "package.json")) && dirname(dir) !== dir) dir = dirname(dir);
  return dir;
}

const ROOT = projectRoot();
const OUT = join(ROOT, "dist", "bundle");

/** zod's locale index, reduced to the English messages it configures by default. */
const englishOnly: Plugin = {
  name: "zod-english-only",
  setup(b) {
    b.onLoad({ filter: /[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";',
      loader: "js",
    }));
  },
};

rmSync(OUT, { recursive: true, force: true });
const result = await build({
  entryPoints: [join(ROOT, "checks", "cli.ts")],
  absWorkingDir: ROOT,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  outdir: OUT,
  external: ["@cdktn/hcl2json"],
  banner: {
    js: "import { createRequire as __cfpRequire } from 'node:module'; const require = __cfpRequire(import.meta.url);",
  },
  plugins: [englishOnly],
  metafile: true,
  logLevel: "warning",
});
writeFileSync(join(OUT, "meta.json"), JSON.stringify(result.metafile));
mkdirSync(join(OUT, "data"), { recursive: true });
copyFileSync(
  join(ROOT, "checks", "probe", "data", "cloudflare-origin-ca.pem"),
  join(OUT, "data", "cloudflare-origin-ca.pem"),
);
