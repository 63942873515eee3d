/**
 * The nginx configuration of one lab origin (pure). Every hostname gets a server block listening
 * on the origin's IPv4 and IPv6 addresses, on 443 (TLS, with that block's certificate) and on 80
 * (plain HTTP, the same content):
 *
 * - `/`: 200 text/html with a Strict-Transport-Security header;
 * - `/health`: 200 application/json, or 404 when `health` is false;
 * - `/__lab/generation`: the configuration's generation, so the lab can tell when a reload took;
 * - anything else: 404.
 */
export interface NginxOriginConfig {
  /** nginx's prefix: pid file, error log, temp folders. */
  readonly dir: string;
  readonly v4: string;
  readonly v6: string;
  readonly generation: number;
  readonly health: boolean;
  readonly sites: readonly NginxSite[];
}

export interface NginxSite {
  readonly hostname: string;
  readonly certFile: string;
  readonly keyFile: string;
}

export const GENERATION_PATH = "/__lab/generation";
export const STS = "max-age=31536000";

function serverBlock(site: NginxSite, config: NginxOriginConfig): string {
  const listen = [
    `listen ${config.v4}:443 ssl;`,
    `listen [${config.v6}]:443 ssl;`,
    `listen ${config.v4}:80;`,
    `listen [${config.v6}]:80;`,
  ];
  const health = config.health
    ? `location = /health { default_type application/json; return 200 '{"status":"ok"}'; }`
    : "location = /health { return 404; }";
  return `
  server {
    ${listen.join("\n    ")}
    server_name ${site.hostname};
    ssl_certificate ${site.certFile};
    ssl_certificate_key ${site.keyFile};
    location = / {
      default_type text/html;
      add_header Strict-Transport-Security "${STS}" always;
      return 200 "<!doctype html><title>${site.hostname}</title>\\n";
    }
    ${health}
    location = ${GENERATION_PATH} { default_type text/plain; return 200 "${config.generation}"; }
    location / { return 404; }
  }`;
}

export function renderNginxConfig(config: NginxOriginConfig): string {
  const temp = `${config.dir}/temp`;
  return `# generation ${config.generation}
user root;
worker_processes 1;
pid ${config.dir}/nginx.pid;
error_log ${config.dir}/error.log warn;
events { worker_connections 128; }
http {
  access_log off;
  server_tokens off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
${config.sites.map((s) => serverBlock(s, config)).join("\n")}
}
`;
}
