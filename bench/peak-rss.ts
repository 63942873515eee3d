/**
 * Loaded with `node --import` into a benchmarked process: at exit it writes the process's peak
 * resident set size (kilobytes, `getrusage`'s maxrss) to the file named by `CF_BENCH_RSS_FILE`, so
 * the parent can hold the CLI and its floor to the same measure without touching either.
 */
import { writeFileSync } from "node:fs";

const file = process.env.CF_BENCH_RSS_FILE;
if (file) process.on("exit", () => writeFileSync(file, String(process.resourceUsage().maxRSS)));
