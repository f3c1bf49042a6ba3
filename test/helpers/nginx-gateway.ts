/**
 * Real mutual-TLS gateways for tests, on 127.0.0.1 at a free port, each in its own temp dir.
 *
 * - `startNginxGateway`: Debian's nginx in the foreground (`daemon off`, `master_process off`)
 *   with its own prefix, config, pid file, logs and temp paths: no system config is read or
 *   written. `ssl_verify_client` checks client certificates against a CA the test chooses and,
 *   like every nginx, answers a missing or refused certificate with an HTTP 400 page, never a
 *   TLS alert. Requests are proxied to an upstream (see coder-stand-in.ts) with the
 *   verification result in `X-SSL-Client-Verify` / `-Subject` / `-Fingerprint`.
 * - `startAlertingGateway`: `openssl s_server -verify_return_error`, which refuses a bad client
 *   certificate with the TLS alert OpenSSL picks (45 expired, 48 unknown CA, 116 certificate
 *   required ...), as HAProxy/Envoy-style terminators do. (A Node TLS server cannot stand in
 *   here: it drops the connection without an alert.) It serves a fixed build-info answer.
 *
 * A gateway never outlives its test process: stop() ends it, a process 'exit' hook kills what
 * is left, a watchdog kills it when the test process dies without running hooks (its stdin
 * pipe closes), and coreutils `timeout` ends it after `maxLifetimeMs` whatever happens.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';

export interface GatewayTls {
  /** Server certificate PEM; may be followed by intermediate CA certificates. */
  serverCertPem: string;
  serverKeyPem: string;
  /** CA certificate(s) that client certificates must chain to. Required unless verifyClient is 'off'. */
  clientCaPem?: string;
  /** Limit to these protocol versions, e.g. ['TLSv1.2'] (default: TLS 1.2 and 1.3). */
  protocols?: Array<'TLSv1.2' | 'TLSv1.3'>;
  /** Kill the gateway after this long whatever happens (default 120 s). */
  maxLifetimeMs?: number;
}

export interface NginxGatewayOptions extends GatewayTls {
  /** nginx's `ssl_verify_client` (default 'on'). */
  verifyClient?: 'on' | 'optional' | 'optional_no_ca' | 'off';
  /** Where to proxy requests, e.g. a Coder stand-in. Without one, nginx answers `200 ok <verify result>`. */
  upstreamPort?: number;
  /** Raw directives for the http block (e.g. a `map`) and for the location (e.g. `if (...) { return 403; }`). */
  httpExtra?: string;
  locationExtra?: string;
}

export interface Gateway {
  kind: 'nginx' | 'openssl-s_server';
  port: number;
  /** `https://127.0.0.1:<port>`. */
  url: string;
  /** The same gateway under another name that resolves to 127.0.0.1, e.g. `localhost`. */
  urlFor(hostname: string): string;
  /** The gateway's temp dir (config, certificates, logs). Removed by stop(). */
  dir: string;
  /** The error log (nginx) or the server's output (s_server) so far. */
  log(): string;
  stop(): Promise<void>;
}

const DEFAULT_LIFETIME_MS = 120_000;
const START_TIMEOUT_MS = 10_000;

/** The nginx binary, or undefined. `MTLS_TRAY_NGINX` overrides the search. */
export function findNginx(): string | undefined {
  const override = process.env['MTLS_TRAY_NGINX'];
  if (override) return existsSync(override) ? override : undefined;
  const dirs = [...(process.env['PATH'] ?? '').split(delimiter), '/usr/sbin', '/usr/local/sbin', '/opt/homebrew/bin'];
  return dirs.filter((d) => d.startsWith('/')).map((d) => join(d, 'nginx')).find((p) => existsSync(p));
}

/** The nginx binary, or a clear error saying how to get it. */
export function requireNginx(): string {
  const bin = findNginx();
  if (!bin) throw new Error('nginx is not installed: the gateway tests need it (Debian: apt-get install -y nginx)');
  return bin;
}

export async function startNginxGateway(opts: NginxGatewayOptions): Promise<Gateway> {
  const nginx = requireNginx();
  const verify = opts.verifyClient ?? 'on';
  if (verify !== 'off' && verify !== 'optional_no_ca' && !opts.clientCaPem) {
    throw new Error(`ssl_verify_client ${verify} needs clientCaPem`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'mtls-nginx-'));
  try {
    for (const sub of ['logs', 'tmp']) mkdirSync(join(dir, sub));
    writeFileSync(join(dir, 'server.crt'), opts.serverCertPem);
    writeFileSync(join(dir, 'server.key'), opts.serverKeyPem, { mode: 0o600 });
    if (opts.clientCaPem) writeFileSync(join(dir, 'client-ca.crt'), opts.clientCaPem);
    const errorLog = join(dir, 'logs', 'error.log');

    return await startWithFreePort({
      kind: 'nginx',
      dir,
      lifetimeMs: opts.maxLifetimeMs ?? DEFAULT_LIFETIME_MS,
      log: () => readIfExists(errorLog),
      // nginx writes its pid file only after binding the port, so its presence means ours.
      isReady: () => existsSync(join(dir, 'nginx.pid')),
      command: (port) => {
        writeFileSync(join(dir, 'nginx.conf'), nginxConfig(dir, port, verify, opts));
        return [nginx, '-p', dir + '/', '-c', join(dir, 'nginx.conf'), '-e', errorLog];
      },
      portInUse: (output) => /Address already in use/.test(output),
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function nginxConfig(dir: string, port: number, verify: string, opts: NginxGatewayOptions): string {
  const q = (p: string) => `"${p.replace(/["\\]/g, '\\$&')}"`;
  // As root, nginx would chown its temp dirs to `nobody`; naming root keeps everything ours.
  const user = process.getuid?.() === 0 ? 'user root root;' : '';
  const protocols = (opts.protocols ?? ['TLSv1.2', 'TLSv1.3']).join(' ');
  const location = opts.upstreamPort
    ? `proxy_pass http://127.0.0.1:${opts.upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Host $http_host;
      proxy_set_header X-SSL-Client-Verify $ssl_client_verify;
      proxy_set_header X-SSL-Client-Subject $ssl_client_s_dn;
      proxy_set_header X-SSL-Client-Fingerprint $ssl_client_fingerprint;`
    : `default_type text/plain;
      return 200 "ok $ssl_client_verify\\n";`;
  return `# Generated by test/helpers/nginx-gateway.ts for one test run.
${user}
daemon off;
master_process off;
worker_processes 1;
pid ${q(join(dir, 'nginx.pid'))};
lock_file ${q(join(dir, 'nginx.lock'))};
error_log ${q(join(dir, 'logs', 'error.log'))} info;
events { worker_connections 128; }
http {
  access_log ${q(join(dir, 'logs', 'access.log'))};
  client_body_temp_path ${q(join(dir, 'tmp', 'body'))};
  proxy_temp_path ${q(join(dir, 'tmp', 'proxy'))};
  fastcgi_temp_path ${q(join(dir, 'tmp', 'fastcgi'))};
  uwsgi_temp_path ${q(join(dir, 'tmp', 'uwsgi'))};
  scgi_temp_path ${q(join(dir, 'tmp', 'scgi'))};
  ${opts.httpExtra ?? ''}
  server {
    listen 127.0.0.1:${port} ssl;
    ssl_protocols ${protocols};
    ssl_certificate ${q(join(dir, 'server.crt'))};
    ssl_certificate_key ${q(join(dir, 'server.key'))};
    ${opts.clientCaPem ? `ssl_client_certificate ${q(join(dir, 'client-ca.crt'))};` : ''}
    ssl_verify_client ${verify};
    ssl_verify_depth 4;
    location / {
      ${opts.locationExtra ?? ''}
      ${location}
    }
  }
}
`;
}

export interface AlertingGatewayOptions extends GatewayTls {
  clientCaPem: string;
  /** The body of every `/api/v2/buildinfo` answer (default: a Coder-like JSON with `version`). */
  buildinfoJson?: string;
  /** More s_server options, e.g. `['-crl_check', '-CRL', file]` to refuse revoked certificates with alert 44. */
  extraArgs?: string[];
}

/**
 * `openssl s_server` requiring a client certificate (`-Verify`) and aborting the handshake
 * with an alert when verification fails (`-verify_return_error`). Serves files (`-HTTP`)
 * from its temp dir: `/api/v2/buildinfo` answers 200 with `buildinfoJson`. One connection
 * at a time, which is all a doctor run needs.
 */
export async function startAlertingGateway(opts: AlertingGatewayOptions): Promise<Gateway> {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-alert-gw-'));
  try {
    const certs = opts.serverCertPem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----\n?/g) ?? [];
    writeFileSync(join(dir, 'server.crt'), certs[0] ?? opts.serverCertPem);
    writeFileSync(join(dir, 'server.key'), opts.serverKeyPem, { mode: 0o600 });
    writeFileSync(join(dir, 'client-ca.crt'), opts.clientCaPem);
    const chainArgs = certs.length > 1 ? ['-cert_chain', join(dir, 'chain.crt')] : [];
    if (certs.length > 1) writeFileSync(join(dir, 'chain.crt'), certs.slice(1).join(''));
    const www = join(dir, 'www');
    mkdirSync(join(www, 'api', 'v2'), { recursive: true });
    const body = opts.buildinfoJson ?? JSON.stringify({ version: 'v2.99.0-alerting', external_url: 'https://github.com/coder/coder' });
    // -HTTP sends the file as the whole response, status line and headers included.
    writeFileSync(
      join(www, 'api', 'v2', 'buildinfo'),
      `HTTP/1.0 200 OK\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    const versionArgs = protocolArgs(opts.protocols);
    let output = '';
    return await startWithFreePort({
      kind: 'openssl-s_server',
      dir,
      cwd: www,
      lifetimeMs: opts.maxLifetimeMs ?? DEFAULT_LIFETIME_MS,
      log: () => output,
      onOutput: (chunk) => {
        output = (output + chunk).slice(-64 * 1024);
      },
      // s_server prints ACCEPT once it listens.
      isReady: () => output.includes('ACCEPT'),
      command: (port) => [
        'openssl', 's_server', '-accept', `127.0.0.1:${port}`,
        '-cert', join(dir, 'server.crt'), '-key', join(dir, 'server.key'), ...chainArgs,
        '-CAfile', join(dir, 'client-ca.crt'), '-Verify', '4', '-verify_return_error',
        ...versionArgs, ...(opts.extraArgs ?? []), '-HTTP',
      ],
      portInUse: (out) => /Address already in use|bind/i.test(out),
    });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

function protocolArgs(protocols: GatewayTls['protocols']): string[] {
  if (!protocols || protocols.length === 2) return [];
  return protocols[0] === 'TLSv1.2' ? ['-tls1_2'] : ['-tls1_3'];
}

// ---- process lifecycle shared by both gateways ----

interface StartSpec {
  kind: Gateway['kind'];
  dir: string;
  cwd?: string;
  lifetimeMs: number;
  command(port: number): string[];
  log(): string;
  /** True once the process itself says it is listening (a connect alone could reach someone else on the port). */
  isReady(): boolean;
  onOutput?: (chunk: string) => void;
  portInUse(output: string): boolean;
}

/** Runs the command with its stdin held by us; when that pipe closes (we died), it is killed. */
const WATCHDOG = `exec 3<&0
"$@" &
pid=$!
( cat <&3 >/dev/null; kill -TERM "$pid" 2>/dev/null ) &
wait "$pid"`;

const live = new Map<number, { dir: string }>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const [pgid, { dir }] of live) {
      try {
        process.kill(-pgid, 'SIGKILL');
      } catch {
        // already gone
      }
      rmSync(dir, { recursive: true, force: true });
    }
  });
}

async function startWithFreePort(spec: StartSpec): Promise<Gateway> {
  installExitHook();
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const argv = spec.command(port);
    const secs = Math.max(1, Math.ceil(spec.lifetimeMs / 1000));
    const child = spawn('timeout', ['-k', '3', `${secs}s`, 'sh', '-c', WATCHDOG, 'gateway-watchdog', ...argv], {
      cwd: spec.cwd ?? spec.dir,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const pgid = child.pid;
    if (pgid === undefined) throw new Error(`cannot start ${argv[0]}`);
    live.set(pgid, { dir: spec.dir });
    let output = '';
    const collect = (b: Buffer) => {
      const s = b.toString();
      output = (output + s).slice(-16 * 1024);
      spec.onOutput?.(s);
    };
    child.stdout?.on('data', collect);
    child.stderr?.on('data', collect);
    // Neither the child nor its pipes may keep the test process alive; the exit hook cleans up.
    child.unref();
    for (const s of [child.stdin, child.stdout, child.stderr]) (s as unknown as { unref?: () => void } | null)?.unref?.();

    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    const ready = await waitUntilListening(port, spec.isReady, exited);
    if (ready) {
      return {
        kind: spec.kind,
        port,
        url: `https://127.0.0.1:${port}`,
        urlFor: (hostname) => `https://${hostname}:${port}`,
        dir: spec.dir,
        log: () => spec.log() || output,
        stop: () => stopProcess(child, pgid, spec.dir, exited),
      };
    }
    live.delete(pgid);
    const log = `${output}\n${spec.log()}`;
    if (!spec.portInUse(log)) {
      rmSync(spec.dir, { recursive: true, force: true });
      throw new Error(`${spec.kind} did not start:\n${log.trim().slice(-4000)}`);
    }
    lastError = log;
  }
  rmSync(spec.dir, { recursive: true, force: true });
  throw new Error(`${spec.kind}: no free port after 5 attempts:\n${lastError.slice(-2000)}`);
}

async function stopProcess(child: ChildProcess, pgid: number, dir: string, exited: Promise<number | null>): Promise<void> {
  if (live.has(pgid)) {
    live.delete(pgid);
    signalGroup(pgid, 'SIGTERM');
    child.stdin?.end();
    const killer = setTimeout(() => signalGroup(pgid, 'SIGKILL'), 3000);
    if (child.exitCode === null && child.signalCode === null) await exited;
    clearTimeout(killer);
    // timeout(1) has exited; make sure nothing of its group lingers.
    signalGroup(pgid, 'SIGKILL');
  }
  rmSync(dir, { recursive: true, force: true });
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    // the group is gone
  }
}

/** A port that was free a moment ago (the caller retries if someone takes it meanwhile). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

/** Polls until the process says it listens and the port accepts (true), or it exits or time runs out (false). */
async function waitUntilListening(port: number, isReady: () => boolean, exited: Promise<number | null>): Promise<boolean> {
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (!gone && Date.now() < deadline) {
    if (isReady() && (await canConnect(port))) return !gone;
    await new Promise((r) => setTimeout(r, 25));
  }
  return false;
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function canConnect(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}

function readIfExists(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
