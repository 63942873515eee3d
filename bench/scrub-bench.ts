/**
 * The scrubber on a large report: 100,000 findings rendered as JSON (the largest format) and as the
 * terminal report, scrubbed with a 40-character token, clean and with a fragment of the token in
 * every finding. A benchmark, not a test: it prints figures and exits non-zero only when the result
 * is wrong or the target (well under a second) is missed.
 *
 *   npx tsc -p tsconfig.build.json && node dist/bench/scrub-bench.js
 */
import { NO_DRIFT } from "../checks/model/change.js";
import { buildReport } from "../checks/report/build.js";
import { renderJson } from "../checks/report/render-json.js";
import { renderPretty } from "../checks/report/render-pretty.js";
import { createScrubber, MIN_SECRET_FRAGMENT } from "../checks/scrub.js";

const FINDINGS = 100_000;
const TOKEN = "kX9vQ2mR7tL4wZ8p/N3bH6cJ1fD5+gS0aEyUiO2q";
const TARGET_MS = 1_000;

function report(fragment: boolean) {
  return buildReport({
    findings: Array.from({ length: FINDINGS }, (_, i) => ({
      rule: "origin-tcp",
      status: "fail" as const,
      blocking: true,
      predicts: "521",
      subject: {
        zone: "example.com",
        hostname: `host${i}.example.com`,
        address: `192.0.2.${i % 250}`,
        port: 443,
      },
      message: `521 (origin refused the connection): 192.0.2.${i % 250} port 443 refused (ECONNREFUSED) https://host${i}.example.com/`,
      evidence: { code: "ECONNREFUSED", echoed: fragment ? TOKEN.slice(i % 30, (i % 30) + 10) : "none" },
      fix: "Start the service on that port, admit Cloudflare's ranges in the origin firewall, or correct the A/AAAA record.",
    })),
    drift: NO_DRIFT,
    coverage: { live: true, probes: true, files: ["cdk.tf.json"], zones: ["example.com"] },
  });
}

function best(run: () => void): number {
  let fastest = Number.POSITIVE_INFINITY;
  for (let i = 0; i < 5; i++) {
    const started = performance.now();
    run();
    fastest = Math.min(fastest, performance.now() - started);
  }
  return fastest;
}

const scrub = createScrubber([TOKEN]);
let ok = true;
console.log(`scrubbing a report of ${FINDINGS.toLocaleString("en")} findings (fastest of 5)\n`);
console.log("| format | token fragments | size | scrub |");
console.log("| --- | --- | --- | --- |");
for (const fragment of [false, true]) {
  const r = report(fragment);
  for (const [format, text] of [
    ["json", renderJson(r)],
    ["pretty", renderPretty(r, { color: false })],
  ] as const) {
    let out = "";
    const ms = best(() => {
      out = scrub(text);
    });
    const leaked = Array.from({ length: TOKEN.length - MIN_SECRET_FRAGMENT + 1 }, (_, i) =>
      TOKEN.slice(i, i + MIN_SECRET_FRAGMENT),
    ).some((piece) => out.includes(piece));
    const right = !leaked && (fragment || out === text);
    ok &&= right && ms < TARGET_MS;
    console.log(
      `| ${format} | ${fragment ? "one per finding" : "none"} | ${(text.length / 1e6).toFixed(1)} MB | ${ms.toFixed(0)} ms${right ? "" : " WRONG"} |`,
    );
  }
}
console.log(`\ntarget: under ${TARGET_MS} ms, nothing left of the token: ${ok ? "met" : "MISSED"}`);
process.exitCode = ok ? 0 : 1;
