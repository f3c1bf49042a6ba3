/**
 * A Node `https` server on 127.0.0.1 that requires a client certificate, for end-to-end tests.
 * It trusts the CAs it is given (rejectUnauthorized) or, for self-signed client certificates,
 * the public keys it is given (SPKI pins, as a gateway in `optional_no_ca` mode does). It
 * answers JSON naming the presented certificate and the headers, and closes when the test
 * process ends.
 */
import { execFileSync } from 'node:child_process';
import { createHash, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, request, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TLSSocket } from 'node:tls';
import { exec } from 'node:child_process';

export interface ServerIdentity {
  certPem: string;
  keyPem: string;
}

/** A server certificate for localhost / 127.0.0.1, made by openssl. */
export function makeServerIdentity(): ServerIdentity {
  const dir = mkdtempSync(join(tmpdir(), 'mtls-srv-'));
  try {
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', join(dir, 'k'), '-out', join(dir, 'c'), '-subj', '/CN=localhost', '-days', '2', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1'], { stdio: 'ignore' });
    return { certPem: readFileSync(join(dir, 'c'), 'utf8'), keyPem: readFileSync(join(dir, 'k'), 'utf8') };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function spkiSha256(certPem: string): string {
  const spki = new X509Certificate(certPem).publicKey.export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(spki).digest('hex');
}

export interface MtlsServer {
  url: string;
  port: number;
  server: Server;
  /** Trust a client key (self-signed mode). */
  pins: Set<string>;
  close(): Promise<void>;
}

export async function startMtlsServer(id: ServerIdentity, trust: { cas?: string[]; pins?: string[] }): Promise<MtlsServer> {
  const pins = new Set(trust.pins ?? []);
  const server = createServer(
    {
      cert: id.certPem,
      key: id.keyPem,
      requestCert: true,
      rejectUnauthorized: Boolean(trust.cas?.length),
      ...(trust.cas?.length ? { ca: trust.cas } : {}),
    },
    (req, res) => {
      const peer = (req.socket as TLSSocket).getPeerCertificate();
      if (!peer || !peer.raw) {
        res.writeHead(495).end('{"error":"no client certificate"}');
        return;
      }
      const pem = new X509Certificate(peer.raw).toString();
      if (!trust.cas?.length && !pins.has(spkiSha256(pem))) {
        res.writeHead(495).end('{"error":"unknown client key"}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ fingerprint: new X509Certificate(peer.raw).fingerprint256, headers: req.headers }));
    },
  );
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  server.unref();
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://localhost:${port}`,
    port,
    server,
    pins,
    close: () => new Promise((r) => server.close(() => r())),
  };
}

/**
 * One request the way the Coder extension makes it: read cert, key and CA from the settings'
 * paths, run the header command with `sh -c` and CODER_URL, send the headers.
 */
export async function requestAsExtension(url: string, settings: Record<string, unknown>, serverCaPem: string): Promise<{ status: number; body: string }> {
  const [cert, key] = await Promise.all([readFileSync(String(settings['coder.tlsCertFile'])), readFileSync(String(settings['coder.tlsKeyFile']))]);
  const headers: Record<string, string> = {};
  const cmd = settings['coder.headerCommand'];
  if (typeof cmd === 'string' && cmd) {
    const out = await new Promise<string>((res, rej) => exec(cmd, { env: { ...process.env, CODER_URL: url } }, (err, stdout) => (err ? rej(err) : res(stdout))));
    for (const line of out.replace(/\n$/, '').split('\n')) {
      if (!line) continue;
      const i = line.indexOf('=');
      if (i <= 0) throw new Error(`malformed header line ${JSON.stringify(line)}`);
      headers[line.slice(0, i)] = line.slice(i + 1);
    }
  }
  return new Promise((res, rej) => {
    const req = request(`${url}/api/v2/buildinfo`, { cert, key, ca: serverCaPem, headers, agent: false }, (r) => {
      let body = '';
      r.on('data', (d) => (body += d));
      r.on('end', () => res({ status: r.statusCode ?? 0, body }));
    });
    req.on('error', rej);
    req.end();
  });
}
