/**
 * Help texts, kept apart from the commands so `--help` loads nothing heavy (no zod, SDK or cdktf).
 */

export const COMMANDS = ["check", "drift", "deploy", "demo", "rules", "emulator", "merge"] as const;
export type CommandName = (typeof COMMANDS)[number];

const INPUT_OPTIONS = `Input (Cloudflare provider 4.x and 5.x):
  --plan FILE|-             a plan: terraform show -json PLAN (or tofu show -json); - reads stdin
  --synth PATH              a folder of .tf / .tf.json / .tofu files (modules followed), a
                            Terragrunt unit (terragrunt.hcl: its module with its inputs), a
                            cdktf.out or cdktn.out folder, or one Terraform JSON file
                            (default: synthesize the app in ./cdktf.json, else read ./*.tf)
  --stack NAME              only this stack of the cdktf.out / cdktn.out folder
  --config FILE             cf-preflight declarations (origins, allowlists, acknowledgements) for
                            configurations without the construct (repeatable; JSON)`;

const OUTPUT_OPTIONS = `Output:
  --format FORMAT           pretty | json | markdown | sarif | junit | github (repeatable; default pretty)
  --output FILE             where the matching --format goes (in order; the rest go to stdout;
                            - is stdout, and one format at most goes to each stream); all are
                            checked before the run and written all or none (a symlink's target
                            is replaced, /dev/stdout and FIFOs are written through)`;

const LIVE_OPTIONS = `Live state (Cloudflare API, read-only):
  --no-live                 do not read the API (static rules only)
  --allow-unverified        do not fail (exit 3) when the API cannot be read; report what was checked
  --api-timeout SEC         time for the whole API read, bodies and retries included (default 120)
  --api-share FRACTION      share of Cloudflare's 1,200 requests / 5 minutes the read may use; a larger
                            read is paced, and one that cannot end within --api-timeout stops before
                            sending anything (default 0.5)
  Environment: CLOUDFLARE_API_TOKEN (Read permissions: Zone, DNS, Zone Settings, Account Filter
               Lists; check also Config Settings, Origin, Page Rules, SSL and Certificates,
               Cloudflare Tunnel), CLOUDFLARE_API_BASE_URL (default
               https://api.cloudflare.com/client/v4)`;

const PROBE_OPTIONS = `Origin probes (TCP, TLS, HTTP, as Cloudflare would reach the origins):
  --no-probes               do not probe origins
  --connect-to H:P:A:P      probe ADDR:PORT when Cloudflare would reach HOST:PORT (repeatable; curl's meaning);
                            HOST may be an origin address ([IPv6] in brackets): old and new origins
                            of a migration serve the same hostname
  --connect-timeout SEC     TCP connect limit (default 19, Cloudflare's)
  --read-timeout SEC        time to the response headers (default 120, Cloudflare's Proxy Read Timeout)
  --concurrency N           probes in their TLS/HTTP phases at once (default 32); up to 16N
                            connections may be opening meanwhile (at most 1,024), 2N
                            to any one origin address and port
  --vantage allowed|outside whether the origins' firewalls admit this machine (default: not known)
  --origin-ca FILE          also trust these PEM CA certificates, like Cloudflare's Origin CA
                            (repeatable; private PKI, tests)
  --client-cert FILE        a PEM client certificate presented to origins whose route has
                            Authenticated Origin Pulls on, in place of Cloudflare's
  --client-key FILE         its private key (PEM; both or neither)
  --cert-horizon DAYS       a certificate Full (strict) validates that expires within DAYS warns (14)

Many places (a CI matrix; see cf-preflight merge --help):
  --shard K/N               probe only shard K of N of the targets (split by zone, hostname, origin,
                            port and scheme: the same split on every runner); static rules and the
                            live read run as usual
  --vantage-name NAME       the name of where the probes run (default: the host name); every shard
                            of one vantage takes the same name`;

const MIGRATION_OPTIONS = `Host migrations (hostnames whose address, CNAME target, origin port or SSL mode moves):
  old and new origins are compared on / and the code's parity paths: status, Location,
  Content-Type, Strict-Transport-Security, response time, ports; change thresholds apply
  --parity-path PATH        also compare PATH (repeatable)
  --latency-factor X        the new origin may answer at most X times slower (default 2, or the code's)
  --after                   after the deploy: the live zone must now match the code, and the origins answer`;

const EXIT_CODES = `Exit codes:
  0 nothing blocks   1 a blocking finding   2 bad input, usage or configuration
  3 could not verify (API unreachable, auth refused, rate limit outlasted; also an internal error:
    rerun with CF_PREFLIGHT_DEBUG=1 for its stack)   4 drift found (drift only)
  130/143 interrupted by SIGINT/SIGTERM: nothing verified, no report written (a second Ctrl-C quits at once)`;

export const MAIN_HELP = `cf-preflight: would this change cause a Cloudflare 52x? Checks Terraform plans, Terraform and
cdktf/cdktn configurations against the live Cloudflare API and probes the origins before a deploy.

Usage: cf-preflight <command> [options]

Commands:
  check      static rules + live API + origin probes on the synthesized stacks; the gate
  drift      DNS, settings and firewall drift between code and live state
  deploy     synthesize afresh, check, and only then \`cdktf deploy\`
  demo       the whole thing on an embedded example: local API emulator, local origins
  rules      the rule catalogue: id, predicted error, what it checks, how to fix
  emulator   run the local Cloudflare API emulator on loopback
  merge      merge the JSON reports of sharded runs from many vantages into one verdict

Run \`cf-preflight <command> --help\` for a command's options.
  --version  print the version

${EXIT_CODES}
`;

export const COMMAND_HELP: Record<CommandName, string> = {
  check: `Usage: cf-preflight check [options]

Runs the static rules on the desired state, reads the live zone (read-only), probes the origins, and
reports every finding with the Cloudflare error it predicts. Exit 1 when a finding blocks.

${INPUT_OPTIONS}

${LIVE_OPTIONS}

${PROBE_OPTIONS}

${MIGRATION_OPTIONS}

Gate:
  --strict                  unknowns block too
  --firewall ORIGIN=FILE    the origin's real firewall (\`nft -j list ruleset\` or \`iptables-save\` output)

${OUTPUT_OPTIONS}

${EXIT_CODES}
`,
  drift: `Usage: cf-preflight drift [options]

Compares the code with the live zone: DNS records (create, update, delete, field by field), the SSL
mode, origin allowlists against Cloudflare's live ranges and against the origins' real firewalls.
Exit 4 when there is drift (a firewall rule the checker cannot decide is reported too), 0 when
there is none.

${INPUT_OPTIONS}

  --firewall ORIGIN=FILE    the origin's real firewall (\`nft -j list ruleset\` or \`iptables-save\` output)

${LIVE_OPTIONS.replace(
  /\n {2}--no-live[^\n]*/,
  "\n  --no-live                 offline: allowlists and firewalls against the bundled snapshot of\n" +
    "                            Cloudflare's ranges; DNS and settings reported as not compared",
)}

${OUTPUT_OPTIONS}

${EXIT_CODES}
`,
  deploy: `Usage: cf-preflight deploy [stack] [options] [-- cdktf deploy args]

Synthesizes the app afresh into a clean folder, runs \`check\` on it, and runs \`cdktf deploy\` only
when nothing blocks. \`--skip-synth\` is refused: a stale synth must never pass the gate.

Takes the options of \`check\` except --synth, --after and --shard. Arguments after \`--\` go to
\`cdktf deploy\` (its --skip-synth and --output are refused).

${EXIT_CODES}
`,
  demo: `Usage: cf-preflight demo [options]

Starts the local API emulator seeded with the example zone and a healthy tunnel, starts local origins
(healthy, refusing, expired certificate, slow, allowlist missing Cloudflare ranges, an old and a new
host for www, which the code migrates), synthesizes the example stack, runs check and drift against
them, and explains each finding. Needs no account, token, root or internet; openssl on the PATH.

  --format FORMAT           pretty | json (default pretty)
`,
  rules: `Usage: cf-preflight rules [--format pretty|json|markdown]

Lists every rule: id, the error it predicts, what it checks, why it matters, how to fix it.
`,
  merge: `Usage: cf-preflight merge [options] REPORT...

Merges the JSON reports (--format json) of one run split over a CI matrix: runners in several
regions or networks (--vantage-name), each probing a shard of the targets (--shard K/N). Writes one
report in every --format and exits with the gate's code.

- A target failing from every vantage keeps its error; failing from some and passing from others
  becomes one finding, "522 from 2 of 5 vantages (fra, sin); passed from 3 of 5 vantages (...)",
  blocking by default, with each vantage's evidence. A vantage without a route for the target's
  address family (no IPv6) does not judge it when another vantage can.
- Findings that do not depend on the probes (static rules, drift, the live zone) must agree; each
  distinct one is kept, and a difference is an unknown (merge-disagreement).
- Every vantage must have probed every shard 1..N: a missing one is "could not verify" (exit 3).
- Reports of other inputs, tool versions or shard counts, or not JSON, are bad input (exit 2).

  REPORT                    a JSON report of cf-preflight check; - reads one from standard input
  --partial block|warn      a failure from some vantages only: blocks (default) or warns
  --strict                  unknowns block too
  --allow-unverified        merge even with shards missing (each an unknown finding) instead of exit 3

${OUTPUT_OPTIONS}

${EXIT_CODES}
`,
  emulator: `Usage: cf-preflight emulator [options]

Runs the local stand-in for the Cloudflare v4 API subset the checker reads, on loopback, until
interrupted. Point the checker at it with CLOUDFLARE_API_BASE_URL.

  --seed FILE               a JSON seed (zones, records, SSL mode, origin rules, account lists, ips)
  --port N                  port to listen on (default: any free port)
  --token TOKEN             the token it accepts (default: read CLOUDFLARE_API_TOKEN, else generate one)
`,
};
