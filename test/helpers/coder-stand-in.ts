/**
 * A small stand-in for Coder's HTTP API, for tests that put a TLS gateway in front of it.
 * Plain HTTP on 127.0.0.1 (the gateway terminates TLS), a free port, and one route the
 * extension calls first: `GET /api/v2/buildinfo`. It answers 401 unless the header the
 * test names is present with the right value, like a deployment that wants a header from
 * `coder.headerCommand`. Every request is recorded so tests can see what got through.
 */
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CoderStandInOptions {
  /** A header every API request must carry (name matched case-insensitively). */
  requiredHeader?: { name: string; value: string };
  /**
   * Demand that the gateway verified a client certificate: the `X-SSL-Client-Verify` header
   * the gateways in nginx-gateway.ts forward must be `SUCCESS`, else 403. For `optional` modes.
   */
  requireVerifiedClient?: boolean;
  /** Reported as `version` in build info. */
  version?: string;
  /** Stop by itself after this long, so a forgotten stand-in never outlives its test (default 120 s). */
  maxLifetimeMs?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  status: number;
}

export interface CoderStandIn {
  port: number;
  /** `http://127.0.0.1:<port>`: what a gateway proxies to. */
  url: string;
  requests: RecordedRequest[];
  stop(): Promise<void>;
}

export const STAND_IN_VERSION = 'v2.99.0-standin';

export async function startCoderStandIn(opts: CoderStandInOptions = {}): Promise<CoderStandIn> {
  const requests: RecordedRequest[] = [];
  const version = opts.version ?? STAND_IN_VERSION;

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const reply = (status: number, body: unknown) => {
      requests.push({ method: req.method ?? '', path, headers: req.headers, status });
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };

    if (path !== '/api/v2/buildinfo' || req.method !== 'GET') {
      reply(404, { message: 'Route not found.' });
      return;
    }
    if (opts.requireVerifiedClient && req.headers['x-ssl-client-verify'] !== 'SUCCESS') {
      reply(403, { message: 'Forbidden.', detail: `client certificate not verified (${String(req.headers['x-ssl-client-verify'] ?? 'none')})` });
      return;
    }
    if (opts.requiredHeader) {
      const got = req.headers[opts.requiredHeader.name.toLowerCase()];
      if (got === undefined) {
        reply(401, { message: `Missing required header ${opts.requiredHeader.name}.` });
        return;
      }
      if (got !== opts.requiredHeader.value) {
        reply(401, { message: `Invalid value for header ${opts.requiredHeader.name}.` });
        return;
      }
    }
    reply(200, {
      external_url: 'https://github.com/coder/coder',
      version,
      dashboard_url: 'https://coder.invalid',
      telemetry: false,
      workspace_proxy: false,
      agent_api_version: '2.0',
      upgrade_message: '',
      deployment_id: 'standin-0000',
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  let stopped: Promise<void> | undefined;
  const stop = () => {
    stopped ??= new Promise<void>((resolve) => {
      clearTimeout(lifetime);
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return stopped;
  };
  const lifetime = setTimeout(() => void stop(), opts.maxLifetimeMs ?? 120_000);
  lifetime.unref();
  // Keep-alive connections from a gateway must not hold the test process open.
  server.unref();

  return { port, url: `http://127.0.0.1:${port}`, requests, stop };
}
