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
 *
 * The commands of `cli/compiled.ts` are also compiled into a CommonJS program each (`drift.cjs`),
 * with V8's code cache for it (`drift.cjs.cache`) made here by compiling the program, running its
 * top level (definitions only: nothing starts before `start` is called) and then a training run of
 * the command on loopback (`training.ts`), so the cache holds the functions a run calls too. The
 * cache is V8's own and tied to this Node; another Node refuses it and compiles the program afresh.
 */
import { copyFileSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Plugin } from "esbuild";
import { COMPILED_COMMANDS, makeCodeCache } from "../cli/compiled.js";
import { trainDrift } from "./training.js";

/** What each compiled program runs before its code cache is made (see `training.ts`). */
const TRAINING: Readonly<Record<string, (program: unknown) => Promise<void>>> = { drift: trainDrift };

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
for (const command of COMPILED_COMMANDS) {
  const file = join(OUT, `${command}.cjs`);
  await build({
    entryPoints: [join(ROOT, "checks", "cli", "programs", `${command}.ts`)],
    absWorkingDir: ROOT,
    bundle: true,
    format: "cjs",
    platform: "node",
    target: "node20",
    outfile: file,
    external: ["@cdktn/hcl2json"],
    // A script V8 compiles itself has no loader for `import()`: the HCL parser (CommonJS) is required.
    supported: { "dynamic-import": false },
    // Less text for V8 to read and hash at every start; names are kept (stack traces stay readable).
    minifyWhitespace: true,
    minifySyntax: true,
    legalComments: "none",
    // Where the code finds files beside itself (Cloudflare's Origin CA roots): the program's own place.
    define: { "import.meta.url": "__cfpImportMetaUrl" },
    banner: { js: 'var __cfpImportMetaUrl = require("node:url").pathToFileURL(__filename).href;' },
    plugins: [englishOnly],
    logLevel: "warning",
  });
  rmSync(`${file}.cache`, { force: true });
  writeFileSync(`${file}.cache`, await makeCodeCache(file, TRAINING[command]));
}

mkdirSync(join(OUT, "data"), { recursive: true });
copyFileSync(
  join(ROOT, "checks", "probe", "data", "cloudflare-origin-ca.pem"),
  join(OUT, "data", "cloudflare-origin-ca.pem"),
);
