import { execFile, execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { promisify } from "node:util";

/**
 * Certificates made on the spot with the openssl CLI (EC P-256: quick to make and to use), for the
 * tests and the demo: a private root standing in for Cloudflare's Origin CA, and leaves that are
 * valid, expired, not yet valid, misnamed, self-signed or from an untrusted root.
 */
export interface TestCertificates {
  /** The private root standing in for Cloudflare's Origin CA (pass it as `extraCaPem`). */
  readonly rootPem: string;
  /** Leaf for the hostname, issued through an intermediate of the private root: key, leaf+intermediate. */
  readonly valid: KeyPair;
  readonly expired: KeyPair;
  readonly notYetValid: KeyPair;
  readonly wrongName: KeyPair;
  readonly selfSigned: KeyPair;
  /** Issued by a second private root nobody trusts. */
  readonly untrusted: KeyPair;
}

export interface KeyPair {
  readonly key: string;
  /** The leaf, followed by any intermediate. */
  readonly cert: string;
}

/**
 * The openssl runs that make certificates, as generators of argument lists (files written between
 * them): the same steps run one after the other (`runSync`, tests) or without blocking the process
 * (`runAsync`, the demo, which makes its certificates while cdktf synthesizes).
 */
type Steps = Generator<string[], void, void>;

function runSync(dir: string, steps: Steps): void {
  for (const args of steps) execFileSync("openssl", args, { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
}

const execFileAsync = promisify(execFile);

async function runAsync(dir: string, steps: Steps): Promise<void> {
  for (const args of steps) await execFileAsync("openssl", args, { cwd: dir });
}

function* newKey(name: string): Steps {
  yield ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`];
}

function* selfSignedCa(name: string, cn: string): Steps {
  yield* newKey(name);
  yield [
    "req",
    "-x509",
    "-new",
    "-key",
    `${name}.key`,
    "-out",
    `${name}.pem`,
    "-days",
    "30",
    "-subj",
    `/O=cf-preflight/CN=${cn}`,
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ];
}

/** Sign with `openssl ca`, which (unlike `x509 -req` in OpenSSL 3.0) takes explicit start and end dates. */
function* sign(
  dir: string,
  caName: string,
  name: string,
  subject: string,
  extensions: string,
  startdate: string,
  enddate: string,
): Steps {
  yield* newKey(name);
  yield ["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", subject];
  const caDir = path.join(dir, `${caName}-db`);
  mkdirSync(caDir, { recursive: true });
  try {
    readFileSync(path.join(caDir, "index.txt"));
  } catch {
    writeFileSync(path.join(caDir, "index.txt"), "");
    writeFileSync(path.join(caDir, "serial"), "1000\n");
  }
  writeFileSync(
    path.join(dir, `${name}.cnf`),
    [
      "[ca]",
      "default_ca = test_ca",
      "[test_ca]",
      `dir = ${caDir}`,
      "database = $dir/index.txt",
      "serial = $dir/serial",
      "new_certs_dir = $dir",
      `certificate = ${path.join(dir, `${caName}.pem`)}`,
      `private_key = ${path.join(dir, `${caName}.key`)}`,
      "default_md = sha256",
      "policy = any",
      "unique_subject = no",
      "copy_extensions = none",
      "[any]",
      "commonName = supplied",
      "organizationName = optional",
      "[ext]",
      extensions,
      "",
    ].join("\n"),
  );
  yield [
    "ca",
    "-batch",
    "-notext",
    "-config",
    `${name}.cnf`,
    "-extensions",
    "ext",
    "-in",
    `${name}.csr`,
    "-out",
    `${name}.pem`,
    "-startdate",
    startdate,
    "-enddate",
    enddate,
  ];
}

function read(dir: string, file: string): string {
  return readFileSync(path.join(dir, file), "utf8");
}

function stamp(date: Date): string {
  return `${date.toISOString().replace(/[-:T]/g, "").slice(0, 14)}Z`;
}

const DAY = 86_400_000;

const leafExt = (name: string) =>
  `basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = serverAuth\nsubjectAltName = DNS:${name}`;
const INTERMEDIATE_EXT =
  "basicConstraints = critical,CA:TRUE,pathlen:0\nkeyUsage = critical,keyCertSign,cRLSign";

function currentDates(): readonly [string, string] {
  const now = Date.now();
  return [stamp(new Date(now - DAY)), stamp(new Date(now + 30 * DAY))];
}

/** The private root, its intermediate, a valid leaf through it and an expired one. */
function* commonSteps(dir: string, names: string | readonly string[]): Steps {
  const all = typeof names === "string" ? [names] : names;
  const hostname = all.join(",DNS:");
  const cn = all[0]!;
  const current = currentDates();
  yield* selfSignedCa("root", "Test Origin CA stand-in");
  yield* sign(
    dir,
    "root",
    "intermediate",
    "/O=cf-preflight/CN=Test Origin CA intermediate",
    INTERMEDIATE_EXT,
    ...current,
  );
  yield* sign(dir, "intermediate", "valid", `/CN=${cn}`, leafExt(hostname), ...current);
  yield* sign(dir, "root", "expired", `/CN=${cn}`, leafExt(hostname), "20200101000000Z", "20200201000000Z");
}

/** Every other certificate the probe tests need: not yet valid, misnamed, untrusted, self-signed. */
function* otherSteps(dir: string, names: string | readonly string[]): Steps {
  const all = typeof names === "string" ? [names] : names;
  const hostname = all.join(",DNS:");
  const cn = all[0]!;
  const current = currentDates();
  yield* selfSignedCa("other-root", "Untrusted Test CA");
  yield* sign(
    dir,
    "root",
    "not-yet-valid",
    `/CN=${cn}`,
    leafExt(hostname),
    "20990101000000Z",
    "20990201000000Z",
  );
  yield* sign(dir, "root", "wrong-name", "/CN=other.example.test", leafExt("other.example.test"), ...current);
  yield* sign(dir, "other-root", "untrusted", `/CN=${cn}`, leafExt(hostname), ...current);
  yield* newKey("self-signed");
  yield [
    "req",
    "-x509",
    "-new",
    "-key",
    "self-signed.key",
    "-out",
    "self-signed.pem",
    "-days",
    "30",
    "-subj",
    `/CN=${cn}`,
    "-addext",
    `subjectAltName=DNS:${hostname}`,
  ];
}

function pairOf(dir: string, name: string, chain: string[] = []): KeyPair {
  return {
    key: read(dir, `${name}.key`),
    cert: [read(dir, `${name}.pem`), ...chain.map((c) => read(dir, `${c}.pem`))].join(""),
  };
}

/** Make every certificate the probe tests need for `hostname` in `dir`. */
export function makeTestCertificates(dir: string, names: string | readonly string[]): TestCertificates {
  runSync(dir, commonSteps(dir, names));
  runSync(dir, otherSteps(dir, names));
  return {
    rootPem: read(dir, "root.pem"),
    valid: pairOf(dir, "valid", ["intermediate"]),
    expired: pairOf(dir, "expired"),
    notYetValid: pairOf(dir, "not-yet-valid"),
    wrongName: pairOf(dir, "wrong-name"),
    selfSigned: pairOf(dir, "self-signed"),
    untrusted: pairOf(dir, "untrusted"),
  };
}

/** The demo's certificates (the root, a valid leaf and an expired one), made without blocking. */
export async function makeDemoCertificates(
  dir: string,
  names: string | readonly string[],
): Promise<Pick<TestCertificates, "rootPem" | "valid" | "expired">> {
  await runAsync(dir, commonSteps(dir, names));
  return {
    rootPem: read(dir, "root.pem"),
    valid: pairOf(dir, "valid", ["intermediate"]),
    expired: pairOf(dir, "expired"),
  };
}

/**
 * A client certificate issued by the private root of `makeTestCertificates` in the same `dir`,
 * standing in for Cloudflare's origin-pull certificate (tests and the demo): key and certificate.
 */
export function makeClientCertificate(dir: string, cn = "origin-pull stand-in"): KeyPair {
  runSync(
    dir,
    sign(
      dir,
      "root",
      "client",
      `/CN=${cn}`,
      "basicConstraints = critical,CA:FALSE\nkeyUsage = critical,digitalSignature\nextendedKeyUsage = clientAuth",
      ...currentDates(),
    ),
  );
  return { key: read(dir, "client.key"), cert: read(dir, "client.pem") };
}
