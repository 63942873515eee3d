import type { ChildProcess } from "node:child_process";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { makeClientCertificate, makeTestCertificates } from "../../checks/demo/certificates.js";
import { createLab, type Lab, stopChild } from "./netns.js";

/**
 * The edge lab (issue 11): one network namespace (`cfpl-probe-edgelab`, index 241: veth
 * `cfplp241h`/`cfplp241n`, 198.18.241.0/24 and 2001:2:0:f1::/64) holding several origins on
 * addresses of their own, so a probe's choice of address, port and scheme shows in who answers:
 *
 * - `ca`, 198.18.241.10: HTTPS on 443 with a certificate from the test CA (`--origin-ca`) naming
 *   every lab zone (`*.<zone>`), and plain HTTP on 80;
 * - `self`, 198.18.241.11: HTTPS on 443 with a self-signed certificate for the same names;
 * - `plain`, 198.18.241.12: plain HTTP on 80 only (443 is refused);
 * - `aop`, 198.18.241.30: Debian's nginx on 443 demanding a client certificate from a second test CA
 *   standing in for Cloudflare's origin-pull CA (`ssl_verify_client on`);
 * - `deadV6`, 2001:2:0:f1::40: an address of the lab nothing listens on (refused at once).
 *
 * The Node origins log every request they answer (`hits`), so a test can tell from the lab which
 * origin a probe reached, on which port, with which Host header. Needs root, iproute2, nftables,
 * openssl and nginx; everything is removed by `destroy`.
 */
export const EDGE_LAB = { tag: "edgelab", index: 241 } as const;

const V4 = (host: number): string => `198.18.${EDGE_LAB.index}.${host}`;
const V6 = (host: number): string => `2001:2:0:${EDGE_LAB.index.toString(16)}::${host.toString(16)}`;

export const LAB_ADDRESSES = {
  ca: V4(10),
  self: V4(11),
  plain: V4(12),
  aop: V4(30),
  deadV6: V6(0x40),
} as const;

/** Debian's nginx binary, when installed. */
export const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));

/** One request an origin of the lab answered. */
export interface LabHit {
  readonly origin: string;
  readonly address: string;
  readonly port: number;
  readonly tls: boolean;
  readonly host: string;
}

export interface EdgeLab {
  readonly lab: Lab;
  readonly dir: string;
  /** The test CA standing in for Cloudflare's Origin CA (PEM file), for `--origin-ca`. */
  readonly originCaFile: string;
  /** A client certificate and key issued by the origin-pull stand-in CA (`--client-cert`, `--client-key`). */
  readonly clientCertFile: string;
  readonly clientKeyFile: string;
  /**
   * Requests the Node origins answered since the last `clearHits`: all of them, since a marker
   * request sent now is answered (and logged) after every request made before it.
   */
  hits(): Promise<readonly LabHit[]>;
  /** Forget the requests answered so far (after they have all been logged). */
  clearHits(): Promise<void>;
  destroy(): Promise<void>;
}

interface Listener {
  readonly origin: string;
  readonly address: string;
  readonly port: number;
  readonly tls?: { readonly key: string; readonly cert: string };
}

/** The Node origins' program: every listener answers 200 and logs the request as one JSON line. */
const ORIGIN_PROGRAM = `
import http from "node:http";
import https from "node:https";
import { readFileSync } from "node:fs";
const listeners = JSON.parse(readFileSync(process.argv[2], "utf8"));
let waiting = listeners.length;
for (const l of listeners) {
  const handler = (req, res) => {
    console.log(JSON.stringify({ origin: l.origin, address: l.address, port: l.port, tls: Boolean(l.tls), host: req.headers.host ?? "" }));
    res.writeHead(200, { "content-type": "text/plain" });
    res.end(l.origin + " origin for " + req.headers.host + "\\n");
  };
  const server = l.tls
    ? https.createServer({ key: readFileSync(l.tls.key), cert: readFileSync(l.tls.cert) }, handler)
    : http.createServer(handler);
  server.on("tlsClientError", () => {});
  server.listen(l.port, l.address, () => { if (--waiting === 0) console.log("ready"); });
}
`;

function nginxConfig(dir: string, leaf: { cert: string; key: string }, pullCa: string): string {
  const temp = path.join(dir, "temp");
  return `
user root;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/nginx-error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  server {
    listen ${LAB_ADDRESSES.aop}:443 ssl;
    server_name _;
    ssl_certificate ${leaf.cert};
    ssl_certificate_key ${leaf.key};
    ssl_client_certificate ${pullCa};
    ssl_verify_client on;
    location / { default_type text/plain; return 200 "aop origin for $host\\n"; }
  }
}
`;
}

async function waitForPort(
  address: string,
  port: number,
  deadlineMs: number,
  why: () => string,
): Promise<void> {
  const until = Date.now() + deadlineMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host: address, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (up) return;
    if (Date.now() > until) throw new Error(`nothing listens on ${address}:${port}: ${why()}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

/** One plain-HTTP request to the `ca` origin with `host` as its Host header. */
function markerRequest(host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: LAB_ADDRESSES.ca, port: 80, path: "/", headers: { host }, agent: false },
      (res) => {
        res.resume();
        res.on("end", () => resolve());
      },
    );
    req.setTimeout(5000, () => req.destroy(new Error(`the lab's marker request ${host} got no answer`)));
    req.on("error", reject);
  });
}

/** The lab's end of the veth pair (the interface holding the lab's first IPv4 address). */
function labInterface(lab: Lab): string {
  const line = lab.exec(["ip", "-o", "-4", "addr", "show", "to", `${lab.v4.lab}/32`]);
  const name = /^\d+:\s+([^\s@]+)/.exec(line)?.[1];
  if (!name) throw new Error(`cannot find the lab interface holding ${lab.v4.lab}: ${line}`);
  return name;
}

/** Zone names the lab's certificates cover (`*.<zone>`): every zone the tests declare. */
export function createEdgeLab(zones: readonly string[]): Promise<EdgeLab> {
  return build(zones);
}

async function build(zones: readonly string[]): Promise<EdgeLab> {
  if (NGINX === undefined) throw new Error("nginx is not installed (apt-get install -y nginx)");
  const dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-edgelab-"));
  let lab: Lab | undefined;
  let origins: ChildProcess | undefined;
  let nginx: ChildProcess | undefined;
  const hits: LabHit[] = [];
  const markerWaiters = new Map<string, () => void>();
  let markers = 0;
  let destroyed = false;
  const destroy = async (): Promise<void> => {
    if (destroyed) return;
    destroyed = true;
    await Promise.all([stopChild(origins), stopChild(nginx)]);
    lab?.destroy();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    // Certificates: the origin CA's leaf (through an intermediate) and a self-signed one, both
    // naming every lab zone; a second CA for the client certificate, as Cloudflare's origin-pull CA.
    const names = zones.flatMap((z) => [z, `*.${z}`]);
    const caDir = path.join(dir, "origin-ca");
    mkdirSync(caDir, { recursive: true });
    const certs = makeTestCertificates(caDir, names);
    const pullDir = path.join(dir, "pull-ca");
    mkdirSync(pullDir, { recursive: true });
    execFileSync("openssl", ["ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "root.key"], {
      cwd: pullDir,
      stdio: "ignore",
    });
    execFileSync(
      "openssl",
      [
        "req",
        "-x509",
        "-new",
        "-key",
        "root.key",
        "-out",
        "root.pem",
        "-days",
        "30",
        "-subj",
        "/O=cf-preflight/CN=Origin-pull CA stand-in",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
      ],
      { cwd: pullDir, stdio: "ignore" },
    );
    const client = makeClientCertificate(pullDir, "origin-pull client stand-in");
    const files = {
      originCa: path.join(dir, "origin-ca.pem"),
      caLeafCert: path.join(dir, "ca-leaf.pem"),
      caLeafKey: path.join(dir, "ca-leaf.key"),
      selfCert: path.join(dir, "self.pem"),
      selfKey: path.join(dir, "self.key"),
      clientCert: path.join(dir, "client.pem"),
      clientKey: path.join(dir, "client.key"),
      pullCa: path.join(pullDir, "root.pem"),
    };
    writeFileSync(files.originCa, certs.rootPem);
    writeFileSync(files.caLeafCert, certs.valid.cert);
    writeFileSync(files.caLeafKey, certs.valid.key);
    writeFileSync(files.selfCert, certs.selfSigned.cert);
    writeFileSync(files.selfKey, certs.selfSigned.key);
    writeFileSync(files.clientCert, client.cert);
    writeFileSync(files.clientKey, client.key);

    lab = createLab(EDGE_LAB.tag, EDGE_LAB.index);
    const inner = labInterface(lab);
    for (const address of [LAB_ADDRESSES.ca, LAB_ADDRESSES.self, LAB_ADDRESSES.plain, LAB_ADDRESSES.aop])
      lab.exec(["ip", "addr", "add", `${address}/24`, "dev", inner]);
    lab.exec(["ip", "-6", "addr", "add", `${LAB_ADDRESSES.deadV6}/64`, "dev", inner, "nodad"]);

    const listeners: Listener[] = [
      {
        origin: "ca",
        address: LAB_ADDRESSES.ca,
        port: 443,
        tls: { key: files.caLeafKey, cert: files.caLeafCert },
      },
      { origin: "ca", address: LAB_ADDRESSES.ca, port: 80 },
      {
        origin: "self",
        address: LAB_ADDRESSES.self,
        port: 443,
        tls: { key: files.selfKey, cert: files.selfCert },
      },
      { origin: "plain", address: LAB_ADDRESSES.plain, port: 80 },
    ];
    writeFileSync(path.join(dir, "listeners.json"), JSON.stringify(listeners));
    writeFileSync(path.join(dir, "origins.mjs"), ORIGIN_PROGRAM);
    origins = lab.spawn([process.execPath, path.join(dir, "origins.mjs"), path.join(dir, "listeners.json")]);
    let originErrors = "";
    origins.stderr?.on("data", (d: Buffer) => {
      originErrors += d.toString();
    });
    const running = origins;
    await new Promise<void>((resolve, reject) => {
      let pending = "";
      running.stdout?.on("data", (d: Buffer) => {
        pending += d.toString();
        const lines = pending.split("\n");
        pending = lines.pop() ?? "";
        for (const line of lines) {
          if (line === "ready") resolve();
          else if (line.startsWith("{")) {
            const hit = JSON.parse(line) as LabHit;
            hits.push(hit);
            markerWaiters.get(hit.host)?.();
          }
        }
      });
      running.once("exit", (code) =>
        reject(new Error(`the lab's origins exited (${code}): ${originErrors}`)),
      );
    });

    mkdirSync(path.join(dir, "temp"), { recursive: true });
    const conf = path.join(dir, "nginx.conf");
    writeFileSync(conf, nginxConfig(dir, { cert: files.caLeafCert, key: files.caLeafKey }, files.pullCa));
    const tested = spawnSync(
      "ip",
      ["netns", "exec", lab.namespace, NGINX, "-t", "-q", "-p", dir, "-c", conf],
      {
        encoding: "utf8",
      },
    );
    if (tested.status !== 0) throw new Error(`nginx -t failed: ${tested.stderr}`);
    nginx = lab.spawn([NGINX, "-p", dir, "-c", conf, "-g", "daemon off;"]);
    nginx.stdout?.resume();
    nginx.stderr?.resume();
    const errorLog = path.join(dir, "nginx-error.log");
    await waitForPort(LAB_ADDRESSES.aop, 443, 10_000, () =>
      existsSync(errorLog) ? readFileSync(errorLog, "utf8") : "nginx wrote no error log",
    );

    return {
      lab,
      dir,
      originCaFile: files.originCa,
      clientCertFile: files.clientCert,
      clientKeyFile: files.clientKey,
      hits: settledHits,
      clearHits: async () => {
        await settledHits();
        hits.length = 0;
      },
      destroy,
    };
  } catch (error) {
    await destroy();
    throw error;
  }

  async function settledHits(): Promise<readonly LabHit[]> {
    const marker = `marker-${++markers}.edge-lab.invalid`;
    const seen = new Promise<void>((resolve) => {
      markerWaiters.set(marker, resolve);
    });
    await markerRequest(marker);
    await seen;
    markerWaiters.delete(marker);
    return hits.filter((h) => !h.host.endsWith(".edge-lab.invalid"));
  }
}

/**
 * A guard in this namespace's output path for one address outside the lab (Cloudflare's, in the
 * 1000 case): every packet to it is counted and rejected on the spot (the sender gets an ICMP
 * error at once, EHOSTUNREACH), so the test can prove nothing was sent, and nothing could leave
 * the machine if something were.
 */
export interface SendGuard {
  /** Packets sent to the address since the guard was set. */
  packets(): number;
  remove(): void;
}

const GUARD_TABLE = "cfpl_edgelab_guard";

export function guardAddress(address: string): SendGuard {
  const family = address.includes(":") ? "ip6" : "ip";
  const remove = (): void => {
    spawnSync("nft", ["delete", "table", "inet", GUARD_TABLE], { stdio: "ignore" });
  };
  remove();
  execFileSync("nft", ["-f", "-"], {
    input: `table inet ${GUARD_TABLE} {
  chain out {
    type filter hook output priority filter; policy accept;
    ${family} daddr ${address} counter reject with icmpx type admin-prohibited
  }
}
`,
    stdio: ["pipe", "ignore", "pipe"],
  });
  return {
    packets: () => {
      const listed = JSON.parse(
        execFileSync("nft", ["-j", "list", "table", "inet", GUARD_TABLE], { encoding: "utf8" }),
      ) as { nftables: { rule?: { expr: { counter?: { packets: number } }[] } }[] };
      let total = 0;
      for (const item of listed.nftables)
        for (const expr of item.rule?.expr ?? []) total += expr.counter?.packets ?? 0;
      return total;
    },
    remove,
  };
}
