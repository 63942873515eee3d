import { mkdtempSync, rmSync } from "node:fs";
import type http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BROWSER_MAX_REDIRECTS } from "../../checks/probe/classify.js";
import type { ProbeResult, ProbeTarget } from "../../checks/probe/result.js";
import { runProbes } from "../../checks/probe/run.js";
import { originHttp } from "../../checks/rules/origin-probe-rules.js";
import { contextFor } from "../helpers/rule-context.js";
import type { TestCertificates } from "./helpers/certificates.js";
import { makeTestCertificates } from "./helpers/certificates.js";
import type { Handler, TestOrigin } from "./helpers/origins.js";
import { httpOrigin, httpsOrigin } from "./helpers/origins.js";
import { HOSTNAME, targetFor } from "./helpers/targets.js";

/**
 * Issue 12: redirects a visitor's browser follows back through Cloudflare to the same origin. Real
 * HTTP and HTTPS origins on loopback (certificates made at test time); each counts the requests it
 * answers, so the tests see how far the probe really followed.
 */

let dir: string;
let certs: TestCertificates;
const origins: TestOrigin[] = [];

beforeAll(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), "cfpl-redirects-"));
  certs = makeTestCertificates(dir, HOSTNAME);
});

afterAll(async () => {
  await Promise.all(origins.map((o) => o.close()));
  rmSync(dir, { recursive: true, force: true });
});

interface Counted {
  readonly origin: TestOrigin;
  readonly requests: http.IncomingMessage[];
}

async function serve(mode: "http" | "https", handler: Handler): Promise<Counted> {
  const requests: http.IncomingMessage[] = [];
  const counting: Handler = (request, response) => {
    requests.push(request);
    handler(request, response);
  };
  const origin = mode === "https" ? await httpsOrigin(certs.valid, counting) : await httpOrigin(counting);
  origins.push(origin);
  return { origin, requests };
}

const redirect =
  (
    to: (request: http.IncomingMessage) => string | undefined,
    status = 302,
    headers: http.OutgoingHttpHeaders = {},
  ): Handler =>
  (request, response) => {
    const location = to(request);
    if (location === undefined) {
      response.writeHead(200, { "content-type": "text/plain", ...headers });
      response.end("ok\n");
    } else {
      response.writeHead(status, { location, ...headers });
      response.end();
    }
  };

async function probe(target: ProbeTarget): Promise<ProbeResult> {
  const [result] = await runProbes([target], {
    connectTimeoutMs: 2000,
    readTimeoutMs: 1500,
    concurrency: 2,
    extraCaPem: certs.rootPem,
  });
  return result!;
}

describe("redirect loops a visitor gets (Full (strict), HTTPS origin)", () => {
  it("a redirect to the very URL asked for is a loop, after one request", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect(() => `https://${HOSTNAME}/`),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({
      status: "fail",
      predicts: "redirect-loop",
      code: "REDIRECT_TO_SELF",
      httpStatus: 302,
    });
    expect(r.message).toMatch(/redirect to itself/);
    expect(requests).toHaveLength(1);
  });

  it("a relative Location resolving to the same URL is the same loop", async () => {
    const { origin } = await serve(
      "https",
      redirect((q) => q.url),
    );
    const r = await probe({ ...targetFor("127.0.0.1", origin.port, "strict"), path: "/account?tab=1" });
    expect(r).toMatchObject({ status: "fail", code: "REDIRECT_TO_SELF" });
  });

  it("a chain that comes back on itself is a loop", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect((q) => (q.url === "/" ? "/a" : q.url === "/a" ? "/b" : "/")),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "fail", predicts: "redirect-loop", code: "REDIRECT_CYCLE" });
    expect(r.notes).toEqual([
      `302 https://${HOSTNAME}/ -> https://${HOSTNAME}/a`,
      `302 https://${HOSTNAME}/a -> https://${HOSTNAME}/b`,
      `302 https://${HOSTNAME}/b -> https://${HOSTNAME}/`,
    ]);
    expect(requests.map((q) => q.url)).toEqual(["/", "/a", "/b"]);
  });

  it(`a 302 chain that never ends is a loop once it passes the browsers' ${BROWSER_MAX_REDIRECTS}`, async () => {
    const { origin, requests } = await serve(
      "https",
      redirect((q) => `/step/${Number(q.url?.split("/")[2] ?? 0) + 1}`),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "fail", predicts: "redirect-loop", code: "TOO_MANY_REDIRECTS" });
    expect(r.message).toMatch(/more than 20 redirects in a row/);
    // The first request and the 20 a browser makes before it gives up on the 21st redirect.
    expect(requests).toHaveLength(BROWSER_MAX_REDIRECTS + 1);
    // Every request goes where Cloudflare would send it: same Host, same SNI.
    expect(new Set(requests.map((q) => q.headers.host))).toEqual(new Set([HOSTNAME]));
  });

  it("a chain of exactly 20 redirects that then answers passes, as it does in a browser", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect((q) => {
        const n = Number(q.url?.split("/")[2] ?? 0);
        return n < BROWSER_MAX_REDIRECTS ? `/step/${n + 1}` : undefined;
      }),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 302 });
    expect(requests).toHaveLength(BROWSER_MAX_REDIRECTS + 1);
  });

  it("the finding blocks, predicts no 52x, and names the redirects", async () => {
    const { origin } = await serve(
      "https",
      redirect(() => "/"),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    const [finding] = originHttp.evaluate(await contextFor({}, { probes: [r] }));
    expect(finding).toMatchObject({
      rule: "origin-http",
      status: "fail",
      blocking: true,
      predicts: null,
      evidence: {
        code: "REDIRECT_TO_SELF",
        predicts: "redirect loop (ERR_TOO_MANY_REDIRECTS)",
        notes: [`302 https://${HOSTNAME}/ -> https://${HOSTNAME}/`],
      },
    });
  });
});

describe("redirects that end pass", () => {
  it("a short chain on the same host that ends in 200", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect((q) => (q.url === "/" ? "/login" : q.url === "/login" ? "/login/" : undefined), 301),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "ok", predicts: null, httpStatus: 301, location: "/login" });
    expect(r.notes).toEqual([
      `301 https://${HOSTNAME}/ -> https://${HOSTNAME}/login`,
      `301 https://${HOSTNAME}/login -> https://${HOSTNAME}/login/`,
      "HTTP 200",
    ]);
    expect(requests.map((q) => q.url)).toEqual(["/", "/login", "/login/"]);
  });

  it("a chain that leaves for another host ends there (not followed)", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect((q) => (q.url === "/" ? "/sso" : "https://login.example.test/start")),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 302 });
    expect(r.notes?.at(-1)).toMatch(
      /-> https:\/\/login\.example\.test\/start \(another host: not followed\)$/,
    );
    expect(requests).toHaveLength(2);
  });

  it("a chain that needs the cookie it sets ends, because a browser sends it back", async () => {
    const { origin, requests } = await serve("https", (request, response) => {
      if (request.headers.cookie?.includes("seen=1")) {
        response.writeHead(200);
        response.end("welcome\n");
      } else {
        response.writeHead(302, { location: "/", "set-cookie": ["seen=1; Path=/; HttpOnly", "other=x"] });
        response.end();
      }
    });
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 302 });
    expect(requests.map((q) => q.headers.cookie)).toEqual([undefined, "seen=1; other=x"]);
  });

  it("but a redirect to itself that sets the same cookie again is still a loop", async () => {
    const { origin, requests } = await serve("https", (_request, response) => {
      response.writeHead(302, { location: "/", "set-cookie": "seen=1" });
      response.end();
    });
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "fail", code: "REDIRECT_TO_SELF" });
    expect(requests).toHaveLength(2);
  });

  it("an HTTPS origin redirecting to http:// is not followed: Cloudflare reaches that over another connection", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect(() => `http://${HOSTNAME}/`),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "full"));
    expect(r.status).not.toBe("fail");
    expect(requests).toHaveLength(1);
  });

  it("an origin that redirects on X-Forwarded-Proto does not loop under Full: Cloudflare sends https", async () => {
    const { origin, requests } = await serve(
      "https",
      redirect((q) =>
        q.headers["x-forwarded-proto"] === "https" ? undefined : `https://${HOSTNAME}${q.url}`,
      ),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 200 });
    expect(requests[0]?.headers["x-forwarded-proto"]).toBe("https");
    expect(requests[0]?.headers["cf-visitor"]).toBe('{"scheme":"https"}');
  });
});

describe("Flexible: Cloudflare speaks HTTP to the origin", () => {
  it("a redirect to https://the same host stays the known loop (REDIRECT_TO_HTTPS)", async () => {
    const { origin } = await serve(
      "http",
      redirect((q) => `https://${HOSTNAME}${q.url}`, 301),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", predicts: "redirect-loop", code: "REDIRECT_TO_HTTPS" });
  });

  it("an origin redirecting on X-Forwarded-Proto loops: Cloudflare sends http under Flexible", async () => {
    const { origin, requests } = await serve(
      "http",
      redirect((q) =>
        q.headers["x-forwarded-proto"] === "https" ? undefined : `https://${HOSTNAME}${q.url}`,
      ),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "fail", code: "REDIRECT_TO_HTTPS" });
    expect(requests[0]?.headers["x-forwarded-proto"]).toBe("http");
  });

  it("an origin redirecting on CF-Visitor does not loop: the visitor is on HTTPS", async () => {
    const { origin } = await serve(
      "http",
      redirect((q) =>
        String(q.headers["cf-visitor"]).includes('"https"') ? undefined : `https://${HOSTNAME}${q.url}`,
      ),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "flexible"));
    expect(r).toMatchObject({ status: "ok", httpStatus: 200 });
  });

  it("a redirect to http://the same URL loops too: the origin cannot tell the second request from the first", async () => {
    const { origin, requests } = await serve(
      "http",
      redirect((q) => `http://${HOSTNAME}${q.url}`),
    );
    const r = await probe(targetFor("127.0.0.1", origin.port, "flexible"));
    // https://host/ -> http://host/, which then redirects to itself.
    expect(r).toMatchObject({ status: "fail", predicts: "redirect-loop", code: "REDIRECT_TO_SELF" });
    expect(requests).toHaveLength(2);
    expect(requests[1]?.headers["cf-visitor"]).toBe('{"scheme":"http"}');
  });
});

describe("a chain the probe cannot finish is unknown, not a pass", () => {
  it("a redirect to a page that never answers", async () => {
    const { origin } = await serve("https", (request, response) => {
      if (request.url === "/") {
        response.writeHead(302, { location: "/slow" });
        response.end();
      }
      // /slow: never answers.
    });
    const r = await probe(targetFor("127.0.0.1", origin.port, "strict"));
    expect(r).toMatchObject({
      status: "unknown",
      predicts: null,
      code: "REDIRECT_NOT_FOLLOWED",
      httpStatus: 302,
    });
    expect(r.message).toMatch(
      /whether its redirects end is unknown: following the redirect to https:\/\/www\.example\.test\/slow failed \(ETIMEDOUT/,
    );
  });
});
