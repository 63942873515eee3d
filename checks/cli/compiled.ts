import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { Script } from "node:vm";
import { asksForHelp } from "./main.js";

/**
 * Commands the build also compiles into a program of their own: one CommonJS file beside the
 * bundle (`drift.cjs`, from `programs/drift.ts`) with V8's code cache for it (`drift.cjs.cache`,
 * made by the build). Node 20 caches no compiled code for ES modules, and compiling the command's
 * megabyte of code is a large part of a short run; with the cache V8 reads the compiled code back
 * instead. The program holds the whole command line for that command (dispatch, errors, exit
 * codes), so no object crosses from one copy of the code to the other.
 */
export const COMPILED_COMMANDS: readonly string[] = ["drift"];

/** A program loaded, and whether V8 refused its code cache (another Node, other V8 flags): then it compiled afresh. */
export interface CompiledProgram {
  readonly file: string;
  readonly cacheRejected: boolean | undefined;
}

/**
 * Start `argv`'s command from its compiled program beside this file, if the build made one; false
 * when there is none (the tsc output, the tests) and the caller runs the command itself.
 */
export function startCompiled(argv: readonly string[]): boolean {
  const [command, ...rest] = argv;
  // Help is answered by the entry itself, without loading the command.
  if (command === undefined || !COMPILED_COMMANDS.includes(command) || asksForHelp(rest)) return false;
  const url = new URL(`./${command}.cjs`, import.meta.url);
  if (url.protocol !== "file:" || !existsSync(url)) return false;
  const file = fileURLToPath(url);
  const program = loadProgram(file);
  (program as { start(argv: readonly string[]): void }).start(argv);
  return true;
}

/** A program's code as V8 compiles it: the file in CommonJS's function wrapper, named by its path. */
function programScript(file: string, cachedData?: Buffer): Script {
  const source = `(function (exports, require, module, __filename, __dirname) { ${readFileSync(file, "utf8")}\n});`;
  return new Script(source, {
    filename: file,
    ...(cachedData ? { cachedData } : {}),
  });
}

/** Run a program's top level (its definitions) and give its exports. */
function runProgram(script: Script, file: string): unknown {
  const module = { exports: {} as unknown };
  const factory = script.runInThisContext() as (
    exports: unknown,
    require: NodeJS.Require,
    module: { exports: unknown },
    filename: string,
    dirname: string,
  ) => void;
  factory(module.exports, createRequire(file), module, file, dirname(file));
  return module.exports;
}

/** Load a CommonJS program with its code cache when there is one (V8 checks it and may refuse it). */
export function loadProgram(file: string): unknown {
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(`${file}.cache`);
  } catch {
    // No cache: compiled as any script.
  }
  const script = programScript(file, cachedData);
  lastLoaded = { file, cacheRejected: cachedData ? script.cachedDataRejected : undefined };
  return runProgram(script, file);
}

/**
 * V8's code cache for a program, made as `loadProgram` compiles it, once its top level has run and
 * then `train` (if given) has run the program's command on a representative input: V8 compiles a
 * function when it is first called, and the cache holds what was compiled when it was made, so a
 * cache made after a run spares the user's runs the compiling of every function a run calls.
 */
export async function makeCodeCache(
  file: string,
  train?: (program: unknown) => Promise<void>,
): Promise<Buffer> {
  const script = programScript(file);
  const program = runProgram(script, file);
  if (train) await train(program);
  return script.createCachedData();
}

let lastLoaded: CompiledProgram | undefined;

/** The program loaded last in this process, and whether V8 refused its cache. */
export function lastLoadedProgram(): CompiledProgram | undefined {
  return lastLoaded;
}
