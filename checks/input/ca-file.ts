import { createPrivateKey, type KeyObject, X509Certificate } from "node:crypto";
import { InputError } from "../errors.js";
import { quote } from "../printable.js";
import { readTextFile } from "./read-text.js";

const WHAT = "a PEM file of CA certificates";
const BEGIN = /-----BEGIN ([^\r\n]*?)-----/g;

/**
 * Read an `--origin-ca` file: one or more PEM `CERTIFICATE` blocks, each a certificate `node:crypto`
 * parses. Anything else is InputError (exit 2) naming the file and the block: a file with no PEM
 * block, a block cut off, a block of another kind (a key), or one whose content is not a
 * certificate. Returns the file's text (the prober splits it again).
 */
export function readCaFile(file: string): string {
  const text = readTextFile(file, WHAT);
  parseCaPem(text, file);
  return text;
}

/** The certificates of a PEM text, or InputError naming the block that is wrong. */
export function parseCaPem(text: string, file: string): X509Certificate[] {
  const certificates: X509Certificate[] = [];
  let block = 0;
  BEGIN.lastIndex = 0;
  for (let m = BEGIN.exec(text); m !== null; m = BEGIN.exec(text)) {
    block++;
    const label = m[1] ?? "";
    const where = `PEM block ${block} (line ${lineOf(text, m.index)})`;
    const endMarker = `-----END ${label}-----`;
    const end = text.indexOf(endMarker, m.index + m[0].length);
    if (end < 0)
      throw new InputError(
        file,
        where,
        "a complete PEM certificate",
        `no ${quote(endMarker)} line: the block is cut off`,
      );
    if (label !== "CERTIFICATE")
      throw new InputError(file, where, "a CERTIFICATE block", `it is a ${quote(label)} block`);
    const body = text.slice(m.index + m[0].length, end);
    if (!/^[A-Za-z0-9+/=\s]*$/.test(body))
      throw new InputError(file, where, "a PEM certificate", "its content is not base64");
    try {
      certificates.push(new X509Certificate(text.slice(m.index, end + endMarker.length)));
    } catch (error) {
      throw new InputError(
        file,
        where,
        "a PEM certificate",
        `it does not parse as an X.509 certificate: ${(error as Error).message}`,
      );
    }
    BEGIN.lastIndex = end + endMarker.length;
  }
  if (block === 0)
    throw new InputError(
      file,
      undefined,
      `${WHAT} (-----BEGIN CERTIFICATE----- blocks)`,
      "the file holds no PEM block",
    );
  return certificates;
}

function lineOf(text: string, index: number): number {
  let line = 1;
  for (let i = text.indexOf("\n"); i >= 0 && i < index; i = text.indexOf("\n", i + 1)) line++;
  return line;
}

/**
 * Read `--client-cert` and `--client-key`: a PEM certificate (chain) and the private key that
 * matches it. Anything else is InputError (exit 2) naming the file.
 */
export function readClientCertificate(certFile: string, keyFile: string): { cert: string; key: string } {
  const cert = readTextFile(certFile, "a PEM client certificate");
  const [leaf] = parseCaPem(cert, certFile);
  if (!leaf)
    throw new InputError(certFile, undefined, "a PEM client certificate", "it holds no CERTIFICATE block");
  const key = readTextFile(keyFile, "a PEM private key");
  let parsed: KeyObject;
  try {
    parsed = createPrivateKey(key);
  } catch (error) {
    throw new InputError(keyFile, undefined, "a PEM private key", (error as Error).message.split("\n")[0]);
  }
  if (!leaf.checkPrivateKey(parsed))
    throw new InputError(
      keyFile,
      undefined,
      `the private key of the certificate in ${certFile}`,
      "it does not match",
    );
  return { cert, key };
}
