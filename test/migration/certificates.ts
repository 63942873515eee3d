import { execFileSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * One private test CA (standing in for Cloudflare's Origin CA) that issues leaves for any set of
 * DNS names, all made on the spot with the openssl CLI (EC P-256). Both lab origins take their
 * certificates from it, so a single `--origin-ca` trusts them all; a leaf that leaves a hostname
 * out is then misnamed, not untrusted.
 */
export interface TestCa {
  /** The CA certificate file (PEM), for `--origin-ca`. */
  readonly caFile: string;
  /** A key and a certificate naming exactly `names` (the first is also the CN); cached per set. */
  issue(names: readonly string[]): LeafFiles;
}

export interface LeafFiles {
  readonly keyFile: string;
  readonly certFile: string;
}

function openssl(cwd: string, args: readonly string[]): void {
  execFileSync("openssl", args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
}

export function createTestCa(dir: string): TestCa {
  mkdirSync(dir, { recursive: true });
  openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ca.key"]);
  openssl(dir, [
    "req",
    "-x509",
    "-new",
    "-key",
    "ca.key",
    "-out",
    "ca.pem",
    "-days",
    "30",
    "-subj",
    "/O=cf-preflight/CN=Migration lab test CA",
    "-addext",
    "basicConstraints=critical,CA:TRUE",
    "-addext",
    "keyUsage=critical,keyCertSign,cRLSign",
  ]);
  const issued = new Map<string, LeafFiles>();
  let serial = 0x1000;
  return {
    caFile: path.join(dir, "ca.pem"),
    issue(names) {
      if (names.length === 0) throw new Error("a leaf needs at least one DNS name");
      const key = names.join(",");
      const cached = issued.get(key);
      if (cached) return cached;
      const name = `leaf-${issued.size + 1}`;
      openssl(dir, ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", `${name}.key`]);
      openssl(dir, ["req", "-new", "-key", `${name}.key`, "-out", `${name}.csr`, "-subj", `/CN=${names[0]}`]);
      writeFileSync(
        path.join(dir, `${name}.ext`),
        [
          "basicConstraints = critical,CA:FALSE",
          "keyUsage = critical,digitalSignature",
          "extendedKeyUsage = serverAuth",
          `subjectAltName = ${names.map((n) => `DNS:${n}`).join(",")}`,
          "",
        ].join("\n"),
      );
      openssl(dir, [
        "x509",
        "-req",
        "-in",
        `${name}.csr`,
        "-CA",
        "ca.pem",
        "-CAkey",
        "ca.key",
        "-set_serial",
        String(serial++),
        "-days",
        "30",
        "-sha256",
        "-extfile",
        `${name}.ext`,
        "-out",
        `${name}.pem`,
      ]);
      // Sanity: the file is a certificate (openssl wrote it), not an empty leftover.
      if (!readFileSync(path.join(dir, `${name}.pem`), "utf8").includes("BEGIN CERTIFICATE"))
        throw new Error(`openssl did not write ${name}.pem`);
      const leaf = { keyFile: path.join(dir, `${name}.key`), certFile: path.join(dir, `${name}.pem`) };
      issued.set(key, leaf);
      return leaf;
    },
  };
}
