import type { ChildProcess } from "node:child_process";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";
import type { TestCertificates } from "./helpers/certificates.js";
import { makeTestCertificates } from "./helpers/certificates.js";
import { closedPort } from "./helpers/origins.js";
import { HOSTNAME, targetFor } from "./helpers/targets.js";

/** Debian's nginx, run by the test with its own configuration on loopback ports. */
const NGINX = ["/usr/sbin/nginx", "/usr/bin/nginx"].find((p) => existsSync(p));
const CI = process.env.CI === "true";

let dir: string;
let certs: TestCertificates;
let nginx: ChildProcess | undefined;
const ports = { https: 0, http: 0, empty: 0, wrongName: 0 };

async function waitForPort(port: number, deadlineMs: number): Promise<void> {
  const { connect } = await import("node:net");
  const until = Date.now() + deadlineMs;
  for (;;) {
    const up = await new Promise<boolean>((resolve) => {
      const s = connect({ host: "127.0.0.1", port }, () => {
        s.destroy();
        resolve(true);
      });
      s.on("error", () => resolve(false));
    });
    if (up) return;
    if (Date.now() > until)
      throw new Error(
        `nginx did not listen on ${port}: ${readFileSync(path.join(dir, "error.log"), "utf8")}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(NGINX === undefined && !CI)("a real nginx origin (Debian)", () => {
  beforeAll(async () => {
    if (NGINX === undefined)
      throw new Error("nginx is not installed (apt-get install -y nginx); required with CI=true");
    dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-probe-nginx-"));
    certs = makeTestCertificates(dir, HOSTNAME);
    writeFileSync(path.join(dir, "valid.key"), certs.valid.key);
    writeFileSync(path.join(dir, "valid-chain.pem"), certs.valid.cert);
    writeFileSync(path.join(dir, "wrong.key"), certs.wrongName.key);
    writeFileSync(path.join(dir, "wrong.pem"), certs.wrongName.cert);
    for (const key of Object.keys(ports) as (keyof typeof ports)[]) ports[key] = await closedPort();
    mkdirSync(path.join(dir, "temp"), { recursive: true });
    const temp = path.join(dir, "temp");
    writeFileSync(
      path.join(dir, "nginx.conf"),
      `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
  server {
    listen 127.0.0.1:${ports.https} ssl;
    server_name ${HOSTNAME};
    ssl_certificate ${dir}/valid-chain.pem;
    ssl_certificate_key ${dir}/valid.key;
    location / { return 200 "ok\\n"; }
  }
  server {
    listen 127.0.0.1:${ports.wrongName} ssl;
    ssl_certificate ${dir}/wrong.pem;
    ssl_certificate_key ${dir}/wrong.key;
    location / { return 200 "ok\\n"; }
  }
  server {
    listen 127.0.0.1:${ports.http};
    location / { return 301 https://$host$request_uri; }
  }
  server {
    listen 127.0.0.1:${ports.empty};
    location / { return 444; }
  }
}
`,
    );
    const check = spawnSync(NGINX, ["-t", "-p", dir, "-c", path.join(dir, "nginx.conf")], {
      encoding: "utf8",
    });
    if (check.status !== 0) throw new Error(`nginx -t failed: ${check.stderr}`);
    nginx = spawn(NGINX, ["-p", dir, "-c", path.join(dir, "nginx.conf"), "-g", "daemon off;"], {
      stdio: "ignore",
    });
    await Promise.all(Object.values(ports).map((p) => waitForPort(p, 10_000)));
  });

  afterAll(async () => {
    if (nginx && nginx.exitCode === null) {
      const exited = new Promise((resolve) => nginx?.once("exit", resolve));
      nginx.kill("SIGTERM");
      await exited;
    }
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  async function probe(target: ProbeTarget): Promise<ProbeResult> {
    const [result] = await runProbes([target], {
      connectTimeoutMs: 2000,
      readTimeoutMs: 2000,
      extraCaPem: certs.rootPem,
    });
    return result!;
  }

  it("passes nginx serving a valid chain in Full (strict)", async () => {
    const r = await probe(targetFor("127.0.0.1", ports.https, "strict"));
    expect(r).toMatchObject({ status: "ok", predicts: null, httpStatus: 200 });
    expect(r.certificate).toMatchObject({ subject: `CN=${HOSTNAME}`, trusted: true, problems: [] });
  });

  it("predicts 526 for nginx's certificate for another name", async () => {
    const r = await probe(targetFor("127.0.0.1", ports.wrongName, "strict"));
    expect(r).toMatchObject({ status: "fail", predicts: "526", code: "CERT_NAME_MISMATCH" });
  });

  it("predicts a redirect loop for nginx redirecting HTTP to HTTPS under Flexible", async () => {
    const r = await probe(targetFor("127.0.0.1", ports.http, "flexible"));
    expect(r).toMatchObject({
      status: "fail",
      predicts: "redirect-loop",
      httpStatus: 301,
      location: `https://${HOSTNAME}/`,
    });
  });

  it("predicts 525 when Full (strict) speaks TLS to nginx's plain HTTP port", async () => {
    const r = await probe(targetFor("127.0.0.1", ports.http, "strict"));
    expect(r).toMatchObject({
      status: "fail",
      predicts: "525",
      phase: "tls",
      code: "ERR_SSL_WRONG_VERSION_NUMBER",
    });
  });

  it("predicts 520 for nginx closing without a response (return 444)", async () => {
    const r = await probe(targetFor("127.0.0.1", ports.empty, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "520", code: "EMPTY_REPLY" });
  });
});
